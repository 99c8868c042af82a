/**
 * Gateways as real processes (`node --import tsx src/main.ts`), as operators run them:
 * - two replicas on one PostgreSQL share one inbox: callbacks received by either are each processed exactly once;
 * - a gateway SIGKILLed while it holds a claimed row (its Vibes read-back hanging, after the PENDING was written)
 *   leaves nothing half-done: restarted, it takes the row up again and finishes it, one PENDING and one GRANTED;
 * - with REDIS_URL, a callback received and processed by one replica reaches a subscriber of the other.
 * The vendor simulators run in this test process; the gateways reach them over loopback. Every wait is for an
 * event (a log line, a row's state); none decides a verdict by time.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SIMULATOR_CALLBACK_SECRET } from '../../../src/simulators/vibes/vibes.simulator.js';
import { freshDatabase, testDatabases, type IsolatedDatabase } from '../../helpers/databases.js';
import { CONSENT_READER_KEY, databaseEnv, spawnGateway, startSimulators, type GatewayProcess, type LogLine, type TestSimulators } from '../../helpers/gateway.js';
import { callbackText, inboxRows, ledgerRows, post, SETTLE } from '../consent/gateway.fixtures.js';
import { subscribeConsent } from '../consent/graphql-ws.fixtures.js';
import { redisLabel, useRedis } from '../consent/redis.fixtures.js';

const postgres = testDatabases.find((d) => d.kind === 'postgres')!;
const sqlite = testDatabases.find((d) => d.kind === 'sqlite')!;

/** Seeded in the Vibes simulator: Grace Lindqvist, subscribed to 7001 and 7002. */
const GRACE = { personKey: '2b6f0cc1-7d0e-4f3a-9c8e-5a1d3e7b9f01', mdn: '+16514737960' } as const;

const callbackUrl = (gw: GatewayProcess) => `${gw.url}/webhooks/vibes/${SIMULATOR_CALLBACK_SECRET}`;
const processedLines = (gw: GatewayProcess): LogLine[] => gw.logs.filter((l) => l.msg === 'consent inbox row processed');

/** Skips, or under CI fails, when the database cannot be used (the rule of test/helpers/databases.ts). */
function requireDatabase(database: (typeof testDatabases)[number]): void {
  if (!database.unavailable) return;
  if (database.unavailable.fail) throw new Error(database.unavailable.reason);
}

async function spawn(sims: TestSimulators, env: Record<string, string>): Promise<GatewayProcess> {
  const gw = await spawnGateway({ ...sims.env, ...env });
  onTestFinished(async () => {
    await gw.kill('SIGKILL');
  });
  return gw;
}

describe(`gateway processes on one PostgreSQL (${postgres.label})`, () => {
  let sims: TestSimulators;
  beforeAll(async () => {
    if (!postgres.unavailable) sims = await startSimulators();
  });
  afterAll(async () => {
    await sims?.close();
  });

  it.skipIf(postgres.unavailable && !postgres.unavailable.fail)('process a shared inbox exactly once: every row claimed once, by one replica, and its events recorded once', async () => {
    requireDatabase(postgres);
    const db: IsolatedDatabase = await freshDatabase(postgres);
    const [a, b] = await Promise.all([
      spawn(sims, { ...databaseEnv(db), WEBHOOK_INBOX_WORKER_ID: 'replica-a', WEBHOOK_INBOX_POLL_MS: '25', WEBHOOK_INBOX_BATCH: '3' }),
      spawn(sims, { ...databaseEnv(db), WEBHOOK_INBOX_WORKER_ID: 'replica-b', WEBHOOK_INBOX_POLL_MS: '25', WEBHOOK_INBOX_BATCH: '3' }),
    ]);

    // 30 callbacks, alternately to each replica, all at once: opt-outs of ten numbers on two lists, and opt-ins of
    // Grace (read back from the shared Vibes simulator, where she is subscribed).
    const deliveries: Array<Promise<unknown>> = [];
    let expectedEvents = 0;
    for (let i = 0; i < 30; i++) {
      const added = i % 5 === 0;
      const spec = added
        ? { type: 'subscription_added' as const, eventId: `shared-${i}`, date: `2026-04-01T10:00:${String(i).padStart(2, '0')}Z`, mdn: GRACE.mdn, personKey: GRACE.personKey, listId: i % 2 === 0 ? '7001' : '7002' }
        : { type: 'subscription_removed' as const, eventId: `shared-${i}`, date: `2026-04-01T10:00:${String(i).padStart(2, '0')}Z`, mdn: `+161255503${String(i % 10).padStart(2, '0')}`, listId: i % 2 === 0 ? '7001' : '7002' };
      expectedEvents += added ? 2 : 1;
      deliveries.push(post(callbackUrl(i % 2 === 0 ? a : b), callbackText(spec)).then((r) => expect(r.status).toBe(200)));
    }
    await Promise.all(deliveries);

    await expect.poll(async () => Number((await db.query<{ n: string }>("SELECT COUNT(*) AS n FROM webhook_inbox WHERE state = 'done'"))[0]!.n), SETTLE).toBe(30);
    const rows = await db.query<{ id: string; attempts: number; claimed_by: string }>('SELECT id, attempts, claimed_by FROM webhook_inbox ORDER BY id');
    // Claimed once each (a second claim would have counted an attempt), by a worker loop of one of the two replicas.
    expect(rows.map((r) => Number(r.attempts))).toEqual(Array(30).fill(1));
    for (const r of rows) expect(r.claimed_by).toMatch(/^replica-[ab]\/[1-4]$/);
    // Each row processed by exactly one process: the union of both logs names every row once.
    await expect.poll(() => processedLines(a).length + processedLines(b).length, SETTLE).toBe(30);
    const processed = [...processedLines(a), ...processedLines(b)].map((l) => String(l.rowId)).sort();
    expect(processed).toEqual(rows.map((r) => r.id).sort());
    const [{ n }] = (await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM consent_events')) as [{ n: string }];
    expect(Number(n)).toBe(expectedEvents);
  }, 90_000);

  it.skipIf(postgres.unavailable && !postgres.unavailable.fail)('finishes, after a restart, the row a SIGKILLed gateway held: one PENDING, one GRANTED, nothing doubled', async () => {
    requireDatabase(postgres);
    const db = await freshDatabase(postgres);
    const vibes = sims.simulators.vibes!;
    const env = { ...databaseEnv(db), WEBHOOK_INBOX_LEASE_MS: '1000', WEBHOOK_INBOX_POLL_MS: '50', VIBES_TIMEOUT_MS: '120000' };
    // The read-back of the opt-in hangs at Vibes, so the worker holds the row between its two ledger writes.
    vibes.setFaults({ hangRate: 1, routes: '/subscriptions$', methods: ['GET'] });
    onTestFinished(() => {
      vibes.resetFaults();
    });
    const first = await spawn(sims, { ...env, WEBHOOK_INBOX_WORKER_ID: 'before-kill' });
    const eventId = 'sigkill-1';
    const answer = await post(callbackUrl(first), callbackText({ type: 'subscription_added', eventId, date: '2026-04-02T09:00:00Z', mdn: GRACE.mdn, personKey: GRACE.personKey, listId: '7001' }));
    expect(answer.status).toBe(200);

    // Mid-processing: PENDING written, the row claimed by this process, its read-back hanging at Vibes.
    await expect.poll(async () => (await ledgerRows(db, GRACE.mdn)).map((r) => r.status), SETTLE).toEqual(['PENDING']);
    const [held] = await inboxRows(db, eventId);
    expect(held).toMatchObject({ state: 'processing', claimed_by: expect.stringMatching(/^before-kill\/\d$/) });
    expect(Number(held!.attempts)).toBe(1);
    expect(await first.kill('SIGKILL')).toBeNull();

    vibes.resetFaults();
    const restarted = await spawn(sims, { ...env, WEBHOOK_INBOX_WORKER_ID: 'after-restart' });
    await expect.poll(async () => (await inboxRows(db, eventId))[0]?.state, SETTLE).toBe('done');
    const [done] = await inboxRows(db, eventId);
    expect(done).toMatchObject({ outcome: 'granted', claimed_by: expect.stringMatching(/^after-restart\/\d$/) });
    expect(Number(done!.attempts)).toBe(2);
    const events = await ledgerRows(db, GRACE.mdn);
    expect(events.map((e) => [e.status, e.vendor_event_id])).toEqual([
      ['PENDING', eventId],
      ['GRANTED', eventId],
    ]);
    expect(events[1]!.corrects_event_id).toBe(events[0]!.id);
    expect(processedLines(restarted).map((l) => l.rowId)).toEqual([done!.id]);
  }, 90_000);
});

describe(`live events across replicas through the real Redis (${redisLabel})`, () => {
  const redisUrl = useRedis();
  let sims: TestSimulators;
  beforeAll(async () => {
    sims = await startSimulators();
  });
  afterAll(async () => {
    await sims?.close();
  });

  it('a callback received by one gateway process reaches a subscriber of the other, once', async () => {
    const [dbA, dbB] = await Promise.all([freshDatabase(sqlite), freshDatabase(sqlite)]);
    const [a, b] = await Promise.all([
      spawn(sims, { ...databaseEnv(dbA), REDIS_URL: redisUrl() }),
      spawn(sims, { ...databaseEnv(dbB), REDIS_URL: redisUrl() }),
    ]);
    const number = '+16125550301';
    const onB = subscribeConsent(b.url, { connectionParams: { authorization: `Bearer ${CONSENT_READER_KEY}` } }, { number });
    const onA = subscribeConsent(a.url, { connectionParams: { authorization: `Bearer ${CONSENT_READER_KEY}` } }, { number });
    try {
      await Promise.all([
        b.waitForLog((l) => l.msg === 'subscription started' && l.live === true),
        a.waitForLog((l) => l.msg === 'subscription started' && l.live === true),
      ]);
      // Vibes delivers to replica A only.
      const vibes = sims.simulators.vibes!;
      vibes.setCallbackUrl(callbackUrl(a), { version: 2 });
      const record = vibes.subscribe({ mdn: number }, '7001');

      const [pendingOnB, grantedOnB] = await onB.take(2);
      expect(pendingOnB).toMatchObject({ number, status: 'PENDING', vendorEventId: record.eventId });
      expect(grantedOnB).toMatchObject({ number, status: 'GRANTED', correctsEventId: pendingOnB!.id });
      // Replica A's own subscriber got the same two events once each (delivered locally, the Redis echo skipped).
      expect((await onA.take(2)).map((e) => e.id)).toEqual([pendingOnB!.id, grantedOnB!.id]);
      // B never processed anything: the events reached it through Redis alone.
      expect(processedLines(b)).toEqual([]);
      vibes.stop(number);
      const [revokedOnB] = await onB.take(1);
      expect(revokedOnB).toMatchObject({ status: 'REVOKED' });
      expect((await onA.take(1))[0]!.id).toBe(revokedOnB!.id);
      expect(onA.pending + onB.pending).toBe(0);
    } finally {
      await Promise.all([onA.dispose(), onB.dispose()]);
    }
  }, 90_000);
});
