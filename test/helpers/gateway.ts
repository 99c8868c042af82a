import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/index.js';
import {
  VENDORS,
  type VendorKey,
  type VendorSimulatorOptions,
  type VendorSimulators,
} from '../../src/datasources/registry.js';
import { createApp, type App } from '../../src/server/app.js';
import { withSearchPath } from '../../src/store/postgres.js';
import type { VendorSimulator } from '../../src/simulators/framework/vendor-simulator.js';
import type { LoanProSimulatorOptions } from '../../src/simulators/loanpro/loanpro.simulator.js';
import type { IsolatedDatabase } from './databases.js';

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
/** consent:read alone: the consent fields and the consentChanged subscription. */
export const CONSENT_READER_KEY = 'consent-reader-key-0123456789';
/** consent:write alone: the SBT mutations without a bypass (consent:bypass missing). */
export const CONSENT_WRITER_KEY = 'consent-writer-key-0123456789';
/** persons:read alone: phone(number).person, but no consent field and no subscription. */
export const PERSON_READER_KEY = 'person-reader-key-0123456789a';

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
  /** With `listen`: the gateway's origin, `http://127.0.0.1:<port>` (real HTTP and graphql-ws). */
  readonly url: string | undefined;
  /** With `listen`: where Vibes delivers callbacks, `<url>/webhooks/vibes/<secret>` (holds the secret: never print it). */
  readonly vibesCallbackUrl: string | undefined;
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
  /**
   * The store to use: an isolated database from test/helpers/databases.ts (SQLite: its directory; PostgreSQL: its
   * schema, through DATABASE_URL's search_path). Default: a private SQLite directory, deleted on close.
   */
  database?: IsolatedDatabase;
  /** Listen on 127.0.0.1 (a free port) for real HTTP and graphql-ws clients; `url` is set. Default: inject only. */
  listen?: boolean;
  /** With `listen` and a helper-started Vibes simulator: point its callbacks at this gateway (API version 2). */
  vibesCallbacks?: boolean;
}

/** The environment that points a gateway's store at an isolated database. */
export function databaseEnv(database: IsolatedDatabase): Record<string, string> {
  const { databaseUrl, pgSchema, dataDir } = database.options;
  if (database.kind === 'postgres' && databaseUrl) return { DATABASE_URL: pgSchema ? withSearchPath(databaseUrl, pgSchema) : databaseUrl };
  return { DATA_DIR: dataDir };
}

export const API_KEYS = [
  `${READER_KEY}=customers:read`,
  `${PII_KEY}=customers:read,pii:read`,
  `${WRITER_KEY}=customers:read,customers:write`,
  `${NO_SCOPE_KEY}=numbers:read`,
  `${BORROWER_READER_KEY}=borrowers:read`,
  `${BORROWER_WRITER_KEY}=borrowers:read,borrowers:write`,
  `${BORROWER_WRITE_ONLY_KEY}=borrowers:write`,
  `${CONSENT_READER_KEY}=consent:read`,
  `${PERSON_READER_KEY}=persons:read`,
  `${CONSENT_WRITER_KEY}=consent:write`,
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
  const ownDataDir = options.database === undefined;
  const dataDir = ownDataDir ? mkdtempSync(join(tmpdir(), 'switchboard-test-')) : options.database!.options.dataDir;
  const stop = async () => {
    await Promise.all(Object.values(simulators).map((s) => s.close()));
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
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
      ...(options.database ? databaseEnv(options.database) : {}),
      ...options.env,
    });
    app = await createApp(config, { logStream });
    let url: string | undefined;
    let vibesCallbackUrl: string | undefined;
    if (options.listen || options.vibesCallbacks) {
      try {
        url = await app.fastify.listen({ host: '127.0.0.1', port: 0 });
        vibesCallbackUrl = `${url}/webhooks/vibes/${encodeURIComponent(config.vendors.vibes.callbackSecret)}`;
        if (options.vibesCallbacks) {
          const vibes = (simulators as Partial<VendorSimulators>).vibes;
          if (!vibes) throw new Error('vibesCallbacks needs the helper to start the Vibes simulator');
          vibes.setCallbackUrl(vibesCallbackUrl, { version: 2 });
        }
      } catch (err) {
        await app.close();
        throw err;
      }
    }
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
      url,
      vibesCallbackUrl,
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

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

/** One JSON log line of a gateway process (pino). */
export type LogLine = Record<string, unknown> & { msg?: string };

export interface GatewayProcess {
  /** `http://127.0.0.1:<port>`, read from the start-up line. */
  readonly url: string;
  readonly pid: number;
  /** Every JSON line it wrote to stdout, in order. */
  readonly logs: readonly LogLine[];
  /** Every line of stderr (a crash's stack, Node warnings). */
  readonly stderr: readonly string[];
  /** Resolves with the first line (already written, or to come) that matches; rejects if the process exits first. */
  waitForLog(match: (line: LogLine) => boolean): Promise<LogLine>;
  /** Sends the signal and resolves once the process has exited (with its exit code, or null when killed). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** SIGTERM (a graceful shutdown), then waits for the exit. No-op once exited. */
  stop(): Promise<number | null>;
}

/** Environment a gateway process needs from the test beyond its own settings. */
export const GATEWAY_PROCESS_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'debug',
  HOST: '127.0.0.1',
  PORT: '0',
  AUTH_MODE: 'apikey',
  API_KEYS,
  UPSTREAM_TIMEOUT_MS: '2000',
};

/**
/** How spawnGateway starts the process: node's arguments and working directory. */
export interface GatewayCommand {
  /** Arguments to node (default: the sources through tsx, `--import tsx src/main.ts`). */
  readonly args: readonly string[];
  /** Working directory (default: the repository). */
  readonly cwd?: string;
}

/**
 * A gateway as its own process (`node --import tsx src/main.ts`, or `command`: the compiled build), as operators
 * run it: for two replicas on one database and for SIGKILL. `env` adds to GATEWAY_PROCESS_ENV (vendor base URLs,
 * DATABASE_URL, REDIS_URL...); a vendor left without a base URL is its embedded simulator (demo mode). Resolves
 * once the gateway logged that it is up. The caller stops it (`stop()`, or `kill('SIGKILL')`).
 */
export async function spawnGateway(
  env: Record<string, string>,
  command: GatewayCommand = { args: ['--import', 'tsx', 'src/main.ts'] },
): Promise<GatewayProcess> {
  const inherited: Record<string, string> = {};
  // The parent's PATH and HOME only: nothing of the test runner's own settings leaks into the gateway.
  for (const name of ['PATH', 'HOME', 'TMPDIR']) if (process.env[name] !== undefined) inherited[name] = process.env[name]!;
  const child: ChildProcess = spawn(process.execPath, [...command.args], {
    cwd: command.cwd ?? REPO_ROOT,
    env: { ...inherited, ...GATEWAY_PROCESS_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogLine[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void; reject: (err: Error) => void }>();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      for (const waiter of waiters) waiter.reject(new Error(`the gateway process exited (code ${code}) before the awaited log line; stderr: ${stderr.join('\n').slice(-2000)}`));
      waiters.clear();
      resolve(code);
    });
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { msg: text, unparsed: true };
    }
    logs.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  createInterface({ input: child.stderr! }).on('line', (text) => stderr.push(text));

  const waitForLog = (match: (line: LogLine) => boolean): Promise<LogLine> => {
    const seen = logs.find(match);
    if (seen) return Promise.resolve(seen);
    if (exitCode !== undefined) return Promise.reject(new Error(`the gateway process has exited (code ${exitCode})`));
    return new Promise((resolve, reject) => waiters.add({ match, resolve, reject }));
  };
  const kill = async (signal: NodeJS.Signals): Promise<number | null> => {
    if (exitCode === undefined) child.kill(signal);
    return exited;
  };

  let up: LogLine;
  try {
    up = await waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('Switchboard is up'));
  } catch (err) {
    await kill('SIGKILL');
    throw err;
  }
  const url = new URL(String(up.url)).origin;
  return {
    url,
    pid: child.pid!,
    logs,
    stderr,
    waitForLog,
    kill,
    stop: () => kill('SIGTERM'),
  };
}

export interface TestSimulators {
  /** Every started simulator, by registry key. */
  readonly simulators: Partial<VendorSimulators>;
  /** The gateway environment that points each vendor at its simulator. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

/** Vendor simulators for gateway processes (spawnGateway): every registry vendor, or a chosen set. */
export async function startSimulators(options: Pick<StartGatewayOptions, 'simulators' | 'vendors'> = {}): Promise<TestSimulators> {
  const wanted = new Set<VendorKey>(options.vendors ?? VENDORS.map((v) => v.key));
  const started: VendorSimulator[] = [];
  const simulators: Partial<Record<VendorKey, VendorSimulator>> = {};
  const env: Record<string, string> = {};
  try {
    for (const vendor of VENDORS) {
      if (!wanted.has(vendor.key)) continue;
      const hooks = await vendor.loadSimulator();
      const sim = await hooks.start(options.simulators?.[vendor.key] as never);
      started.push(sim);
      simulators[vendor.key] = sim;
      Object.assign(env, hooks.gatewayEnv(sim as never));
    }
  } catch (err) {
    await Promise.all(started.map((s) => s.close()));
    throw err;
  }
  return {
    simulators: simulators as Partial<VendorSimulators>,
    env,
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
