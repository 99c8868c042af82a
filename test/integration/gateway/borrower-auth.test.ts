import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateBorrowerPhoneMutation, OrderQuery } from '../../__generated__/operations.js';
import { createRecoveryConnectTransport, type RecoveryConnectTransport } from '../../../src/datasources/recoveryconnect/recoveryconnect.connect.js';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { BORROWER_READER_KEY, BORROWER_WRITER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import {
  BENCH_BORROWER_COUNT,
  BENCH_ORDER_ID,
  DOC_BORROWER_ID,
  DOC_ORDER_ID,
  FIRST_CREATED_PHONE_ID,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';
import { createRecoveryConnectSimulator, type RecoveryConnectSimulator } from '../../../src/simulators/recoveryconnect/recoveryconnect.simulator.js';
import { borrowerOperation as op } from '../../helpers/operations.js';

const LOGIN = '/api/v140/auth';
const borrowersPath = (order: number) => `/api/v140/orders/${order}/borrowers`;
const HOUR_MS = 3_600_000;

describe('RecoveryConnect token handling through the gateway', () => {
  let gw: TestGateway;
  const rc = () => gw.simulators.recoveryconnect!;
  const order = (id: number) => gw.gql<OrderQuery>(op('Order'), { id: String(id) }, { key: BORROWER_READER_KEY });
  const logins = () => gw.requests('recoveryconnect').filter((r) => r.path === LOGIN);

  beforeEach(async () => {
    // A fresh gateway per test: each starts without a token.
    gw = await startGateway();
  });
  afterEach(() => gw.close());

  it('logs in lazily, once, however many requests arrive together', async () => {
    expect(rc().loginCount()).toBe(0);
    const answers = await Promise.all([DOC_ORDER_ID, BENCH_ORDER_ID, DOC_ORDER_ID, BENCH_ORDER_ID, DOC_ORDER_ID].map(order));
    for (const res of answers) expect(res.errors).toBeUndefined();
    expect(rc().loginCount()).toBe(1);
    // The login went first; no data request was ever refused.
    const log = gw.requests('recoveryconnect');
    expect(log[0]!.path).toBe(LOGIN);
    expect(log.filter((r) => r.status === 401)).toEqual([]);
  });

  it('renews once when the token expires mid-test (the vendor says 401) and replays the call', async () => {
    expect((await order(DOC_ORDER_ID)).errors).toBeUndefined();
    gw.resetRequestLog();
    // The vendor's clock moves past the token's hour; the gateway's does not, so the vendor is the one to say it.
    rc().setClock(() => Date.now() + HOUR_MS + 1000);
    const res = await order(DOC_ORDER_ID);
    expect(res.errors).toBeUndefined();
    expect(res.data!.order!.borrowers[0]!.phones).toHaveLength(2);
    expect(gw.requests('recoveryconnect').slice(0, 3).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET ${borrowersPath(DOC_ORDER_ID)} 401`,
      `POST ${LOGIN} 200`,
      `GET ${borrowersPath(DOC_ORDER_ID)} 200`,
    ]);
    expect(logins()).toHaveLength(1);
    expect(rc().loginCount()).toBe(2);
  });

  it('renews once when the token expires between the borrower list and the parallel phone calls', async () => {
    const stop = rc().requestLog.onRecord((entry) => {
      // Runs as the list's answer is written, before the gateway can read it: every phone call carries the dead token.
      if (entry.path === borrowersPath(BENCH_ORDER_ID) && entry.status === 200) {
        rc().expireTokens();
        stop();
      }
    });
    const res = await order(BENCH_ORDER_ID);
    expect(res.errors).toBeUndefined();
    expect(res.data!.order!.borrowers.every((b) => b.phones !== null && b.phones.length > 0)).toBe(true);
    expect(rc().loginCount()).toBe(2);
    const phones = gw.requests('recoveryconnect').filter((r) => r.path.endsWith('/phones'));
    const byPath = new Map<string, number[]>();
    for (const r of phones) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.status]);
    expect(byPath.size).toBe(BENCH_BORROWER_COUNT);
    // Each borrower: refused once, replayed once with the one new token.
    for (const statuses of byPath.values()) expect(statuses).toEqual([401, 200]);
  });

  it('replays a POST refused with 401 (the 401 proves it was not applied): one login, one phone created', async () => {
    expect((await order(DOC_ORDER_ID)).errors).toBeUndefined();
    gw.resetRequestLog();
    rc().setFaults({ errorRate: 1, errorStatus: 401, methods: ['POST'], routes: '/phones$', faultBudget: 1 });
    const res = await gw.gql<CreateBorrowerPhoneMutation>(
      op('CreateBorrowerPhone'),
      { orderId: String(DOC_ORDER_ID), borrowerId: String(DOC_BORROWER_ID), input: { number: '+14045550123', typeId: 5 } },
      { key: BORROWER_WRITER_KEY },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createBorrowerPhone.vendorId).toBe(String(FIRST_CREATED_PHONE_ID));
    expect(gw.requests('recoveryconnect').map((r) => `${r.method} ${r.status}`)).toEqual(['POST 401', 'POST 200', 'POST 200']);
    expect(logins()).toHaveLength(1);
    expect(rc().getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, FIRST_CREATED_PHONE_ID + 1)).toBeUndefined();
  });

  it('replays a 401 once, never in a loop: a vendor that keeps refusing fails the field', async () => {
    expect((await order(DOC_ORDER_ID)).errors).toBeUndefined();
    gw.resetRequestLog();
    rc().setFaults({ errorRate: 1, errorStatus: 401, routes: '/phones$' });
    const res = await order(DOC_ORDER_ID);
    expect(res.data!.order!.borrowers.map((b) => b.phones)).toEqual([null, null]);
    for (const error of res.errors!) expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'RECOVERY_CONNECT' });
    const phoneCalls = gw.requests('recoveryconnect').filter((r) => r.path.endsWith('/phones'));
    expect(phoneCalls).toHaveLength(2 * 2);
    // Both borrowers' 401s were on the same token: one new login between them.
    expect(logins()).toHaveLength(1);
  });

  it('answers UPSTREAM_UNAVAILABLE naming RecoveryConnect at once while it refuses the credentials, trying a login at most once per window', async () => {
    const refused = await startGateway({ env: { RECOVERYCONNECT_PASSWORD: 'not-the-password' } });
    try {
      const sim = refused.simulators.recoveryconnect!;
      for (let i = 0; i < 3; i++) {
        const res = await refused.gql<OrderQuery>(op('Order'), { id: String(DOC_ORDER_ID) }, { key: BORROWER_READER_KEY });
        expect(res.data!.order).toBeNull();
        const error = res.errors![0]!;
        expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'RECOVERY_CONNECT' });
        expect(error.extensions!['retryAfterSeconds']).toEqual(expect.any(Number));
        expect(error.message).toMatch(/RecoveryConnect refused the gateway's credentials/);
        expect(JSON.stringify(res.errors)).not.toContain('not-the-password');
      }
      // One refused login in the default 10 s window, then no more calls of any kind.
      expect(sim.tokenStats()).toMatchObject({ logins: 0, failedLogins: 1 });
      expect(refused.requests('recoveryconnect').map((r) => `${r.path} ${r.status}`)).toEqual([`${LOGIN} 401`]);
      expect(refused.logs.join('')).not.toContain('not-the-password');
    } finally {
      await refused.close();
    }
  });
});

describe('RecoveryConnect transport on an injected clock (renewal and the login pause)', () => {
  let sim: RecoveryConnectSimulator;
  let transport: RecoveryConnectTransport | undefined;
  let now = 0;
  const CONFIG = { timeoutMs: 2000, connections: 4, maxConcurrency: 8, loginRetryMs: 10_000 };
  const connect = (password: string) =>
    (transport = createRecoveryConnectTransport(CONFIG, { baseUrl: sim.baseUrl, credentials: { username: sim.username, password } }, { clock: () => now }));
  const statuses = () => sim.requestLog.entries().map((e) => `${e.path === LOGIN ? 'login' : 'data'} ${e.status}`);

  beforeAll(async () => {
    sim = createRecoveryConnectSimulator({ password: 'the-right-password' });
    await sim.start();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    now = 0;
    sim.requestLog.clear();
    sim.setCredentials(sim.username, 'the-right-password');
  });
  afterEach(async () => {
    await transport?.close();
    transport = undefined;
  });

  it('renews ahead of expiry in the background, the call carrying on with the valid token', async () => {
    const { client } = connect('the-right-password');
    expect(await client.getBorrowers(DOC_ORDER_ID)).toHaveLength(2);
    const seq = sim.requestLog.lastSeq();
    // 59.5 minutes in: inside the last minute of the token's hour, where a renewal starts.
    now = 59.5 * 60_000;
    expect(await client.getBorrowers(DOC_ORDER_ID)).toHaveLength(2);
    await sim.requestLog.waitFor({ path: LOGIN, since: seq });
    expect(await client.getBorrowers(DOC_ORDER_ID)).toHaveLength(2);
    expect(sim.loginCount()).toBe(2);
    expect(statuses().filter((s) => s.endsWith('401'))).toEqual([]);
  });

  it('never sends a token it knows has expired: it logs in first', async () => {
    const { client } = connect('the-right-password');
    await client.getBorrowers(DOC_ORDER_ID);
    now = HOUR_MS + 1;
    await client.getBorrowers(DOC_ORDER_ID);
    expect(statuses()).toEqual(['login 200', 'data 200', 'login 200', 'data 200']);
  });

  it('pauses logins after a refusal, answers at once meanwhile, and recovers by itself once the credentials work', async () => {
    const { client } = connect('rotated-password');
    const refusal = async () => {
      const err = await client.getBorrowers(DOC_ORDER_ID).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err).toMatchObject({ kind: 'auth_failed', vendor: 'RECOVERY_CONNECT' });
      expect(JSON.stringify(err)).not.toContain('rotated-password');
    };
    await refusal();
    expect(statuses()).toEqual(['login 401']);
    now = 5_000;
    await refusal();
    // The vendor now takes the password the gateway has; the pause still holds until its 10 s are up.
    sim.setCredentials(sim.username, 'rotated-password');
    now = 9_999;
    await refusal();
    expect(statuses()).toEqual(['login 401']);
    now = 10_000;
    expect(await client.getBorrowers(DOC_ORDER_ID)).toHaveLength(2);
    expect(statuses()).toEqual(['login 401', 'login 200', 'data 200']);
  });
});
