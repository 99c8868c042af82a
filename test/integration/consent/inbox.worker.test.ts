/**
 * The inbox worker over a real store (SQLite and PostgreSQL), from receive to ledger: deliveries deduplicated,
 * order independence, retries with backoff on the store clock, dead rows, wake-up and a clean stop.
 * No verdict depends on timing: the store clock moves by hand, and the tests wait for states (expect.poll with
 * a bound that only limits how long a broken test takes to fail).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { consentsFromLedger } from '../../../src/consent/consent.read.js';
import { createInProcessConsentEvents } from '../../../src/consent/consent-events.js';
import { inboxProcessor } from '../../../src/consent/inbox.processor.js';
import { inboxBackoff, startInboxWorker, type InboxWorkerReport } from '../../../src/consent/inbox.worker.js';
import type { ClaimedInboxRow } from '../../../src/store/webhook-inbox.js';
import { freshDatabase, testDatabases, type TestDatabase } from '../../helpers/databases.js';
import { deferred, FakeVibes, manualClock, POLL, processorDeps, receiveCallback, SECOND, T0 } from './consent.fixtures.js';

const NUMBER = '+16515550123';
const HOUR = 3600 * SECOND;

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function setup(database: TestDatabase) {
  const db = await freshDatabase(database);
  const clock = manualClock();
  const store = await db.open({ clock: clock.now });
  return { db, clock, store };
}

/** Starts a worker that polls every 5 ms of real time (how fast a test passes, never whether). */
function worker(options: Omit<Parameters<typeof startInboxWorker>[0], 'signal'> & { signal?: AbortSignal }) {
  const controller = new AbortController();
  const reports: InboxWorkerReport[] = [];
  const started = startInboxWorker({
    pollMs: 5,
    backoff: inboxBackoff({ random: () => 1 }),
    onError: (r) => reports.push(r),
    ...options,
    signal: options.signal ?? controller.signal,
  });
  const stop = async () => {
    controller.abort();
    await started.stopped;
  };
  stops.push(stop);
  return { ...started, reports, stop, controller };
}

describe.each(testDatabases)('inbox worker ($label)', (database) => {
  it('turns one callback delivered three times into one ledger event, answered stored, duplicate, duplicate', async () => {
    const { store } = await setup(database);
    const events = createInProcessConsentEvents();
    const live = events.subscribe(NUMBER);
    const spec = { type: 'subscription_removed', eventId: 'AB234SDFD234', date: '2017-03-15T15:42:23Z', mdn: NUMBER } as const;
    const receipts = [];
    for (const deliveryAttempt of [1, 2, 3]) receipts.push(await receiveCallback(store, { ...spec, deliveryAttempt }));
    expect(receipts.map((r) => r.outcome)).toEqual(['stored', 'duplicate', 'duplicate']);

    const processed: string[] = [];
    worker({
      inbox: store.inbox,
      process: inboxProcessor(processorDeps(store, new FakeVibes(), { events })),
      onProcessed: (r) => processed.push(r.outcome),
    });
    await expect.poll(() => processed, POLL).toEqual(['revoked']);
    expect(await store.ledger.history(NUMBER)).toEqual([expect.objectContaining({ status: 'REVOKED', vendorEventId: 'AB234SDFD234' })]);
    expect((await live.next()).value).toMatchObject({ status: 'REVOKED', number: NUMBER });
    expect(await store.inbox.counts()).toEqual({ pending: 0, processing: 0, done: 1, dead: 0 });
  });

  it('ends REVOKED when a newer opt-out is processed before an older opt-in, and on equal dates', async () => {
    const { store } = await setup(database);
    const vibes = new FakeVibes().subscribe('P', '1234').subscribe('P', 'tie');
    const processed: string[] = [];
    worker({ inbox: store.inbox, process: inboxProcessor(processorDeps(store, vibes)), onProcessed: (r) => processed.push(r.rowId) });

    // Arrival order: the removal (T2) first, the addition (T1 < T2) later.
    await receiveCallback(store, { type: 'subscription_removed', eventId: 'x', date: '2017-03-15T15:42:23Z', mdn: NUMBER, personKey: 'P' });
    await expect.poll(() => processed.length, POLL).toBe(1);
    await receiveCallback(store, { type: 'subscription_added', eventId: 'x', date: '2017-02-15T15:42:23Z', mdn: NUMBER, personKey: 'P' });
    // Equal dates on another list.
    await receiveCallback(store, { type: 'subscription_added', eventId: 't1', date: '2017-05-01T00:00:00Z', mdn: NUMBER, personKey: 'P', listId: 'tie' });
    await receiveCallback(store, { type: 'subscription_removed', eventId: 't2', date: '2017-05-01T00:00:00Z', mdn: NUMBER, personKey: 'P', listId: 'tie' });
    await expect.poll(() => processed.length, POLL).toBe(4);

    const { consents } = await consentsFromLedger(store.ledger, NUMBER);
    expect(consents.map((c) => [c.listId, c.status])).toEqual([
      ['1234', 'REVOKED'],
      ['tie', 'REVOKED'],
    ]);
  });

  it('retries a row whose person cannot be read with exponential backoff on the store clock, never dropping it', async () => {
    const { store, clock } = await setup(database);
    const vibes = new FakeVibes().person('ABC123', NUMBER);
    vibes.down = true;
    const { id } = await receiveCallback(store, { type: 'subscription_removed', eventId: 'e1', date: '2017-03-15T15:42:23Z' });
    const w = worker({ inbox: store.inbox, process: inboxProcessor(processorDeps(store, vibes)), backoff: inboxBackoff({ baseMs: SECOND, random: () => 1 }) });

    // Each failure leaves the row pending, due base * 2^(attempts-1) after the failure.
    let elapsed = 0;
    for (const [attempts, delay] of [[1, 1], [2, 2], [3, 4], [4, 8]] as const) {
      await expect.poll(async () => (await store.inbox.get(id))?.attempts, POLL).toBe(attempts);
      await expect.poll(async () => (await store.inbox.get(id))?.state, POLL).toBe('pending');
      expect(await store.inbox.get(id)).toMatchObject({
        lastErrorCode: 'person_lookup_failed',
        nextAttemptAt: new Date(T0.getTime() + elapsed + delay * SECOND),
      });
      clock.advance(delay * SECOND);
      elapsed += delay * SECOND;
    }
    expect(w.reports.every((r) => r.code === 'person_lookup_failed' && r.disposition === 'retry')).toBe(true);
    vibes.down = false;
    await expect.poll(async () => (await store.inbox.get(id))?.state, POLL).toBe('done');
    expect(await store.inbox.get(id)).toMatchObject({ attempts: 5, outcome: 'revoked', lastErrorCode: null });
    expect(vibes.resolveCalls).toBe(5);
    expect(await store.ledger.history(NUMBER)).toHaveLength(1);
  });

  it('parks a row that can never succeed, reporting codes and no phone number', async () => {
    const { store } = await setup(database);
    const w = worker({ inbox: store.inbox, process: inboxProcessor(processorDeps(store, new FakeVibes())) });
    const { id } = await receiveCallback(store, { type: 'subscription_removed', eventId: 'e2', date: '2017-03-15T15:42:23Z', personKey: 'GONE' });
    await expect.poll(async () => (await store.inbox.get(id))?.state, POLL).toBe('dead');
    expect(await store.inbox.get(id)).toMatchObject({ lastErrorCode: 'person_not_found', attempts: 1 });
    expect(w.reports).toEqual([{ stage: 'process', code: 'person_not_found', rowId: id, attempts: 1, disposition: 'dead' }]);
  });

  it('treats an unexpected error as retryable, never as a reason to drop the row', async () => {
    const { store } = await setup(database);
    let calls = 0;
    const w = worker({
      inbox: store.inbox,
      process: async () => {
        calls += 1;
        throw new Error('bug with +16515550123 in its message');
      },
    });
    const { id } = await receiveCallback(store, { type: 'subscription_removed', eventId: 'e3', date: '2017-03-15T15:42:23Z', mdn: NUMBER });
    await expect.poll(() => calls, POLL).toBe(1);
    await expect.poll(async () => (await store.inbox.get(id))?.state, POLL).toBe('pending');
    expect(await store.inbox.get(id)).toMatchObject({ lastErrorCode: 'internal_error' });
    expect(JSON.stringify(w.reports)).not.toContain('6515550123');
  });

  it('processes a stored row at once on wake(), however long the poll interval', async () => {
    const { store } = await setup(database);
    const processed: string[] = [];
    const w = worker({
      inbox: store.inbox,
      pollMs: HOUR,
      process: inboxProcessor(processorDeps(store, new FakeVibes())),
      onProcessed: (r) => processed.push(r.rowId),
    });
    // Let the first (empty) poll happen, so the worker is waiting out its hour.
    await expect.poll(async () => (await store.inbox.counts()).pending, POLL).toBe(0);
    const { id } = await receiveCallback(store, { type: 'subscription_removed', eventId: 'e4', date: '2017-03-15T15:42:23Z', mdn: NUMBER });
    w.wake();
    await expect.poll(() => processed, POLL).toEqual([id]);
  });

  it('stops cleanly: the row in progress goes back to pending, claimed rows not started are released', async () => {
    const { store } = await setup(database);
    const ids: string[] = [];
    for (const eventId of ['s1', 's2', 's3']) {
      ids.push((await receiveCallback(store, { type: 'subscription_removed', eventId, date: '2017-03-15T15:42:23Z', mdn: NUMBER })).id);
    }
    const entered = deferred<ClaimedInboxRow>();
    const w = worker({
      inbox: store.inbox,
      batch: 3,
      // The first row hangs until the worker is told to stop, like a Vibes call cut off by shutdown.
      process: (row, signal) => {
        entered.resolve(row);
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
      },
    });
    const first = await entered.promise;
    expect(first.id).toBe(ids[0]);
    await w.stop();

    expect(await store.inbox.get(ids[0]!)).toMatchObject({ state: 'pending', attempts: 1, lastErrorCode: 'aborted' });
    for (const id of ids.slice(1)) expect(await store.inbox.get(id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(w.reports).toEqual([]);
    // Nothing is left claimed: another worker takes all three now.
    expect(await store.inbox.claim('next', { limit: 10 })).toHaveLength(3);
  });

  it('renews the lease of each row of a batch before processing it, and skips one another worker took meanwhile', async () => {
    const { store, clock } = await setup(database);
    const LEASE = 30 * SECOND;
    const ids: string[] = [];
    for (const eventId of ['b1', 'b2', 'b3']) {
      ids.push((await receiveCallback(store, { type: 'subscription_removed', eventId, date: '2017-03-15T15:42:23Z', mdn: NUMBER })).id);
    }
    const processed: string[] = [];
    const seenLease: (Date | null)[] = [];
    const w = worker({
      inbox: store.inbox,
      batch: 3,
      leaseMs: LEASE,
      process: async (row) => {
        processed.push(row.id);
        seenLease.push((await store.inbox.get(row.id))?.leaseUntil ?? null);
        if (row.id === ids[0]) {
          // Slow first row: the batch's lease runs out, and another worker takes all three rows (this one too)
          // and finishes the second.
          clock.advance(LEASE);
          const taken = await store.inbox.claim('other', { limit: 3, leaseMs: LEASE });
          expect(taken.map((r) => r.id)).toEqual(ids);
          await store.inbox.complete(taken[1]!.id, taken[1]!.claim, 'revoked');
        }
        return 'revoked';
      },
    });
    await expect.poll(() => w.reports.length, POLL).toBe(3);
    expect(processed).toEqual([ids[0]]);
    expect(w.reports).toEqual([
      { stage: 'complete', code: 'claim_lost', rowId: ids[0], attempts: 1 },
      { stage: 'renew', code: 'claim_lost', rowId: ids[1], attempts: 1 },
      { stage: 'renew', code: 'claim_lost', rowId: ids[2], attempts: 1 },
    ]);
    expect(seenLease).toEqual([new Date(T0.getTime() + LEASE)]);
    expect(await store.inbox.get(ids[2]!)).toMatchObject({ state: 'processing', claimedBy: 'other' });
  });

  it('gives a row that waited behind a slow one a fresh lease', async () => {
    const { store, clock } = await setup(database);
    const LEASE = 30 * SECOND;
    const ids: string[] = [];
    for (const eventId of ['f1', 'f2']) {
      ids.push((await receiveCallback(store, { type: 'subscription_removed', eventId, date: '2017-03-15T15:42:23Z', mdn: NUMBER })).id);
    }
    const leases = new Map<string, Date | null>();
    worker({
      inbox: store.inbox,
      batch: 2,
      leaseMs: LEASE,
      process: async (row) => {
        leases.set(row.id, (await store.inbox.get(row.id))?.leaseUntil ?? null);
        if (row.id === ids[0]) clock.advance(LEASE - SECOND);
        return 'revoked';
      },
    });
    await expect.poll(async () => (await store.inbox.counts()).done, POLL).toBe(2);
    expect(leases.get(ids[0]!)).toEqual(new Date(T0.getTime() + LEASE));
    expect(leases.get(ids[1]!)).toEqual(new Date(T0.getTime() + 2 * LEASE - SECOND));
  });

  it('keeps going when claiming fails (the store is down), and reports it', async () => {
    const { db } = await setup(database);
    const broken = await db.open();
    await broken.close(); // every call now rejects with StoreClosedError
    const w = worker({ inbox: broken.inbox, process: async () => 'revoked', backoff: () => 1 });
    await expect.poll(() => w.reports.length >= 3, POLL).toBe(true);
    expect(new Set(w.reports.map((r) => `${r.stage}:${r.code}`))).toEqual(new Set(['claim:internal_error']));
    await w.stop();
  });
});
