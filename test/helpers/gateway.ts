import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/index.js';
import {
  VENDORS,
  type VendorKey,
  type VendorSimulatorOptions,
  type VendorSimulators,
} from '../../src/datasources/registry.js';
import { createApp, type App } from '../../src/server/app.js';
import type { VendorSimulator } from '../../src/simulators/framework/vendor-simulator.js';
import type { LoanProSimulatorOptions } from '../../src/simulators/loanpro/loanpro.simulator.js';

export const READER_KEY = 'reader-key-0123456789abcdef';
export const PII_KEY = 'pii-reader-key-0123456789abcd';
export const WRITER_KEY = 'writer-key-0123456789abcdef';
export const NO_SCOPE_KEY = 'no-scope-key-0123456789abcd';
export const BORROWER_READER_KEY = 'borrower-reader-key-0123456789';
/** borrowers:read and borrowers:write: what the borrower-phone mutations need. */
export const BORROWER_WRITER_KEY = 'borrower-writer-key-0123456789';
/** borrowers:write without borrowers:read (the mutations answer with the phone, so they need both). */
export const BORROWER_WRITE_ONLY_KEY = 'borrower-write-only-key-012345';
/** Every scope of the contract. */
export const ADMIN_KEY = 'admin-key-0123456789abcdefgh';

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface RequestLogLine {
  method: string;
  path: string;
  query: string;
  status: number;
}

export interface TestGateway {
  readonly app: App;
  /** LoanPro's simulator (every test gateway has one). */
  readonly simulator: VendorSimulators['loanpro'];
  /** Every started vendor simulator, by registry key. */
  readonly simulators: Partial<VendorSimulators>;
  /** Every line the gateway logged, for checks that no secret or number leaks. */
  readonly logs: string[];
  gql<T = Record<string, unknown>>(
    query: string | { query: string; operationName: string },
    variables?: Record<string, unknown>,
    options?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<GraphQLResult<T>>;
  /** Requests a vendor's simulator saw since the last reset. */
  requests(vendor: VendorKey): RequestLogLine[];
  /** LoanPro requests seen by the simulator since the last reset. */
  loanproRequests(): RequestLogLine[];
  /** Clears every simulator's request log. */
  resetRequestLog(): void;
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  /** Gateway environment on top of the test defaults (and the simulators' base URLs and credentials). */
  env?: Record<string, string>;
  /** LoanPro simulator options (shorthand for `simulators.loanpro`). */
  simulator?: LoanProSimulatorOptions;
  /** Options per vendor simulator. */
  simulators?: VendorSimulatorOptions;
  /**
   * Which vendors get a simulator started by the helper (default: every vendor in the registry). LoanPro is
   * always among them. A vendor left out is the gateway's embedded demo simulator instead.
   */
  vendors?: readonly VendorKey[];
  /**
   * Points a vendor somewhere other than its simulator's own address (a proxy in front of it): called with the
   * started simulator, answers the value for that vendor's base-URL variable.
   */
  baseUrlFor?: Partial<Record<VendorKey, (sim: VendorSimulator) => string | Promise<string>>>;
}

const API_KEYS = [
  `${READER_KEY}=customers:read`,
  `${PII_KEY}=customers:read,pii:read`,
  `${WRITER_KEY}=customers:read,customers:write`,
  `${NO_SCOPE_KEY}=numbers:read`,
  `${BORROWER_READER_KEY}=borrowers:read`,
  `${BORROWER_WRITER_KEY}=borrowers:read,borrowers:write`,
  `${BORROWER_WRITE_ONLY_KEY}=borrowers:write`,
  `${ADMIN_KEY}=customers:read,customers:write,pii:read,borrowers:read,borrowers:write,persons:read,persons:write,numbers:read,numbers:write,consent:read,consent:write,consent:bypass`,
].join(';');

/**
 * A gateway wired to vendor simulators over real loopback HTTP, with API-key auth and a private data dir.
 * Requests go through fastify's inject (in-process); vendor calls go over the undici pools to the simulators.
 */
export async function startGateway(options: StartGatewayOptions = {}): Promise<TestGateway> {
  const wanted = new Set<VendorKey>(options.vendors ?? VENDORS.map((v) => v.key));
  wanted.add('loanpro');
  const simulators: Partial<Record<VendorKey, VendorSimulator>> = {};
  const simEnv: Record<string, string> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const stop = async () => {
    await Promise.all(Object.values(simulators).map((s) => s.close()));
    rmSync(dataDir, { recursive: true, force: true });
  };
  let app: App;
  try {
    for (const vendor of VENDORS) {
      if (!wanted.has(vendor.key)) continue;
      const hooks = await vendor.loadSimulator();
      const given = vendor.key === 'loanpro' ? (options.simulators?.loanpro ?? options.simulator) : options.simulators?.[vendor.key];
      const sim = await hooks.start(given as never);
      simulators[vendor.key] = sim;
      Object.assign(simEnv, hooks.gatewayEnv(sim as never));
      const redirect = options.baseUrlFor?.[vendor.key];
      if (redirect) simEnv[vendor.baseUrlVariable] = await redirect(sim);
    }
    const logs: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      DATA_DIR: dataDir,
      AUTH_MODE: 'apikey',
      API_KEYS,
      UPSTREAM_TIMEOUT_MS: '2000',
      ...simEnv,
      ...options.env,
    });
    app = await createApp(config, { logStream });
    const typed = simulators as Partial<VendorSimulators>;
    const requests = (vendor: VendorKey): RequestLogLine[] =>
      (simulators[vendor]?.requestLog.entries() ?? []).map((e) => ({ method: e.method, path: e.path, query: e.query, status: e.status }));
    return {
      app,
      simulator: typed.loanpro!,
      simulators: typed,
      logs,
      async gql(query, variables, opts = {}) {
        const key = opts.key === undefined ? READER_KEY : opts.key;
        const res = await app.fastify.inject({
          method: 'POST',
          url: '/graphql',
          headers: {
            'content-type': 'application/json',
            ...(key ? { authorization: `Bearer ${key}` } : {}),
            ...opts.headers,
          },
          payload: JSON.stringify({ ...(typeof query === 'string' ? { query } : query), variables }),
        });
        const body = res.body ? JSON.parse(res.body) : {};
        return { status: res.statusCode, data: body.data, errors: body.errors, headers: res.headers };
      },
      requests,
      loanproRequests: () => requests('loanpro'),
      resetRequestLog() {
        for (const sim of Object.values(simulators)) sim.requestLog.clear();
      },
      async close() {
        await app.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
