/**
 * The callback path end to end, on SQLite and PostgreSQL: the Vibes simulator sends over real HTTP, the gateway
 * stores the callback in the inbox, the worker turns it into ledger events, `phone(number)` shows them, and a
 * real graphql-ws client receives them as they are recorded. Duplicates, reordering, and a store outage answered
 * 503 and recovered with nothing lost.
 *
 * Waits are for events (deliveries in the simulator's log, rows in the database, messages on the socket), bounded
 * only so that a broken test ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneLookupQuery } from '../../__generated__/operations.js';
import type { VibesSimulator } from '../../../src/simulators/vibes/vibes.simulator.js';
import { freshDatabase, testDatabases, useTestDatabase } from '../../helpers/databases.js';
import { ADMIN_KEY, CONSENT_READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { consentOperation, inboxRows, ledgerRows, post, callbackText, SETTLE, subscriptionStarted, waitForLog } from '../consent/gateway.fixtures.js';
import { subscribeConsent } from '../consent/graphql-ws.fixtures.js';
import { storeOutage } from '../consent/store-outage.fixtures.js';

/** Fast, bounded retries: the outage test needs Vibes to come back soon after the store does. */
const SIM_CALLBACKS = { retry: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 200 }, timeoutMs: 60_000 } as const;

const lookup = (gw: TestGateway, number: string, purpose: 'ACCOUNT' | 'MARKETING' | 'COLLECTIONS') =>
  gw.gql<PhoneLookupQuery>(consentOperation('PhoneLookup'), { number, purpose }, { key: ADMIN_KEY });

describe.each(testDatabases)('Vibes callbacks into the ledger, end to end ($label)', (database) => {
  const ctx = useTestDatabase(database);
  let gw: TestGateway;
  let vibes: VibesSimulator;

  beforeAll(async () => {
    if (database.unavailable) return;
    gw = await startGateway({
      database: ctx.db,
      vibesCallbacks: true,
      vendors: ['loanpro', 'vibes'],
      simulators: { vibes: { callbacks: SIM_CALLBACKS } },
      env: { VIBES_LIST_PURPOSES: '7001=MARKETING,7002=ACCOUNT' },
    });
    vibes = gw.simulators.vibes!;
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('an opt-in travels simulator -> webhook -> inbox -> ledger -> subscriber, then a texted STOP revokes it', async () => {
    const number = '+16125550101';
    const sub = subscribeConsent(gw.url!, { connectionParams: { authorization: `Bearer ${CONSENT_READER_KEY}` } }, { number });
    try {
      await waitForLog(gw.logs, subscriptionStarted);
      const record = vibes.subscribe({ mdn: number }, '7001');

      // Recorded at once as PENDING, then GRANTED once the subscription was read back from Vibes.
      const [pending, granted] = await sub.take(2);
      expect(pending).toMatchObject({ number, status: 'PENDING', purpose: 'MARKETING', source: 'VIBES', evidence: 'SUBSCRIPTION_CALLBACK', listId: '7001', vendorEventId: record.eventId });
      expect(granted).toMatchObject({ number, status: 'GRANTED', correctsEventId: pending!.id, vendorEventId: record.eventId });
      expect(granted!.detail).toMatchObject({ callbackType: 'subscription_added', confirmedBy: 'subscription_read_back', numberFrom: 'callback' });
      // The events are published as they are written; the row is completed just after.
      await expect.poll(() => inboxRows(ctx.db, record.eventId), SETTLE).toEqual([
        expect.objectContaining({ callback_type: 'subscription_added', state: 'done', outcome: 'granted' }),
      ]);

      const allowed = await lookup(gw, number, 'MARKETING');
      expect(allowed.errors).toBeUndefined();
      expect(allowed.data!.phone.history!.map((e) => [e.id, e.status])).toEqual([
        [granted!.id, 'GRANTED'],
        [pending!.id, 'PENDING'],
      ]);
      expect(allowed.data!.phone.consents.map((c) => [c.purpose, c.status, c.source, c.evidence, c.listId])).toEqual([
        ['MARKETING', 'GRANTED', 'VIBES', 'SUBSCRIPTION_CALLBACK', '7001'],
        ['MARKETING', 'GRANTED', 'VIBES', 'VENDOR_FLAG', '7001'],
      ]);
      expect(allowed.data!.phone.contactability).toMatchObject({ allowed: true, purpose: 'MARKETING', blockedBy: [], unavailableSources: [] });
      // Consent for one purpose never authorises another.
      const account = await lookup(gw, number, 'ACCOUNT');
      expect(account.data!.phone.contactability).toMatchObject({ allowed: false });
      expect(account.data!.phone.contactability.reasons[0]).toBe('No source grants ACCOUNT consent.');

      vibes.stop(number);
      const [revoked] = await sub.take(1);
      expect(revoked).toMatchObject({ status: 'REVOKED', listId: '7001', vendorEventId: record.eventId, detail: expect.objectContaining({ reason: 'user_opt_out' }) });
      const blocked = await lookup(gw, number, 'MARKETING');
      expect(blocked.data!.phone.contactability.allowed).toBe(false);
      expect(blocked.data!.phone.contactability.blockedBy.map((c) => [c.status, c.evidence, c.reason])).toEqual([
        ['REVOKED', 'SUBSCRIPTION_CALLBACK', 'user_opt_out'],
        ['REVOKED', 'VENDOR_FLAG', 'user_opt_out'],
      ]);
      expect(sub.pending).toBe(0);
    } finally {
      await sub.dispose();
    }
    expect(gw.logs.join('\n')).not.toContain('6125550101');
  });

  it('acknowledges every copy of a duplicated delivery with 200 and records the event once', async () => {
    const number = '+16125550102';
    vibes.subscribe({ mdn: number }, '7002');
    await expect.poll(async () => (await ledgerRows(ctx.db, number)).map((r) => r.status), SETTLE).toEqual(['PENDING', 'GRANTED']);

    vibes.duplicateNextCallbacks(1, 3);
    const [ended] = vibes.stop(number);
    const copies = await vibes.waitForDeliveries(3, { eventId: ended!.eventId, type: 'subscription_removed' });
    expect(copies.map((d) => [d.copy, d.status, d.outcome])).toEqual([
      [1, 200, 'delivered'],
      [2, 200, 'delivered'],
      [3, 200, 'delivered'],
    ]);
    await expect.poll(async () => (await ledgerRows(ctx.db, number)).map((r) => r.status), SETTLE).toEqual(['PENDING', 'GRANTED', 'REVOKED']);
    await expect.poll(() => inboxRows(ctx.db, ended!.eventId), SETTLE).toEqual([
      expect.objectContaining({ callback_type: 'subscription_added', state: 'done' }),
      expect.objectContaining({ callback_type: 'subscription_removed', state: 'done', outcome: 'revoked' }),
    ]);
  });

  it('records one event for three deliveries of one callback with different delivery_attempt values', async () => {
    const number = '+16125550103';
    const spec = { type: 'subscription_removed', eventId: 'attempts-1', date: '2026-02-01T10:00:00Z', mdn: number, listId: '7001' } as const;
    const answers = [];
    for (const deliveryAttempt of [1, 2, 3]) answers.push(await post(gw.vibesCallbackUrl!, callbackText({ ...spec, deliveryAttempt })));
    expect(answers.map((a) => [a.status, JSON.parse(a.body)])).toEqual([
      [200, { status: 'stored' }],
      [200, { status: 'duplicate' }],
      [200, { status: 'duplicate' }],
    ]);
    await expect.poll(async () => (await inboxRows(ctx.db, 'attempts-1')).map((r) => r.state), SETTLE).toEqual(['done']);
    expect((await ledgerRows(ctx.db, number)).map((r) => [r.status, r.vendor_event_id])).toEqual([['REVOKED', 'attempts-1']]);
  });

  it('ends REVOKED when the opt-out arrives before the opt-in it follows', async () => {
    const number = '+16125550104';
    vibes.holdCallbacks();
    const record = vibes.subscribe({ mdn: number }, '7002');
    vibes.stop(number, '7002');
    expect(vibes.releaseCallbacks('reverse')).toBe(2);
    const delivered = await vibes.waitForDeliveries(2, { eventId: record.eventId, outcome: 'delivered' });
    expect(delivered.map((d) => d.type)).toEqual(['subscription_removed', 'subscription_added']);

    // The removal is recorded; the late opt-in is recorded PENDING (its read-back finds the subscription ended).
    await expect.poll(async () => (await ledgerRows(ctx.db, number)).map((r) => r.status).sort(), SETTLE).toEqual(['PENDING', 'REVOKED']);
    const res = await lookup(gw, number, 'ACCOUNT');
    expect(res.data!.phone.consents.filter((c) => c.evidence === 'SUBSCRIPTION_CALLBACK').map((c) => [c.listId, c.status])).toEqual([['7002', 'REVOKED']]);
    expect(res.data!.phone.contactability.allowed).toBe(false);
  });

  it('answers 503 while the store is down, so Vibes retries, and records the event once after recovery', async () => {
    // Its own database and gateway: the store is reached through the outage switch.
    const db = await freshDatabase(database);
    const outage = await storeOutage(db);
    // The worker polls rarely (a stored callback wakes it), so the locked SQLite file is not also hammered by
    // claims.
    const down = await startGateway({
      vibesCallbacks: true,
      vendors: ['loanpro', 'vibes'],
      simulators: { vibes: { callbacks: SIM_CALLBACKS } },
      env: { ...outage.env, WEBHOOK_INBOX_POLL_MS: '60000' },
    });
    try {
      const sim = down.simulators.vibes!;
      const number = '+16125550105';
      sim.subscribe({ mdn: number }, '7001');
      await expect.poll(async () => (await ledgerRows(db, number)).map((r) => r.status), SETTLE).toEqual(['PENDING', 'GRANTED']);

      // Quiet first: the worker has finished the opt-in and is waiting for its next poll, so no connection is in use.
      await waitForLog(down.logs, (l) => l.msg === 'consent inbox row processed' && l.outcome === 'granted');
      // PostgreSQL: every pooled connection is dead now; a stale one handed to the route's transaction fails that
      // transaction (503), and the store survives it (test/integration/store/postgres-connection-loss.test.ts).
      await outage.cut();
      const [ended] = sim.stop(number);
      const [refused] = await sim.waitForDeliveries(1, { eventId: ended!.eventId, type: 'subscription_removed', outcome: 'retry' });
      expect(refused).toMatchObject({ status: 503, error: null });
      await outage.restore();

      const [delivered] = await sim.waitForDeliveries(1, { eventId: ended!.eventId, type: 'subscription_removed', outcome: 'delivered' });
      expect(delivered!.status).toBe(200);
      await expect.poll(async () => (await ledgerRows(db, number)).map((r) => r.status), SETTLE).toEqual(['PENDING', 'GRANTED', 'REVOKED']);
      await expect.poll(async () => (await inboxRows(db, ended!.eventId)).map((r) => [r.callback_type, r.state]), SETTLE).toEqual([
        ['subscription_added', 'done'],
        ['subscription_removed', 'done'],
      ]);
      // Every attempt before the delivered one was a 503 (never a 4xx, which Vibes would drop for good).
      const attempts = sim.deliveries({ eventId: ended!.eventId, type: 'subscription_removed' });
      expect(attempts.slice(0, -1).every((a) => a.status === 503)).toBe(true);
      expect(attempts.at(-1)).toMatchObject({ status: 200, outcome: 'delivered' });
    } finally {
      await outage.restore();
      await down.close();
      await outage.close();
    }
  }, 60_000);
});
