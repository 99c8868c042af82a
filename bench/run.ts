/**
 * `npm run bench`: the vendor simulators and the gateway as separate processes on loopback, driven by autocannon
 * (throughput) and a sequential undici client (latency). Prints, per query shape, data calls to the vendor per
 * query (from the simulator's request log, logins left out), p50/p99 latency, requests/s and the gateway's peak RSS.
 *
 * LoanPro answers at 0 ms (the gateway's own cost shows); RecoveryConnect answers at 50 ms (RECOVERYCONNECT_SIM_LATENCY_MS),
 * so the 20-borrower order shows whether its 1 + 20 calls take two round trips or twenty-one.
 *
 * Callback intake: Vibes-shaped opt-out callbacks POSTed to /webhooks/vibes/<secret> (one in ten a redelivery of an
 * acknowledged one), events/s and acknowledgement latency; then, once the inbox worker has drained, the books: every
 * acknowledged event in the ledger exactly once. On SQLite, and on PostgreSQL too when BENCH_DATABASE_URL is set
 * (a fresh schema in it, dropped afterwards).
 *
 * Options (env): BENCH_DURATION_S (default 10), BENCH_LATENCY_SAMPLES (default 2000), BENCH_SLOW_SAMPLES (one
 * client against the 50 ms vendor, default 200), BENCH_DATABASE_URL (PostgreSQL for the intake shape), BENCH_ONLY
 * (`queries` or `callbacks`: one half), BENCH_SHAPES (only the load shapes whose name contains this text),
 * BENCH_GATEWAY_LOG (a file the gateways' warn-level log lines are appended to).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import autocannon from 'autocannon';
import pg from 'pg';
import { Pool } from 'undici';
import { withSearchPath } from '../src/store/postgres.js';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000);
const SLOW_SAMPLES = Number(process.env.BENCH_SLOW_SAMPLES ?? 200);
/** Simulated RecoveryConnect latency per call. */
const RC_LATENCY_MS = 50;
/** The seeded order with 20 borrowers (src/simulators/recoveryconnect/recoveryconnect.seed.ts). */
const RC_BENCH_ORDER = '57062900';
const RC_LOGIN_PATH = '/api/v140/auth';
const ROOT = new URL('..', import.meta.url).pathname;
const TOKEN = 'sim-loanpro-token';
const INSTANCE = '5200000';
const FIRST_SEEDED_ID = 1001;
const SEEDED_COUNT = 200;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The gateway runs exactly as `npm start` runs it: same node flags (heap sizing), same entry. */
function npmStartArgs(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = pkg.scripts.start.split(/\s+/);
  if (command !== 'node') throw new Error('bench expects the start script to run node');
  return args;
}

function start(script: string, env: Record<string, string>, stdout: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  const args = script === 'src/main.ts' ? npmStartArgs() : ['--import', 'tsx', script];
  // BENCH_GATEWAY_LOG=<file>: the gateways' log lines (LOG_LEVEL warn) appended there, to see why answers failed.
  const logFile = script === 'src/main.ts' ? process.env.BENCH_GATEWAY_LOG : undefined;
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', logFile ? 'pipe' : stdout, 'inherit'],
  });
  if (logFile) child.stdout!.pipe(createWriteStream(logFile, { flags: 'a' }));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${script} exited early (${code ?? signal})`);
      process.exit(1);
    }
  });
  return child;
}

/**
 * `npm run simulators` prints, per simulator, `[simulators] <name> listening on <origin>` and the gateway settings
 * that point at it (`  LOANPRO_BASE_URL=...`, `  RECOVERYCONNECT_USERNAME=...`): read until it says ready. Every
 * vendor of the registry gets a simulator and its settings, so the production-mode gateway finds all its vendors.
 */
async function readSimulators(child: ChildProcess): Promise<{ origins: Map<string, string>; env: Record<string, string> }> {
  const origins = new Map<string, string>();
  const env: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const listening = /^\[simulators\] (\w+) listening on (\S+)$/.exec(line);
    if (listening) origins.set(listening[1]!, listening[2]!);
    const setting = /^\s+([A-Z][A-Z0-9_]*)=(\S+)$/.exec(line);
    if (setting) env[setting[1]!] = setting[2]!;
    if (line.startsWith('[simulators] ready')) break;
  }
  // Keep draining stdout so the simulator process never blocks on a full pipe.
  child.stdout!.resume();
  return { origins, env };
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

let stopping = false;
const gatewayPort = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
// Every vendor's simulator on a free port (`<VENDOR>_SIM_PORT=0`; vendors without one here take their default port).
const simulator = start(
  'src/simulators/main.ts',
  {
    LOANPRO_SIM_PORT: '0',
    RECOVERYCONNECT_SIM_PORT: '0',
    MESSAGEMEDIA_SIM_PORT: '0',
    VIBES_SIM_PORT: '0',
    SIM_LATENCY_MS: '0',
    RECOVERYCONNECT_SIM_LATENCY_MS: String(RC_LATENCY_MS),
  },
  'pipe',
);
const simulators = await readSimulators(simulator);
const simOrigin = simulators.origins.get('loanpro')!;
const rcOrigin = simulators.origins.get('recoveryconnect')!;
const mmOrigin = simulators.origins.get('messagemedia')!;
const vibesOrigin = simulators.origins.get('vibes')!;
const GATEWAY_ENV = {
  ...simulators.env,
  PORT: String(gatewayPort),
  HOST: '127.0.0.1',
  NODE_ENV: 'production',
  GRAPHQL_LANDING_PAGE: 'false',
  AUTH_MODE: 'apikey',
  API_KEYS: 'bench-key-0123456789abcdef=customers:read,borrowers:read,numbers:read,persons:read,consent:read',
  LOG_LEVEL: 'warn',
  DATA_DIR: dataDir,
  LOANPRO_BASE_URL: `${simOrigin}/api/public/api/1`,
  LOANPRO_API_TOKEN: TOKEN,
  LOANPRO_INSTANCE_ID: INSTANCE,
};
let gateway: ChildProcess | undefined;

/** A fresh gateway process per measurement, so each row's peak RSS is its own. */
async function startGateway(extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const child = start('src/main.ts', { ...GATEWAY_ENV, ...extraEnv });
  await waitFor(`http://127.0.0.1:${gatewayPort}/readyz`);
  return child;
}
async function stopGateway(child: ChildProcess): Promise<void> {
  stopping = true;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  stopping = false;
}
const shutdown = () => {
  stopping = true;
  simulator.kill('SIGTERM');
  gateway?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('exit', shutdown);

const graphqlUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
const headers = { 'content-type': 'application/json', authorization: 'Bearer bench-key-0123456789abcdef' };
const PHONES = 'phones { id number raw type isPrimary doNotContact }';
let cursor = 0;
const nextId = () => FIRST_SEEDED_ID + (cursor++ % SEEDED_COUNT);

interface Shape {
  name: string;
  body: () => string;
  clients: number[];
  /** Whose simulator log counts this shape's vendor calls. */
  vendor: 'loanpro' | 'recoveryconnect' | 'messagemedia';
  /** LoanPro simulator behaviour for this shape (PUT /__sim/behaviour), reset afterwards. */
  behaviour?: Record<string, string>;
}
const shapes: Shape[] = [
  {
    name: 'customer(id) { phones }',
    body: () => JSON.stringify({ query: `query($id: ID!) { customer(id: $id) { id firstName lastName ${PHONES} } }`, variables: { id: String(nextId()) } }),
    clients: [50, 100],
    vendor: 'loanpro',
  },
  {
    name: 'customers(20 ids) { phones }',
    body: () =>
      JSON.stringify({
        query: `query($ids: [ID!]!) { customers(ids: $ids) { id firstName lastName ${PHONES} } }`,
        variables: { ids: Array.from({ length: 20 }, () => String(nextId())) },
      }),
    clients: [50, 100],
    vendor: 'loanpro',
  },
];
// The fallback path: LoanPro refusing `or` filters, so the gateway reads one customer per call.
shapes.push({ ...shapes[1]!, name: 'customers(20 ids), LoanPro refuses or', clients: [50], behaviour: { filterOr: 'rejected' } });
// No many-borrowers phone endpoint: 1 + 20 calls, the 20 in parallel. 10 clients x 20 calls already queue behind
// the default bulkhead (64 in flight), which is the point of the row: the vendor's cap, not the gateway, sets it.
const ORDER_SHAPE: Shape = {
  name: `order with 20 borrowers and their phones (RecoveryConnect at ${RC_LATENCY_MS} ms)`,
  body: () =>
    JSON.stringify({
      query: 'query($id: ID!) { order(id: $id) { id borrowers { id firstName lastName phones { id number raw type typeId doNotContact } } } }',
      variables: { id: RC_BENCH_ORDER },
    }),
  clients: [10],
  vendor: 'recoveryconnect',
};
shapes.push(ORDER_SHAPE);

// MessageMedia at 0 ms. A search page carries no assignments (search lists unassigned numbers only), so 50 rows
// are 1 call; numbers by id have no batch read, so 10 of them with their assignments are 20 calls, 8 in flight per
// loader, each number read once however many fields name it.
const NUMBER_FIELDS = 'id phoneNumber raw type classification availableAfter capabilities assignment { id label metadata }';
shapes.push({
  name: 'page of 50 available numbers (with assignment)',
  body: () =>
    JSON.stringify({
      query: `{ availableNumbers(country: "AU", first: 50) { edges { cursor node { ${NUMBER_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
    }),
  clients: [50],
  vendor: 'messagemedia',
});
/** Ids to read one by one: the seeded AU inventory, straight from the simulator (the gateway is not up yet). */
async function seededNumberIds(): Promise<string[]> {
  const auth = Buffer.from(`${simulators.env.MESSAGEMEDIA_API_KEY}:${simulators.env.MESSAGEMEDIA_API_SECRET}`).toString('base64');
  const res = await fetch(`${mmOrigin}/v1/messaging/numbers/dedicated?country=AU&page_size=100`, { headers: { authorization: `Basic ${auth}` } });
  if (!res.ok) throw new Error(`MessageMedia simulator answered ${res.status} to the inventory read`);
  return ((await res.json()) as { data: Array<{ id: string }> }).data.map((n) => n.id);
}
const NUMBER_IDS = await seededNumberIds();
let numberCursor = 0;
shapes.push({
  name: '10 dedicated numbers by id (with assignment)',
  body: () => {
    const ids = Array.from({ length: 10 }, () => NUMBER_IDS[numberCursor++ % NUMBER_IDS.length]!);
    const fields = ids.map((_, i) => `n${i}: dedicatedNumber(id: $id${i}) { ${NUMBER_FIELDS} }`).join(' ');
    const params = ids.map((_, i) => `$id${i}: ID!`).join(', ');
    return JSON.stringify({ query: `query(${params}) { ${fields} }`, variables: Object.fromEntries(ids.map((id, i) => [`id${i}`, id])) });
  },
  clients: [50],
  vendor: 'messagemedia',
});
const ORIGINS: Record<Shape['vendor'], string> = { loanpro: simOrigin, recoveryconnect: rcOrigin, messagemedia: mmOrigin };

/** The catalogued codes of an answer with errors (HTTP status when the body is no GraphQL answer). */
function errorCodesOf(status: number, body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string; vendor?: string } }> };
    const codes = (parsed.errors ?? []).map((e) => [e.extensions?.code ?? 'no code', e.extensions?.vendor].filter(Boolean).join('/'));
    return codes.length > 0 ? [...new Set(codes)] : [`HTTP ${status}`];
  } catch {
    return [`HTTP ${status}`];
  }
}

/** Simulator faults and latency (PUT /__sim/faults replaces them; `{}` is none). */
async function setFaults(origin: string, settings: Record<string, number>): Promise<void> {
  const res = await fetch(`${origin}/__sim/faults`, { method: 'PUT', body: JSON.stringify(settings), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`simulator refused faults ${JSON.stringify(settings)}: ${res.status}`);
}

// Grace Lindqvist's number in the seeds: a LoanPro phone, a Vibes person with two lists.
const PHONE_LATENCY_MS = 50;
const PHONE_LOOKUP_BODY = JSON.stringify({
  query:
    'query($n: PhoneNumber!) { phone(number: $n) { number customers { id firstName } person { key } consents { purpose status source evidence } marketing: contactability(purpose: MARKETING) { allowed reasons unavailableSources } collections: contactability(purpose: COLLECTIONS) { allowed } } }',
  variables: { n: '+16514737960' },
});

async function setBehaviour(behaviour: Record<string, string>): Promise<void> {
  const res = await fetch(`${simOrigin}/__sim/behaviour`, { method: 'PUT', body: JSON.stringify(behaviour), headers: { 'content-type': 'application/json' } });
  if (!res.ok) throw new Error(`simulator refused behaviour ${JSON.stringify(behaviour)}: ${res.status}`);
}

/** Requests a simulator saw since the last clear (`recorded` counts past the log's ring capacity). */
async function simulatorRequests(origin: string): Promise<number> {
  const res = await fetch(`${origin}/__sim/requests/stats`);
  return ((await res.json()) as { recorded: number }).recorded;
}
async function clearSimulatorLog(origin: string): Promise<void> {
  await fetch(`${origin}/__sim/requests`, { method: 'DELETE' });
}
/** RecoveryConnect logins so far, refused ones included (its `/__sim/tokens` counts; other vendors: none). */
async function loginsAt(vendor: Shape['vendor']): Promise<number> {
  if (vendor !== 'recoveryconnect') return 0;
  const res = await fetch(`${rcOrigin}/__sim/tokens`);
  const stats = (await res.json()) as { logins: number; failedLogins: number };
  return stats.logins + stats.failedLogins;
}

/** One client, sequential: exact per-request latency (autocannon rounds to whole ms). */
async function sequentialLatency(
  origin: string,
  request: () => { path: string; method: 'GET' | 'POST'; body?: string; headers: Record<string, string> },
  samplesWanted = LATENCY_SAMPLES,
  warmup = 200,
) {
  const pool = new Pool(origin, { connections: 1 });
  const samples: number[] = [];
  try {
    for (let i = 0; i < samplesWanted + warmup; i++) {
      const req = request();
      const t0 = performance.now();
      const res = await pool.request(req);
      const text = await res.body.text();
      if (res.statusCode !== 200 || text.includes('"errors"')) throw new Error(`status ${res.statusCode} from ${req.path}: ${text.slice(0, 200)}`);
      if (i >= warmup) samples.push(performance.now() - t0);
    }
  } finally {
    await pool.close();
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function load(shape: Shape, connections: number) {
  const gateway = await startGateway();
  // Warm up the JIT and the pools before measuring.
  await autocannon({ url: graphqlUrl, method: 'POST', headers, connections: 10, duration: 2, body: shape.body() });
  const origin = ORIGINS[shape.vendor];
  await clearSimulatorLog(origin);
  const loginsBefore = await loginsAt(shape.vendor);
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(gateway.pid!).rss);
  }, 100);
  let graphqlErrors = 0;
  const errorCodes = new Map<string, number>();
  const result = await autocannon({
    url: graphqlUrl,
    method: 'POST',
    headers,
    connections,
    duration: DURATION_S,
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: shape.body() }),
        onResponse: (status: number, body: string) => {
          if (status !== 200 || body.includes('"errors"')) {
            graphqlErrors++;
            for (const code of errorCodesOf(status, body)) errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
          }
        },
      },
    ],
  });
  clearInterval(sampler);
  const logins = (await loginsAt(shape.vendor)) - loginsBefore;
  const upstream = (await simulatorRequests(origin)) - logins;
  peakRss = Math.max(peakRss, rssOf(gateway.pid!).hwm);
  await stopGateway(gateway);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    completed: result.requests.total,
    upstreamPerQuery: upstream / Math.max(1, result.requests.total),
    logins,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    errorCodes: [...errorCodes].map(([code, n]) => `${code} x${n}`).join(', '),
    peakRssMb: peakRss / 2 ** 20,
  };
}

const fmt = (n: number, digits = 1) => Number(n.toFixed(digits));
// BENCH_ONLY=callbacks skips the query shapes; BENCH_ONLY=queries skips callback intake.
const ONLY = process.env.BENCH_ONLY;
if (ONLY !== 'callbacks') {
  const rows: Array<Record<string, string | number>> = [];
  const errorRows: Array<Record<string, string | number>> = [];

  // BENCH_SHAPES=<text>: only the shapes whose name contains it (e.g. "dedicated").
  const only = process.env.BENCH_SHAPES;
  for (const shape of shapes.filter((s) => !only || s.name.includes(only))) {
    if (shape.behaviour) await setBehaviour(shape.behaviour);
    for (const connections of shape.clients) {
      const r = await load(shape, connections);
      rows.push({
        shape: shape.name,
        clients: connections,
        'req/s': fmt(r.rps, 0),
        'p50 ms': r.p50,
        'p99 ms': r.p99,
        vendor: shape.vendor,
        'data calls/query': fmt(r.upstreamPerQuery, 3),
        logins: r.logins,
        'errors': r.errors,
        'gateway peak RSS MB': fmt(r.peakRssMb),
      });
      if (r.errorCodes) errorRows.push({ shape: shape.name, clients: connections, 'error codes (answers)': r.errorCodes });
    }
    if (shape.behaviour) await setBehaviour({ filterOr: 'supported', collectionAccess: 'allowed' });
  }

  // Single-client latency: the gateway against the simulator's own round trip for the same customer read.
  gateway = await startGateway();
  await autocannon({ url: graphqlUrl, method: 'POST', headers, connections: 1, duration: 2, body: shapes[0]!.body() });
  const direct = await sequentialLatency(simOrigin, () => ({
    method: 'GET',
    path: `/api/public/api/1/odata.svc/Customers(${nextId()})?$expand=Phones&nopaging=true`,
    headers: { authorization: `Bearer ${TOKEN}`, 'autopal-instance-id': INSTANCE },
  }));
  const viaGateway = await sequentialLatency(`http://127.0.0.1:${gatewayPort}`, () => ({
    method: 'POST',
    path: '/graphql',
    body: shapes[0]!.body(),
    headers,
  }));
  await stopGateway(gateway);

  // The 20-borrower order from a cold gateway: its first query logs in, then 1 + 20 data calls; then one client's latency.
  gateway = await startGateway();
  await clearSimulatorLog(rcOrigin);
  const coldLoginsBefore = await loginsAt('recoveryconnect');
  const coldRes = await fetch(graphqlUrl, { method: 'POST', headers, body: ORDER_SHAPE.body() });
  const coldBody = await coldRes.text();
  if (!coldRes.ok || coldBody.includes('"errors"')) throw new Error(`order query failed: ${coldBody.slice(0, 200)}`);
  const coldLogins = (await loginsAt('recoveryconnect')) - coldLoginsBefore;
  const coldData = (await simulatorRequests(rcOrigin)) - coldLogins;
  const orderLatency = await sequentialLatency(
    `http://127.0.0.1:${gatewayPort}`,
    () => ({ method: 'POST', path: '/graphql', body: ORDER_SHAPE.body(), headers }),
    SLOW_SAMPLES,
    20,
  );
  await stopGateway(gateway);

  // phone(number) with LoanPro and Vibes at PHONE_LATENCY_MS: Vibes needs the person before its subscriptions,
  // everything else (LoanPro's phones holding the number, the ledger) runs beside it, so about two round trips.
  gateway = await startGateway();
  const slow = { latencyMs: PHONE_LATENCY_MS };
  await Promise.all([setFaults(simOrigin, slow), setFaults(vibesOrigin, slow)]);
  await Promise.all([clearSimulatorLog(simOrigin), clearSimulatorLog(vibesOrigin)]);
  const lookupOnce = await fetch(graphqlUrl, { method: 'POST', headers, body: PHONE_LOOKUP_BODY });
  const lookupBody = await lookupOnce.text();
  if (!lookupOnce.ok || lookupBody.includes('"errors"')) throw new Error(`phone lookup failed: ${lookupBody.slice(0, 300)}`);
  const lookupCalls = { loanpro: await simulatorRequests(simOrigin), vibes: await simulatorRequests(vibesOrigin) };
  const lookupLatency = await sequentialLatency(
    `http://127.0.0.1:${gatewayPort}`,
    () => ({ method: 'POST', path: '/graphql', body: PHONE_LOOKUP_BODY, headers }),
    SLOW_SAMPLES,
    20,
  );
  await Promise.all([setFaults(simOrigin, {}), setFaults(vibesOrigin, {})]);
  await stopGateway(gateway);
  gateway = undefined;

  console.log(`\nSwitchboard benchmark — ${DURATION_S}s per row, LoanPro and MessageMedia simulators at 0 ms, RecoveryConnect at ${RC_LATENCY_MS} ms, all on this machine`);
  console.table(rows);
  if (errorRows.length > 0) {
    console.log('\nAnswers with errors, by catalogued code:');
    console.table(errorRows);
  }
  console.log('\nOne client, sequential (customer(id) { phones }):');
  console.table([
    { path: 'simulator direct (Customers(id)?$expand=Phones)', 'p50 ms': fmt(direct.p50, 2), 'p99 ms': fmt(direct.p99, 2) },
    { path: 'through the gateway', 'p50 ms': fmt(viaGateway.p50, 2), 'p99 ms': fmt(viaGateway.p99, 2) },
    { path: 'gateway overhead', 'p50 ms': fmt(viaGateway.p50 - direct.p50, 2), 'p99 ms': fmt(viaGateway.p99 - direct.p99, 2) },
  ]);
  console.log(`\nOne client, sequential (${ORDER_SHAPE.name}; the physical minimum is 2 round trips = ${2 * RC_LATENCY_MS} ms):`);
  console.table([
    {
      'cold start: data calls': coldData,
      'cold start: logins': coldLogins,
      'p50 ms': fmt(orderLatency.p50, 1),
      'p99 ms': fmt(orderLatency.p99, 1),
      'p50 / latency': fmt(orderLatency.p50 / RC_LATENCY_MS, 2),
    },
  ]);
  console.log(`\nOne client, sequential (phone(number) { customers person consents contactability }, LoanPro and Vibes at ${PHONE_LATENCY_MS} ms; the floor is 2 round trips = ${2 * PHONE_LATENCY_MS} ms):`);
  console.table([
    {
      'LoanPro calls': lookupCalls.loanpro,
      'Vibes calls': lookupCalls.vibes,
      'p50 ms': fmt(lookupLatency.p50, 1),
      'p99 ms': fmt(lookupLatency.p99, 1),
      'p50 / latency': fmt(lookupLatency.p50 / PHONE_LATENCY_MS, 2),
    },
  ]);
  console.log("\nPeak RSS is the gateway process's VmHWM, from a fresh process per row (warm-up included).");
}

// ---------------------------------------------------------------- callback intake
/** Reads the ledger and inbox of the bench gateway's store, straight from the database. */
interface Books {
  query<R>(sql: string): Promise<R[]>;
  close(): Promise<void>;
}
function sqliteBooks(dir: string): Books {
  const db = new DatabaseSync(join(dir, 'switchboard.sqlite'), { readOnly: true });
  return { query: async <R>(sql: string) => db.prepare(sql).all() as R[], close: async () => db.close() };
}
async function postgresBooks(url: string, schema: string): Promise<Books> {
  const client = new pg.Client({ connectionString: withSearchPath(url, schema), application_name: 'switchboard-bench' });
  await client.connect();
  return { query: async <R>(sql: string) => (await client.query(sql)).rows as R[], close: () => client.end() };
}

const CALLBACK_SECRET = simulators.env.VIBES_CALLBACK_SECRET!;
const CALLBACK_PATH = `/webhooks/vibes/${CALLBACK_SECRET}`;
let callbackSeq = 0;
/** A Vibes opt-out callback (no read-back at Vibes: the worker's cost is the ledger's), for one of 5000 numbers. */
function callbackBody(eventId: string, n: number): string {
  const number = `+1612${String(5_000_000 + (n % 5000)).padStart(7, '0')}`;
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  return JSON.stringify({
    event_id: eventId,
    callback_type: 'subscription_removed',
    event_date: at,
    delivery_attempt: '1',
    subscription: {
      person: { id: `P${n % 5000}`, mobile_phone: { mdn: number } },
      subscription_list: { id: n % 2 === 0 ? '7001' : '7002' },
      opt_out_date: at,
      opt_out_reason: 'user_opt_out',
    },
  });
}

async function callbackIntake(store: 'sqlite' | 'postgres', connections: number) {
  const run = randomBytes(4).toString('hex');
  const schema = `sb_bench_${run}`;
  const intakeDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-intake-'));
  let admin: pg.Client | undefined;
  if (store === 'postgres') {
    admin = new pg.Client({ connectionString: process.env.BENCH_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
  }
  const storeEnv: Record<string, string> =
    store === 'postgres' ? { DATABASE_URL: withSearchPath(process.env.BENCH_DATABASE_URL!, schema) } : { DATA_DIR: intakeDir };
  const gw = await startGateway(storeEnv);
  const acknowledged = new Set<string>();
  const outcomes = { stored: 0, duplicate: 0, other: 0 };
  type Ctx = { eventId?: string };
  const requests = [
    {
      method: 'POST' as const,
      path: CALLBACK_PATH,
      headers: { 'content-type': 'application/json' },
      setupRequest: (req: autocannon.Request, context: object) => {
        const ctx = context as Ctx;
        const n = ++callbackSeq;
        // One in ten is a redelivery of an event already acknowledged (Vibes delivers at least once).
        const again = n % 10 === 0 && acknowledged.size > 0 ? [...acknowledged][n % acknowledged.size] : undefined;
        const eventId = again ?? `bench-${run}-${n}`;
        ctx.eventId = eventId;
        return { ...req, body: callbackBody(eventId, again ? Number(eventId.split('-').at(-1)) : n) };
      },
      onResponse: (status: number, body: string, context: object) => {
        const ctx = context as Ctx;
        if (status === 200 && ctx.eventId) {
          acknowledged.add(ctx.eventId);
          if (body.includes('"stored"')) outcomes.stored++;
          else outcomes.duplicate++;
        } else outcomes.other++;
      },
    },
  ];
  const url = `http://127.0.0.1:${gatewayPort}`;
  await autocannon({ url, connections: 10, duration: 2, requests }); // warm-up (its events are in the books too)
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssOf(gw.pid!).rss);
  }, 100);
  const result = await autocannon({ url, connections, duration: DURATION_S, requests });
  const loadEnded = performance.now();
  clearInterval(sampler);

  // The books: wait for the worker to drain the inbox, then every acknowledged event must be in the ledger once.
  const books = store === 'postgres' ? await postgresBooks(process.env.BENCH_DATABASE_URL!, schema) : sqliteBooks(intakeDir);
  for (;;) {
    const [open] = await books.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM webhook_inbox WHERE state IN ('pending', 'processing')");
    if (Number(open!.n) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const drainS = (performance.now() - loadEnded) / 1000;
  const counts = await books.query<{ vendor_event_id: string; n: number | string }>(
    `SELECT vendor_event_id, COUNT(*) AS n FROM consent_events WHERE vendor_event_id LIKE 'bench-${run}-%' GROUP BY vendor_event_id`,
  );
  const inLedger = new Map(counts.map((c) => [c.vendor_event_id, Number(c.n)]));
  const missing = [...acknowledged].filter((id) => !inLedger.has(id)).length;
  const doubled = [...inLedger.values()].filter((n) => n !== 1).length;
  const unacknowledged = [...inLedger.keys()].filter((id) => !acknowledged.has(id)).length;
  const [dead] = await books.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM webhook_inbox WHERE state = 'dead'");
  await books.close();
  peakRss = Math.max(peakRss, rssOf(gw.pid!).hwm);
  await stopGateway(gw);
  rmSync(intakeDir, { recursive: true, force: true });
  if (admin) {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
  return {
    store,
    clients: connections,
    'events/s': fmt(result.requests.average, 0),
    'ack p50 ms': result.latency.p50,
    'ack p99 ms': result.latency.p99,
    'stored / redelivered': `${outcomes.stored} / ${outcomes.duplicate}`,
    'non-200': outcomes.other + result.errors + result.timeouts,
    acknowledged: acknowledged.size,
    'in ledger once': [...inLedger.values()].filter((n) => n === 1).length,
    missing,
    doubled,
    // Requests autocannon still had in flight when each run stopped: stored, but their answers never read.
    'in flight at stop (stored, unread)': unacknowledged,
    dead: Number(dead!.n),
    'drain after load s': fmt(drainS, 1),
    'measured requests': result.requests.total,
    'gateway peak RSS MB': fmt(peakRss / 2 ** 20),
  };
}

if (ONLY !== 'queries') {
  const intake = [await callbackIntake('sqlite', 50)];
  if (process.env.BENCH_DATABASE_URL) intake.push(await callbackIntake('postgres', 50));
  console.log('\nCallback intake (POST /webhooks/vibes/<secret>, opt-outs, 1 in 10 a redelivery), then the books once the inbox drained:');
  console.table(intake);
}

shutdown();
process.exit(0);
