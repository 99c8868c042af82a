/**
 * Assigning and releasing MessageMedia numbers with idempotency keys, through the gateway over real HTTP, on
 * SQLite and on PostgreSQL (each suite its own isolated database: a temp dir, or a schema). A programmable proxy
 * sits in front of the simulator so a test can hold a request until it decides; faults are deterministic
 * (rate 1, a budget of 1, a method filter). Every verdict comes from answers and the simulator's request log;
 * the one timeout (MESSAGEMEDIA_TIMEOUT_MS) only bounds how long a dropped or held request waits.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AssignDedicatedNumberMutation, ReleaseDedicatedNumberMutation } from '../../__generated__/operations.js';
import { testDatabases, useTestDatabase } from '../../helpers/databases.js';
import { ADMIN_KEY, startGateway, type GraphQLResult, type TestGateway } from '../../helpers/gateway.js';
import { startProxy, type ProxiedRequest, type ProxyDecision, type TestProxy } from '../../helpers/proxy.js';
import { withSearchPath } from '../../../src/store/postgres.js';

const DOCUMENT = readFileSync(new URL('../../operations/number.graphql', import.meta.url), 'utf8');
const ASSIGN = { query: DOCUMENT, operationName: 'AssignDedicatedNumber' };
const RELEASE = { query: DOCUMENT, operationName: 'ReleaseDedicatedNumber' };
const BASE = '/v1/messaging/numbers/dedicated';
const START = Date.UTC(2026, 0, 15, 12, 0, 0);
const HELD = 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985';
const NOT_YET = '08b473de-1a8f-4212-a7a7-3793e94c5f12';

/** A request the proxy holds until the test lets it go (then it is forwarded as it came). */
interface Hold {
  /** Resolves when the held request reached the proxy. */
  readonly arrived: Promise<void>;
  release(): void;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const codeOf = (res: GraphQLResult<unknown>) => res.errors?.[0]?.extensions?.code;

describe.each(testDatabases)('MessageMedia writes with idempotency keys ($label)', (database) => {
  const ctx = useTestDatabase(database);
  let gw: TestGateway;
  let proxy: TestProxy;
  /** Set by a test: how the proxy treats the next matching request. */
  let intercept: ((req: ProxiedRequest) => Promise<ProxyDecision> | undefined) | undefined;
  const sim = () => gw.simulators.messagemedia!;
  const posts = () => sim().requestLog.entries({ method: 'POST' }).map((e) => [e.status, e.fault]);
  const deletes = () => sim().requestLog.entries({ method: 'DELETE' }).map((e) => [e.status, e.fault]);
  let seq = 0;
  const key = () => `${database.kind}-key-${++seq}`;
  const available = (n: number) => sim().findNumberIds({ state: 'available', country: 'AU', capability: 'SMS' }).slice(0, n);
  const assign = (variables: Record<string, unknown>) => gw.gql<AssignDedicatedNumberMutation>(ASSIGN, variables, { key: ADMIN_KEY });
  const release = (variables: Record<string, unknown>) => gw.gql<ReleaseDedicatedNumberMutation>(RELEASE, variables, { key: ADMIN_KEY });

  /** Holds the next request with this method until released. */
  function hold(method: string): Hold {
    const arrived = deferred();
    const gate = deferred();
    let taken = false;
    intercept = (req) => {
      if (taken || req.method !== method) return undefined;
      taken = true;
      arrived.resolve();
      return gate.promise.then(() => 'forward' as const);
    };
    return { arrived: arrived.promise, release: gate.resolve };
  }

  beforeAll(async () => {
    if (database.unavailable) return;
    const options = ctx.db.options;
    const storeEnv: Record<string, string> =
      ctx.db.kind === 'postgres' ? { DATABASE_URL: withSearchPath(options.databaseUrl!, options.pgSchema!) } : { DATA_DIR: options.dataDir };
    gw = await startGateway({
      env: { ...storeEnv, MESSAGEMEDIA_TIMEOUT_MS: '1000' },
      simulators: { messagemedia: { now: () => START } },
      baseUrlFor: {
        messagemedia: async (s) => {
          proxy = await startProxy(s.url, (req) => intercept?.(req) ?? 'forward');
          return proxy.origin;
        },
      },
    });
    expect(gw.app.store.kind).toBe(database.kind);
  });
  afterAll(async () => {
    await gw?.close();
    await proxy?.close();
  });
  beforeEach(() => {
    if (database.unavailable) return;
    intercept = undefined;
    sim().resetData();
    sim().resetFaults();
    gw.resetRequestLog();
  });

  it('replays the same key and arguments with no MessageMedia call', async () => {
    const numberId = available(1)[0]!;
    const k = key();
    const first = await assign({ numberId, label: 'Team A', metadata: { region: 'SE' }, idempotencyKey: k });
    expect(first.errors).toBeUndefined();
    expect(posts()).toEqual([[201, null]]);
    gw.resetRequestLog();

    const again = await assign({ numberId, label: 'Team A', metadata: { region: 'SE' }, idempotencyKey: k });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(gw.requests('messagemedia')).toEqual([]);

    const k2 = key();
    expect((await release({ numberId, idempotencyKey: k2 })).data).toEqual({ releaseDedicatedNumber: true });
    expect((await release({ numberId, idempotencyKey: k2 })).data).toEqual({ releaseDedicatedNumber: true });
    expect(deletes()).toEqual([[204, null]]);
  });

  it('refuses the same key with other arguments (IDEMPOTENCY_KEY_REUSED), with no call', async () => {
    const [a, b] = available(2) as [string, string];
    const k = key();
    expect((await assign({ numberId: a, label: 'one', idempotencyKey: k })).errors).toBeUndefined();
    gw.resetRequestLog();
    for (const variables of [
      { numberId: a, label: 'two', idempotencyKey: k },
      { numberId: b, label: 'one', idempotencyKey: k },
      { numberId: a, label: 'one', metadata: { x: 'y' }, idempotencyKey: k },
    ]) {
      const res = await assign(variables);
      expect(res.data).toBeNull();
      expect(codeOf(res)).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    expect(gw.requests('messagemedia')).toEqual([]);
    // Spelling the same arguments differently is not other arguments.
    const same = await assign({ numberId: a.toUpperCase(), label: 'one', metadata: null, idempotencyKey: k });
    expect(same.errors).toBeUndefined();
  });

  it('two concurrent calls with one key make one vendor call: the second is IN_PROGRESS while the first holds it', async () => {
    const numberId = available(1)[0]!;
    const k = key();
    const held = hold('POST');
    const first = assign({ numberId, idempotencyKey: k });
    await held.arrived;
    const second = await assign({ numberId, idempotencyKey: k });
    expect(codeOf(second)).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    held.release();
    const done = await first;
    expect(done.errors).toBeUndefined();
    expect(posts()).toEqual([[201, null]]);
    // Afterwards the key replays.
    expect((await assign({ numberId, idempotencyKey: k })).data).toEqual(done.data);
    expect(posts()).toHaveLength(1);
  });

  it('five calls at once with one key: one POST, every answer the result or IN_PROGRESS', async () => {
    const numberId = available(1)[0]!;
    const k = key();
    const answers = await Promise.all(Array.from({ length: 5 }, () => assign({ numberId, idempotencyKey: k })));
    expect(posts()).toEqual([[201, null]]);
    const result = answers.find((a) => a.errors === undefined);
    expect(result?.data?.assignDedicatedNumber.id).toBe(numberId);
    for (const answer of answers) {
      if (answer.errors) expect(codeOf(answer)).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      else expect(answer.data).toEqual(result!.data);
    }
  });

  it('a timeout after the POST reached MessageMedia: OUTCOME_UNKNOWN, then the retry reads the assignment instead of buying again', async () => {
    const numberId = available(1)[0]!;
    const k = key();
    sim().setFaults({ dropResponseRate: 1, methods: ['POST'], faultBudget: 1 });
    const first = await assign({ numberId, label: 'L', idempotencyKey: k });
    expect(first.data).toBeNull();
    expect(first.errors![0]!.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', vendor: 'MESSAGEMEDIA' });
    // MessageMedia did assign it; only its answer was lost.
    expect(posts()).toEqual([[201, 'drop']]);
    const bought = sim().getAssignment(numberId)!;
    expect(bought).toMatchObject({ numberId, label: 'L' });
    gw.resetRequestLog();

    const retry = await assign({ numberId, label: 'L', idempotencyKey: k });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.assignDedicatedNumber).toMatchObject({ id: numberId, assignment: { id: bought.id, label: 'L' } });
    // Reconciled by reading: no POST was sent again.
    expect(gw.requests('messagemedia').map((c) => [c.method, c.path, c.status])).toEqual([
      ['GET', `${BASE}/${numberId}/assignment`, 200],
      ['GET', `${BASE}/${numberId}`, 200],
    ]);
    gw.resetRequestLog();
    expect((await assign({ numberId, label: 'L', idempotencyKey: k })).data).toEqual(retry.data);
    expect(gw.requests('messagemedia')).toEqual([]);
  });

  it('a timeout before MessageMedia handled the POST: the retry finds no assignment, and only then POSTs again', async () => {
    const numberId = available(1)[0]!;
    const k = key();
    sim().setFaults({ hangRate: 1, methods: ['POST'], faultBudget: 1 });
    const first = await assign({ numberId, idempotencyKey: k });
    expect(codeOf(first)).toBe('OUTCOME_UNKNOWN');
    expect(sim().getAssignment(numberId)).toBeUndefined();
    gw.resetRequestLog();

    const retry = await assign({ numberId, idempotencyKey: k });
    expect(retry.errors).toBeUndefined();
    expect(gw.requests('messagemedia').map((c) => [c.method, c.path, c.status])).toEqual([
      ['GET', `${BASE}/${numberId}/assignment`, 404],
      ['GET', `${BASE}/${numberId}`, 200],
      ['POST', `${BASE}/${numberId}/assignment`, 201],
    ]);
    expect(sim().getAssignment(numberId)).toBeDefined();
  });

  it('a first POST that lands after the reconcile read: the retry POST gets 409 and answers the assignment it made', async () => {
    const numberId = available(1)[0]!;
    const k = key();
    // The first POST is held at the proxy past the gateway's timeout; it reaches MessageMedia only when the retry's
    // own POST arrives, so the reconcile read has seen no assignment.
    const late = hold('POST');
    const first = await assign({ numberId, label: 'late', idempotencyKey: k });
    await late.arrived;
    expect(codeOf(first)).toBe('OUTCOME_UNKNOWN');
    intercept = (req) => {
      if (req.method !== 'POST') return undefined;
      late.release();
      return sim()
        .requestLog.waitFor({ method: 'POST', status: 201 })
        .then(() => 'forward' as const);
    };
    const retry = await assign({ numberId, label: 'late', idempotencyKey: k });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.assignDedicatedNumber.assignment).toMatchObject({ id: sim().getAssignment(numberId)!.id, label: 'late' });
    expect(posts()).toEqual([
      [201, null],
      [409, null],
    ]);
  });

  it('a late first POST whose 409 cannot be read back keeps the key unknown: the next retry reconciles instead of buying or refusing', async () => {
    const numberId = available(1)[0]!;
    const k = key();
    const late = hold('POST');
    expect(codeOf(await assign({ numberId, idempotencyKey: k }))).toBe('OUTCOME_UNKNOWN');
    await late.arrived;
    // The retry's reconcile read sees no assignment; its POST lets the first one land and then meets 409; the read
    // that would tell "ours" from "someone else's" is refused (429).
    let retryPosted = false;
    intercept = (req) => {
      if (req.method === 'POST') {
        retryPosted = true;
        late.release();
        return sim()
          .requestLog.waitFor({ method: 'POST', status: 201 })
          .then(() => 'forward' as const);
      }
      if (retryPosted && req.method === 'GET' && req.url.endsWith('/assignment')) {
        return Promise.resolve({ status: 429, body: { message: 'Too Many Requests' } });
      }
      return undefined;
    };
    const retry = await assign({ numberId, idempotencyKey: k });
    expect(retry.data).toBeNull();
    expect(codeOf(retry)).toBe('OUTCOME_UNKNOWN');
    expect(posts()).toEqual([
      [201, null],
      [409, null],
    ]);

    intercept = undefined;
    const settled = await assign({ numberId, idempotencyKey: k });
    expect(settled.errors).toBeUndefined();
    expect(settled.data!.assignDedicatedNumber.assignment!.id).toBe(sim().getAssignment(numberId)!.id);
    // Read, not bought again (nor refused with a CONFLICT for the number the first attempt bought).
    expect(posts()).toHaveLength(2);
  });

  it('release: a DELETE whose answer was lost is reconciled as done (the number is no longer held), with no second DELETE', async () => {
    const k = key();
    sim().setFaults({ dropResponseRate: 1, methods: ['DELETE'], faultBudget: 1 });
    const first = await release({ numberId: HELD, idempotencyKey: k });
    expect(codeOf(first)).toBe('OUTCOME_UNKNOWN');
    expect(sim().getAssignment(HELD)).toBeUndefined();
    const retry = await release({ numberId: HELD, idempotencyKey: k });
    expect(retry.errors).toBeUndefined();
    expect(retry.data).toEqual({ releaseDedicatedNumber: true });
    expect(deletes()).toEqual([[204, 'drop']]);
  });

  it('release: a DELETE that never reached the handler is reconciled as not done, then sent again', async () => {
    const k = key();
    sim().setFaults({ hangRate: 1, methods: ['DELETE'], faultBudget: 1 });
    expect(codeOf(await release({ numberId: HELD, idempotencyKey: k }))).toBe('OUTCOME_UNKNOWN');
    expect(sim().getAssignment(HELD)).toBeDefined();
    const retry = await release({ numberId: HELD, idempotencyKey: k });
    expect(retry.data).toEqual({ releaseDedicatedNumber: true });
    expect(deletes()).toEqual([
      [0, 'hang'],
      [204, null],
    ]);
    expect(sim().getAssignment(HELD)).toBeUndefined();
  });

  it('a refusal (409) or a failure before the POST leaves the key free: the same key runs again', async () => {
    const k = key();
    expect(codeOf(await assign({ numberId: NOT_YET, idempotencyKey: k }))).toBe('CONFLICT');
    expect(codeOf(await assign({ numberId: NOT_YET, idempotencyKey: k }))).toBe('CONFLICT');
    expect(posts()).toEqual([
      [409, null],
      [409, null],
    ]);

    // The read before the POST fails: nothing was bought, so the same key may run again at once.
    const numberId = available(1)[0]!;
    const k2 = key();
    sim().setFaults({ errorRate: 1, errorStatus: 503, methods: ['GET'], routes: `^${BASE}/[^/]+$` });
    expect(codeOf(await assign({ numberId, idempotencyKey: k2 }))).toBe('UPSTREAM_UNAVAILABLE');
    expect(posts()).toHaveLength(2);
    sim().resetFaults();
    const retry = await assign({ numberId, idempotencyKey: k2 });
    expect(retry.errors).toBeUndefined();
    expect(posts()).toEqual([
      [409, null],
      [409, null],
      [201, null],
    ]);
  });

  it('keys belong to their caller and mutation: the same key on release is a new request', async () => {
    const numberId = available(1)[0]!;
    const k = key();
    expect((await assign({ numberId, idempotencyKey: k })).errors).toBeUndefined();
    const released = await release({ numberId, idempotencyKey: k });
    expect(released.data).toEqual({ releaseDedicatedNumber: true });
    expect(deletes()).toEqual([[204, null]]);
  });
});
