import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/index.js';
import { createApp, type App } from '../../src/server/app.js';
import { createLoanProSimulator, type LoanProSimulatorOptions } from '../../src/simulators/loanpro/loanpro.simulator.js';

export const READER_KEY = 'reader-key-0123456789abcdef';
export const PII_KEY = 'pii-reader-key-0123456789abcd';
export const WRITER_KEY = 'writer-key-0123456789abcdef';
export const NO_SCOPE_KEY = 'no-scope-key-0123456789abcd';

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestGateway {
  readonly app: App;
  readonly simulator: ReturnType<typeof createLoanProSimulator>;
  /** Every line the gateway logged, for checks that no secret or number leaks. */
  readonly logs: string[];
  gql<T = Record<string, unknown>>(
    query: string | { query: string; operationName: string },
    variables?: Record<string, unknown>,
    options?: { key?: string | null; headers?: Record<string, string> },
  ): Promise<GraphQLResult<T>>;
  /** LoanPro requests seen by the simulator since the last reset. */
  loanproRequests(): Array<{ method: string; path: string; query: string; status: number }>;
  resetRequestLog(): void;
  close(): Promise<void>;
}

/**
 * A gateway wired to a LoanPro simulator over real loopback HTTP, with API-key auth and a private data dir.
 * Requests go through fastify's inject (in-process); vendor calls go over the undici pool to the simulator.
 */
export async function startGateway(
  options: { env?: Record<string, string>; simulator?: LoanProSimulatorOptions } = {},
): Promise<TestGateway> {
  const simulator = createLoanProSimulator(options.simulator ?? {});
  await simulator.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
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
    LOANPRO_BASE_URL: simulator.baseUrl,
    LOANPRO_API_TOKEN: simulator.apiToken,
    LOANPRO_INSTANCE_ID: simulator.instanceId,
    AUTH_MODE: 'apikey',
    API_KEYS: [
      `${READER_KEY}=customers:read`,
      `${PII_KEY}=customers:read,pii:read`,
      `${WRITER_KEY}=customers:read,customers:write`,
      `${NO_SCOPE_KEY}=numbers:read`,
    ].join(';'),
    LOANPRO_TIMEOUT_MS: '2000',
    ...options.env,
  });
  const app = await createApp(config, { logStream });
  return {
    app,
    simulator,
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
    loanproRequests() {
      return simulator.requestLog.entries().map((e) => ({ method: e.method, path: e.path, query: e.query, status: e.status }));
    },
    resetRequestLog() {
      simulator.requestLog.clear();
    },
    async close() {
      await app.close();
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
