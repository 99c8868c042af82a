/**
 * The webhook inbox on SQLite and PostgreSQL: durable receive with dedupe, claims under leases on the store
 * clock, fenced transitions, backoff, dead rows and their replay. Time moves only through the injected clock.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { openPostgresDatabase } from '../../../src/store/postgres.js';
import { StoreClosedError } from '../../../src/store/sql.js';
import { SQLITE_FILE_NAME } from '../../../src/store/store.js';
import { createWebhookInbox, type ReceiveInput } from '../../../src/store/webhook-inbox.js';
import { freshDatabase, testDatabases, type TestDatabase } from '../../helpers/databases.js';
import { manualClock, SECOND, T0 } from './idempotency.fixtures.js';

const LEASE = 30 * SECOND;

/** The seed's two callbacks share one event_id (seed 004): they are two events. */
const ADDED: ReceiveInput = {
  source: 'vibes',
  eventId: 'AB234SDFD234',
  callbackType: 'subscription_added',
  payload: '{"event_id":"AB234SDFD234","callback_type":"subscription_added"}',
};
const REMOVED: ReceiveInput = { ...ADDED, callbackType: 'subscription_removed', payload: ADDED.payload.replace('added', 'removed') };

let sequence = 0;
function callback(): ReceiveInput {
  sequence += 1;
  return { ...ADDED, eventId: `evt-${sequence}`, payload: JSON.stringify({ event_id: `evt-${sequence}` }) };
}

async function setup(database: TestDatabase) {
  const db = await freshDatabase(database);
  const clock = manualClock();
  const store = await db.open({ clock: clock.now });
  return { db, clock, store, inbox: store.inbox };
}

describe.each(testDatabases)('webhook inbox ($label)', (database) => {
  it('stores a callback once: a redelivery is a duplicate of the same row', async () => {
    const { inbox } = await setup(database);
    const first = await inbox.receive(ADDED);
    expect(first).toEqual({ outcome: 'stored', id: expect.any(String) });
    expect(await inbox.receive(ADDED)).toEqual({ outcome: 'duplicate', id: first.id });
    expect(await inbox.receive({ ...ADDED, payload: '{"delivery_attempt":"3"}' })).toEqual({ outcome: 'duplicate', id: first.id });
    const row = await inbox.get(first.id);
    expect(row).toMatchObject({ state: 'pending', attempts: 0, receivedAt: T0, nextAttemptAt: T0, payload: ADDED.payload });
  });

  it('keeps the seed’s two callback types of one event_id as two rows', async () => {
    const { inbox } = await setup(database);
    const added = await inbox.receive(ADDED);
    const removed = await inbox.receive(REMOVED);
    expect([added.outcome, removed.outcome]).toEqual(['stored', 'stored']);
    expect(added.id).not.toBe(removed.id);
    expect(await inbox.counts()).toEqual({ pending: 2, processing: 0, done: 0, dead: 0 });
  });

  it('stores the body byte for byte', async () => {
    const { inbox } = await setup(database);
    const payload = '{ "event_id" : "x1",\n  "z": 1, "a": [true, null], "text": "caf\\u00e9 ☕" }';
    const { id } = await inbox.receive({ ...ADDED, eventId: 'x1', payload });
    expect((await inbox.get(id))?.payload).toBe(payload);
  });

  it('refuses input it could not process, before touching the database', async () => {
    const { inbox } = await setup(database);
    await expect(inbox.receive({ ...ADDED, payload: '{not json' })).rejects.toThrow(/JSON/);
    await expect(inbox.receive({ ...ADDED, eventId: '' })).rejects.toThrow(/eventId/);
    await expect(inbox.receive({ ...ADDED, source: 'Vibes!' })).rejects.toThrow(/source/);
    await expect(inbox.receive({ ...ADDED, callbackType: 'drop table' })).rejects.toThrow(/callbackType/);
    expect(await inbox.counts()).toEqual({ pending: 0, processing: 0, done: 0, dead: 0 });
  });

  it('throws when the store is closed, so the route can answer 503', async () => {
    const { store } = await setup(database);
    await store.close();
    await expect(store.inbox.receive(callback())).rejects.toBeInstanceOf(StoreClosedError);
  });

  it.runIf(database.kind === 'postgres')('throws when PostgreSQL cannot be reached', async () => {
    const unreachable = openPostgresDatabase({
      url: 'postgres://postgres@127.0.0.1:1/test',
      poolMax: 1,
      connectionTimeoutMs: 2_000,
      idleTimeoutMs: 1_000,
    });
    try {
      await expect(createWebhookInbox(unreachable).receive(callback())).rejects.toThrow();
    } finally {
      await unreachable.close();
    }
  });

  it.runIf(database.kind === 'sqlite')('throws when another process holds the SQLite write lock past the busy timeout', async () => {
    const db = await freshDatabase(database);
    const store = await db.open({ sqliteBusyTimeoutMs: 0 });
    const other = new DatabaseSync(join(db.options.dataDir, SQLITE_FILE_NAME));
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.inbox.receive(callback())).rejects.toThrow(/locked|busy/i);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await store.inbox.receive(callback())).outcome).toBe('stored');
  });

  it('claims due rows oldest first, once, under a lease', async () => {
    const { inbox } = await setup(database);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await inbox.receive(callback())).id);
    const claimed = await inbox.claim('worker-a', { limit: 2, leaseMs: LEASE });
    expect(claimed.map((r) => r.id)).toEqual(ids.slice(0, 2));
    for (const row of claimed) {
      expect(row).toMatchObject({ state: 'processing', attempts: 1, claimedBy: 'worker-a', leaseUntil: new Date(T0.getTime() + LEASE) });
      expect(row.claim).toEqual(expect.any(String));
    }
    expect((await inbox.claim('worker-b', { limit: 10, leaseMs: LEASE })).map((r) => r.id)).toEqual([ids[2]]);
    expect(await inbox.claim('worker-c', { limit: 10, leaseMs: LEASE })).toEqual([]);
  });

  it('completes a row with its outcome; a completed row is never claimed again', async () => {
    const { inbox, clock } = await setup(database);
    const { id } = await inbox.receive(callback());
    const [row] = await inbox.claim('w', { leaseMs: LEASE });
    clock.advance(2 * SECOND);
    expect(await inbox.complete(id, row!.claim, 'revoked')).toBe(true);
    expect(await inbox.get(id)).toMatchObject({
      state: 'done',
      outcome: 'revoked',
      processedAt: new Date(T0.getTime() + 2 * SECOND),
      leaseUntil: null,
      lastErrorCode: null,
    });
    clock.advance(10 * LEASE);
    expect(await inbox.claim('w2', { leaseMs: LEASE })).toEqual([]);
    expect(await inbox.complete(id, row!.claim, 'revoked')).toBe(false);
  });

  it('retries later: pending again, due after the delay on the store clock, with the error code', async () => {
    const { inbox, clock } = await setup(database);
    const { id } = await inbox.receive(callback());
    const [row] = await inbox.claim('w', { leaseMs: LEASE });
    expect(await inbox.retryLater(id, row!.claim, { delayMs: 4 * SECOND, errorCode: 'person_lookup_failed' })).toBe(true);
    expect(await inbox.get(id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastErrorCode: 'person_lookup_failed',
      nextAttemptAt: new Date(T0.getTime() + 4 * SECOND),
    });
    clock.advance(4 * SECOND - 1);
    expect(await inbox.claim('w', { leaseMs: LEASE })).toEqual([]);
    clock.advance(1);
    const [again] = await inbox.claim('w', { leaseMs: LEASE });
    expect(again).toMatchObject({ id, attempts: 2, lastErrorCode: 'person_lookup_failed' });
    expect(again!.claim).not.toBe(row!.claim);
  });

  it('takes a row back from a worker whose lease ran out, and fences the old claim', async () => {
    const { inbox, clock } = await setup(database);
    const { id } = await inbox.receive(callback());
    const [lost] = await inbox.claim('killed', { leaseMs: LEASE });
    clock.advance(LEASE - 1);
    expect(await inbox.claim('other', { leaseMs: LEASE })).toEqual([]);
    clock.advance(1);
    const [taken] = await inbox.claim('other', { leaseMs: LEASE });
    expect(taken).toMatchObject({ id, attempts: 2, claimedBy: 'other' });

    // The first worker comes back: none of its transitions apply any more.
    expect(await inbox.complete(id, lost!.claim, 'granted')).toBe(false);
    expect(await inbox.retryLater(id, lost!.claim, { delayMs: 0, errorCode: 'late' })).toBe(false);
    expect(await inbox.fail(id, lost!.claim, 'late')).toBe(false);
    expect(await inbox.release(id, lost!.claim)).toBe(false);
    expect(await inbox.renew(id, lost!.claim, LEASE)).toBe(false);
    expect(await inbox.complete(id, taken!.claim, 'granted')).toBe(true);
  });

  it('lets a live worker renew its lease; an expired but untaken claim can still complete', async () => {
    const { inbox, clock } = await setup(database);
    const { id } = await inbox.receive(callback());
    const [row] = await inbox.claim('w', { leaseMs: LEASE });
    clock.advance(LEASE - SECOND);
    expect(await inbox.renew(id, row!.claim, LEASE)).toBe(true);
    clock.advance(LEASE - SECOND);
    expect(await inbox.claim('other', { leaseMs: LEASE })).toEqual([]);
    clock.advance(10 * LEASE);
    // Nobody took it over: the late result still counts (its writes were idempotent anyway).
    expect(await inbox.complete(id, row!.claim, 'revoked')).toBe(true);
  });

  it('parks a row dead with its code, and replays it on requeue', async () => {
    const { inbox, clock } = await setup(database);
    const { id } = await inbox.receive(callback());
    const [row] = await inbox.claim('w', { leaseMs: LEASE });
    expect(await inbox.fail(id, row!.claim, 'person_not_found')).toBe(true);
    expect(await inbox.get(id)).toMatchObject({ state: 'dead', lastErrorCode: 'person_not_found', leaseUntil: null });
    clock.advance(365 * 24 * 3600 * SECOND);
    expect(await inbox.claim('w', { leaseMs: LEASE })).toEqual([]);
    expect(await inbox.counts()).toMatchObject({ dead: 1 });

    expect((await inbox.list({ state: 'dead' })).map((r) => [r.id, r.lastErrorCode])).toEqual([[id, 'person_not_found']]);
    expect(await inbox.list({ state: 'pending' })).toEqual([]);
    await expect(inbox.list({ state: 'lost' as never })).rejects.toThrow(TypeError);

    expect(await inbox.requeue(id)).toBe(true);
    expect(await inbox.requeue(id)).toBe(false); // only dead rows
    const [replayed] = await inbox.claim('w', { leaseMs: LEASE });
    expect(replayed).toMatchObject({ id, attempts: 1, lastErrorCode: 'person_not_found' });
  });

  it('releases an unstarted claim without counting the attempt', async () => {
    const { inbox } = await setup(database);
    const { id } = await inbox.receive(callback());
    const [row] = await inbox.claim('w', { leaseMs: LEASE });
    expect(await inbox.release(id, row!.claim)).toBe(true);
    expect(await inbox.get(id)).toMatchObject({ state: 'pending', attempts: 0, leaseUntil: null });
    expect(await inbox.claim('w', { leaseMs: LEASE })).toHaveLength(1);
  });

  it('accepts codes only as error codes and outcomes (no messages, no numbers)', async () => {
    const { inbox } = await setup(database);
    const { id } = await inbox.receive(callback());
    const [row] = await inbox.claim('w', { leaseMs: LEASE });
    await expect(inbox.retryLater(id, row!.claim, { delayMs: 0, errorCode: 'Vibes said 503 for +16515550123' })).rejects.toThrow(TypeError);
    await expect(inbox.fail(id, row!.claim, '16515550123')).rejects.toThrow(TypeError);
    await expect(inbox.complete(id, row!.claim, '')).rejects.toThrow(TypeError);
    await expect(inbox.claim('w', { limit: 0 })).rejects.toThrow(RangeError);
    await expect(inbox.claim('w', { leaseMs: 10 })).rejects.toThrow(RangeError);
    expect(await inbox.get(id)).toMatchObject({ state: 'processing' });
  });

  it('purges done rows past their age only', async () => {
    const { inbox, clock } = await setup(database);
    const old = await inbox.receive(callback());
    const fresh = await inbox.receive(callback());
    const dead = await inbox.receive(callback());
    const rows = await inbox.claim('w', { leaseMs: LEASE });
    const claimOf = (id: string) => rows.find((r) => r.id === id)!.claim;
    await inbox.complete(old.id, claimOf(old.id), 'revoked');
    await inbox.fail(dead.id, claimOf(dead.id), 'person_not_found');
    clock.advance(10 * SECOND);
    await inbox.complete(fresh.id, claimOf(fresh.id), 'revoked');
    expect(await inbox.purgeDone(10 * SECOND)).toBe(1);
    expect(await inbox.get(old.id)).toBeUndefined();
    expect(await inbox.get(fresh.id)).toBeDefined();
    expect(await inbox.get(dead.id)).toBeDefined();
  });

  it('never hands one row to two claimers racing on two replicas', async () => {
    const db = await freshDatabase(database);
    const clock = manualClock();
    const [a, b] = await Promise.all([db.open({ clock: clock.now }), db.open({ clock: clock.now })]);
    const ids = new Set<string>();
    for (let i = 0; i < 40; i++) ids.add((await a.inbox.receive(callback())).id);
    const claims = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).inbox.claim(`w${i}`, { limit: 3, leaseMs: LEASE })),
    );
    const claimed = claims.flat().map((r) => r.id);
    expect(new Set(claimed).size).toBe(claimed.length); // no row twice
    const rest = await a.inbox.claim('sweeper', { limit: 100, leaseMs: LEASE });
    expect(new Set([...claimed, ...rest.map((r) => r.id)])).toEqual(ids);
    expect(claimed.length + rest.length).toBe(ids.size);
  });
});
