import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClaimLostError } from '../../../src/store/errors.js';
import {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  MIN_IDEMPOTENCY_LOCK_MS,
  MIN_IDEMPOTENCY_TTL_MS,
  type IdempotencyStore,
} from '../../../src/store/idempotency.js';
import { freshDatabase, testDatabases, useTestDatabase } from '../../helpers/databases.js';
import { claimOf, HOUR, manualClock, newScope, SECOND, storedRow, T0, unknownClaimOf } from './idempotency.fixtures.js';

const LOCK = 60 * SECOND;

describe.each(testDatabases)('idempotency store ($label)', (database) => {
  const ctx = useTestDatabase(database);
  // Time moves only when a test moves it; every scope is fresh, so tests do not see each other's rows.
  const clock = manualClock();
  let idem: IdempotencyStore;
  beforeAll(async () => {
    if (database.unavailable) return;
    idem = (await ctx.db.open({ clock: clock.now })).idempotency;
  });
  const start = () => clock.at(0);

  describe('begin / complete / replay', () => {
    it('starts, then replays the stored response byte for byte', async () => {
      start();
      const scope = newScope();
      const first = await idem.begin(scope, 'fp-1');
      expect(first).toEqual({ outcome: 'started', claim: expect.any(String) });

      const response = { zeta: 1, alpha: { b: [1, 'two', null], a: 'ünïcødé ✓' }, n: 1.5 };
      await idem.complete(scope, response, { claim: claimOf(first) });

      const replay = await idem.begin(scope, 'fp-1');
      expect(replay).toEqual({ outcome: 'replay', response });
      if (replay.outcome !== 'replay') throw new Error('unreachable');
      expect(JSON.stringify(replay.response)).toBe(JSON.stringify(response)); // key order kept (no JSONB)
    });

    it('replays null, strings, arrays and undefined faithfully', async () => {
      start();
      for (const response of [null, 'text', [3, 2, 1], 0, false, undefined]) {
        const scope = newScope();
        await idem.complete(scope, response, { claim: claimOf(await idem.begin(scope, 'fp')) });
        expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'replay', response });
      }
    });

    it('reports in_progress for the same key while the first is running', async () => {
      start();
      const scope = newScope();
      claimOf(await idem.begin(scope, 'fp'));
      expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'in_progress' });
    });

    it('reports mismatch for the same key with other arguments, running, completed or unknown', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp-a'));
      expect(await idem.begin(scope, 'fp-b')).toEqual({ outcome: 'mismatch' });
      await idem.complete(scope, { ok: 1 }, { claim });
      expect(await idem.begin(scope, 'fp-b')).toEqual({ outcome: 'mismatch' });
      expect(await idem.begin(scope, 'fp-a')).toEqual({ outcome: 'replay', response: { ok: 1 } });

      const other = newScope();
      await idem.markUnknown(other, { claim: claimOf(await idem.begin(other, 'fp-a')), cause: 'fn_error' });
      expect(await idem.begin(other, 'fp-b')).toEqual({ outcome: 'mismatch' });
    });

    it('scopes keys by principal and operation', async () => {
      start();
      const scope = newScope();
      claimOf(await idem.begin(scope, 'fp'));
      claimOf(await idem.begin({ ...scope, principal: `${scope.principal}-other` }, 'fp'));
      claimOf(await idem.begin({ ...scope, operation: 'sendSms' }, 'fp'));
    });

    it('fails complete() for a claim that holds nothing, and for a key already completed', async () => {
      start();
      const scope = newScope();
      await expect(idem.complete(scope, 'never begun', { claim: 'no-such-claim' })).rejects.toBeInstanceOf(ClaimLostError);
      const claim = claimOf(await idem.begin(scope, 'fp'));
      await expect(idem.complete(scope, 'wrong claim', { claim: 'no-such-claim' })).rejects.toBeInstanceOf(ClaimLostError);
      await idem.complete(scope, 'first', { claim });
      await expect(idem.complete(scope, 'second', { claim })).rejects.toBeInstanceOf(ClaimLostError);
      expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'replay', response: 'first' });
    });

    it('rejects invalid keys, a ttl under 24 h and a lock under 1 s', async () => {
      for (const key of ['', 'k'.repeat(256), 'naïve']) {
        await expect(idem.begin({ ...newScope(), key }, 'fp')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      }
      await expect(idem.begin(newScope(), 'fp', { ttlMs: MIN_IDEMPOTENCY_TTL_MS - 1 })).rejects.toThrow(RangeError);
      await expect(idem.begin(newScope(), 'fp', { lockMs: MIN_IDEMPOTENCY_LOCK_MS - 1 })).rejects.toThrow(RangeError);
      await expect(idem.markUnknown(newScope(), { claim: 'c', cause: 'bogus' as 'fn_error' })).rejects.toThrow(TypeError);
    });
  });

  describe('concurrency (one store)', () => {
    it('gives exactly one of 20 concurrent begins the key', async () => {
      start();
      const scope = newScope();
      const results = await Promise.all(Array.from({ length: 20 }, () => idem.begin(scope, 'fp')));
      expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(19);
    });

    it('gives one key to concurrent begins with mixed fingerprints; the others see in_progress or mismatch', async () => {
      start();
      const scope = newScope();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => idem.begin(scope, `fp-${i % 2}`)));
      const started = results.filter((r) => r.outcome === 'started');
      expect(started).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(4);
      expect(results.filter((r) => r.outcome === 'mismatch')).toHaveLength(5);
    });

    it('gives 20 concurrent begins on an expired lease the same unknown attempt, and none the key', async () => {
      start();
      const scope = newScope();
      const crashed = claimOf(await idem.begin(scope, 'fp', { lockMs: LOCK }));
      clock.at(LOCK);
      const results = await Promise.all(Array.from({ length: 20 }, () => idem.begin(scope, 'fp', { lockMs: LOCK })));
      expect(new Set(results.map((r) => JSON.stringify(r)))).toEqual(
        new Set([JSON.stringify({ outcome: 'unknown', cause: 'lease_expired', claim: crashed })]),
      );
    });

    it('lets exactly one of concurrent resolutions of an unknown attempt win (takeOver or complete)', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp'));
      await idem.markUnknown(scope, { claim, cause: 'fn_error' });
      const settled = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          i % 2 === 0 ? idem.takeOver(scope, { claim }) : idem.complete(scope, 'reconciled', { claim }).then(() => 'completed'),
        ),
      );
      const winners = settled.filter((s) => s.status === 'fulfilled' && s.value !== undefined);
      expect(winners).toHaveLength(1);
      for (const s of settled) {
        if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(ClaimLostError);
      }
    });
  });

  describe('release', () => {
    it('deletes the in-progress claim so a retry starts again, with any arguments', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp'));
      expect(await idem.release(scope, { claim })).toBe(true);
      expect(await storedRow(ctx.db, scope)).toBeUndefined();
      claimOf(await idem.begin(scope, 'other-fp-is-fine-after-release'));
    });

    it('never deletes another claim, a completed key or an unknown key', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp'));
      expect(await idem.release(scope, { claim: 'someone-else' })).toBe(false);
      await idem.complete(scope, 'done', { claim });
      expect(await idem.release(scope, { claim })).toBe(false);
      expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'replay', response: 'done' });

      const unknown = newScope();
      const lost = claimOf(await idem.begin(unknown, 'fp'));
      await idem.markUnknown(unknown, { claim: lost, cause: 'fn_error' });
      expect(await idem.release(unknown, { claim: lost })).toBe(false);
      expect((await idem.begin(unknown, 'fp')).outcome).toBe('unknown');
    });
  });

  describe('unknown outcome', () => {
    it('markUnknown: every later begin with the same arguments reports unknown, with the cause and attempt', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp'));
      expect(await idem.markUnknown(scope, { claim, cause: 'fn_error' })).toBe(true);
      for (const ms of [0, HOUR, DEFAULT_IDEMPOTENCY_TTL_MS - 1]) {
        clock.at(ms);
        expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'unknown', cause: 'fn_error', claim });
      }
      expect(await storedRow(ctx.db, scope)).toMatchObject({ state: 'unknown', unknownCause: 'fn_error', lockedUntil: null });
    });

    it('lasts for the key lifetime only: once expired the key starts a new request', async () => {
      start();
      const scope = newScope();
      await idem.markUnknown(scope, { claim: claimOf(await idem.begin(scope, 'fp')), cause: 'not_recorded' });
      clock.at(DEFAULT_IDEMPOTENCY_TTL_MS);
      claimOf(await idem.begin(scope, 'fp'));
    });

    it('complete() with the unknown attempt stores its result (a reconcile, or the late result itself)', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp'));
      await idem.markUnknown(scope, { claim, cause: 'fn_error' });
      await idem.complete(scope, { number: '+15550100' }, { claim: unknownClaimOf(await idem.begin(scope, 'fp')) });
      expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'replay', response: { number: '+15550100' } });
      expect(await storedRow(ctx.db, scope)).toMatchObject({ state: 'completed', unknownCause: null });
    });

    it('takeOver() claims the key anew; the old attempt can no longer complete, renew or be marked', async () => {
      start();
      const scope = newScope();
      const old = claimOf(await idem.begin(scope, 'fp'));
      await idem.markUnknown(scope, { claim: old, cause: 'fn_error' });
      const fresh = await idem.takeOver(scope, { claim: old });
      expect(fresh).toEqual(expect.any(String));
      expect(fresh).not.toBe(old);
      expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'in_progress' });
      expect(await idem.takeOver(scope, { claim: old })).toBeUndefined();

      await expect(idem.complete(scope, 'stale', { claim: old })).rejects.toBeInstanceOf(ClaimLostError);
      expect(await idem.renew(scope, old)).toBe(false);
      expect(await idem.markUnknown(scope, { claim: old, cause: 'fn_error' })).toBe(false);
      await idem.complete(scope, 'fresh', { claim: fresh! });
      expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'replay', response: 'fresh' });
    });

    it('takeOver() refuses an in_progress claim (only unknown attempts are taken over)', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp'));
      expect(await idem.takeOver(scope, { claim })).toBeUndefined();
      expect(await storedRow(ctx.db, scope)).toMatchObject({ state: 'in_progress', claim });
    });
  });

  describe('leases (judged on the store clock)', () => {
    it('holds until locked_until, then reads as an unknown outcome (never a fresh start)', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp', { lockMs: LOCK }));
      clock.at(LOCK - 1);
      expect(await idem.begin(scope, 'fp', { lockMs: LOCK })).toEqual({ outcome: 'in_progress' });
      clock.at(LOCK);
      expect(await idem.begin(scope, 'other', { lockMs: LOCK })).toEqual({ outcome: 'mismatch' });
      expect(await idem.begin(scope, 'fp', { lockMs: LOCK })).toEqual({ outcome: 'unknown', cause: 'lease_expired', claim });
      expect(await storedRow(ctx.db, scope)).toMatchObject({ state: 'unknown', unknownCause: 'lease_expired', claim });
    });

    it('renew() extends the lease from now for the holder only', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp', { lockMs: LOCK }));
      clock.at(LOCK - SECOND);
      expect(await idem.renew(scope, 'someone-else', { lockMs: LOCK })).toBe(false);
      expect(await idem.renew(scope, claim, { lockMs: LOCK })).toBe(true);
      expect((await storedRow(ctx.db, scope))?.lockedUntil).toBe(T0.getTime() + 2 * LOCK - SECOND);
      clock.at(2 * LOCK - SECOND - 1);
      expect(await idem.begin(scope, 'fp', { lockMs: LOCK })).toEqual({ outcome: 'in_progress' });
      clock.at(2 * LOCK - SECOND);
      expect((await idem.begin(scope, 'fp', { lockMs: LOCK })).outcome).toBe('unknown');
    });

    it('a claimant whose lease was marked expired can still record its late result, but not renew', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp', { lockMs: LOCK }));
      clock.at(LOCK);
      unknownClaimOf(await idem.begin(scope, 'fp', { lockMs: LOCK }));
      expect(await idem.renew(scope, claim, { lockMs: LOCK })).toBe(false);
      await idem.complete(scope, 'late but real', { claim });
      expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'replay', response: 'late but real' });
    });

    it('a renewal that arrives after the lease ran out, before anyone looked, keeps the claim', async () => {
      start();
      const scope = newScope();
      const claim = claimOf(await idem.begin(scope, 'fp', { lockMs: LOCK }));
      clock.at(LOCK + SECOND);
      expect(await idem.renew(scope, claim, { lockMs: LOCK })).toBe(true);
      expect(await idem.begin(scope, 'fp', { lockMs: LOCK })).toEqual({ outcome: 'in_progress' });
    });
  });

  describe('expiry', () => {
    it('treats an expired key as absent (a reused key starts a new request)', async () => {
      start();
      const scope = newScope();
      await idem.complete(scope, 'old result', { claim: claimOf(await idem.begin(scope, 'old')) });

      clock.at(DEFAULT_IDEMPOTENCY_TTL_MS - 1);
      expect(await idem.begin(scope, 'old')).toEqual({ outcome: 'replay', response: 'old result' });
      expect(await idem.begin(scope, 'new')).toEqual({ outcome: 'mismatch' });

      clock.at(DEFAULT_IDEMPOTENCY_TTL_MS);
      await idem.complete(scope, 'new result', { claim: claimOf(await idem.begin(scope, 'new')) });
      clock.at(DEFAULT_IDEMPOTENCY_TTL_MS + HOUR);
      expect(await idem.begin(scope, 'new')).toEqual({ outcome: 'replay', response: 'new result' });
    });

    it('honours a custom ttl', async () => {
      start();
      const scope = newScope();
      await idem.complete(scope, 1, { claim: claimOf(await idem.begin(scope, 'fp', { ttlMs: 25 * HOUR })) });
      clock.at(25 * HOUR - 1);
      expect((await idem.begin(scope, 'fp')).outcome).toBe('replay');
      clock.at(25 * HOUR);
      expect((await idem.begin(scope, 'fp')).outcome).toBe('started');
    });

    it('fences the old claim after its expired key was reused', async () => {
      start();
      const scope = newScope();
      const old = claimOf(await idem.begin(scope, 'fp'));
      clock.at(DEFAULT_IDEMPOTENCY_TTL_MS);
      const fresh = claimOf(await idem.begin(scope, 'fp'));
      await expect(idem.complete(scope, 'stale', { claim: old })).rejects.toBeInstanceOf(ClaimLostError);
      expect(await idem.release(scope, { claim: old })).toBe(false);
      await idem.complete(scope, 'fresh', { claim: fresh });
      expect(await idem.begin(scope, 'fp')).toEqual({ outcome: 'replay', response: 'fresh' });
    });
  });

  describe('purgeExpired', () => {
    it('deletes exactly the rows whose expiry has passed on the store clock, in every state', async () => {
      const db = await freshDatabase(database);
      const own = manualClock();
      const store = (await db.open({ clock: own.now })).idempotency;
      const scopes = [newScope(), newScope(), newScope(), newScope()];
      await store.complete(scopes[0]!, 'a', { claim: claimOf(await store.begin(scopes[0]!, 'fp')) });
      claimOf(await store.begin(scopes[1]!, 'fp')); // in progress (crashed) rows expire too
      await store.markUnknown(scopes[2]!, { claim: claimOf(await store.begin(scopes[2]!, 'fp')), cause: 'fn_error' });
      own.at(HOUR);
      claimOf(await store.begin(scopes[3]!, 'fp'));

      own.at(DEFAULT_IDEMPOTENCY_TTL_MS - 1);
      expect(await store.purgeExpired()).toBe(0);
      own.at(DEFAULT_IDEMPOTENCY_TTL_MS);
      expect(await store.purgeExpired()).toBe(3);
      expect(await db.query('SELECT key FROM idempotency_keys')).toEqual([{ key: scopes[3]!.key }]);
      own.at(DEFAULT_IDEMPOTENCY_TTL_MS + HOUR);
      expect(await store.purgeExpired()).toBe(1);
      expect(await store.purgeExpired()).toBe(0);
    });
  });

  describe("the database's clock (no clock injected)", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it("stamps rows with the database's time, not the Node process's", async () => {
      const dbNow = async (): Promise<number> => {
        const sql =
          database.kind === 'postgres'
            ? 'SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT) AS ms'
            : `SELECT CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER) AS ms`;
        const [row] = await ctx.db.query<{ ms: string | number }>(sql);
        return Number(row!.ms);
      };
      const scope = newScope();
      const before = await dbNow();
      // The Node process believes it is 1999: a store that trusted it would write leases 30 years stale.
      vi.useFakeTimers({ toFake: ['Date'], now: new Date('1999-01-01T00:00:00Z') });
      const claim = claimOf(await ctx.store.idempotency.begin(scope, 'fp', { lockMs: LOCK }));
      vi.useRealTimers();
      const after = await dbNow();

      const [row] = await ctx.db.query<{ created_at: unknown; expires_at: unknown; locked_until: unknown }>(
        'SELECT created_at, expires_at, locked_until FROM idempotency_keys WHERE key = $1',
        [scope.key],
      );
      const ms = (value: unknown) => new Date(value as string | number | Date).getTime();
      const created = ms(row!.created_at);
      expect(created).toBeGreaterThanOrEqual(before - 1);
      expect(created).toBeLessThanOrEqual(after + 1);
      expect(ms(row!.expires_at) - created).toBe(DEFAULT_IDEMPOTENCY_TTL_MS);
      expect(ms(row!.locked_until) - created).toBe(LOCK);
      expect(await ctx.store.idempotency.begin(scope, 'fp')).toEqual({ outcome: 'in_progress' });
      expect(await ctx.store.idempotency.renew(scope, claim, { lockMs: LOCK })).toBe(true);
    });
  });
});
