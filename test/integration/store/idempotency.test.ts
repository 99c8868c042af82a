import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdempotencyError } from '../../../src/store/errors.js';
import { fingerprint } from '../../../src/store/fingerprint.js';
import {
  DEFAULT_IDEMPOTENCY_TTL_MS,
  MIN_IDEMPOTENCY_TTL_MS,
  runIdempotent,
  type BeginResult,
  type IdempotencyScope,
} from '../../../src/store/idempotency.js';
import { freshDatabase, testDatabases, useTestDatabase } from '../../helpers/databases.js';

/** A scope nobody else in the suite uses. */
const newScope = (operation = 'provisionNumber'): IdempotencyScope => ({
  principal: `apikey:${randomUUID().slice(0, 12)}`,
  operation,
  key: randomUUID(),
});

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 60 * 60 * 1000;

function claimOf(result: BeginResult): string {
  if (result.outcome !== 'started') throw new Error(`expected started, got ${result.outcome}`);
  return result.claim;
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe.each(testDatabases)('idempotency store ($label)', (database) => {
  const ctx = useTestDatabase(database);
  const idem = () => ctx.store.idempotency;

  describe('begin / complete / replay', () => {
    it('starts, then replays the stored response byte for byte', async () => {
      const scope = newScope();
      const first = await idem().begin(scope, 'fp-1');
      expect(first).toEqual({ outcome: 'started', claim: expect.any(String) });

      const response = { zeta: 1, alpha: { b: [1, 'two', null], a: 'ünïcødé ✓' }, n: 1.5 };
      await idem().complete(scope, response, { claim: claimOf(first) });

      const replay = await idem().begin(scope, 'fp-1');
      expect(replay).toEqual({ outcome: 'replay', response });
      if (replay.outcome !== 'replay') throw new Error('unreachable');
      expect(JSON.stringify(replay.response)).toBe(JSON.stringify(response)); // key order kept (no JSONB)
    });

    it('replays null, strings, arrays and undefined faithfully', async () => {
      for (const response of [null, 'text', [3, 2, 1], 0, false, undefined]) {
        const scope = newScope();
        claimOf(await idem().begin(scope, 'fp'));
        await idem().complete(scope, response);
        expect(await idem().begin(scope, 'fp')).toEqual({ outcome: 'replay', response });
      }
    });

    it('reports in_progress for the same key while the first is running', async () => {
      const scope = newScope();
      claimOf(await idem().begin(scope, 'fp'));
      expect(await idem().begin(scope, 'fp')).toEqual({ outcome: 'in_progress' });
    });

    it('reports mismatch for the same key with other arguments, running or completed', async () => {
      const scope = newScope();
      claimOf(await idem().begin(scope, 'fp-a'));
      expect(await idem().begin(scope, 'fp-b')).toEqual({ outcome: 'mismatch' });
      await idem().complete(scope, { ok: 1 });
      expect(await idem().begin(scope, 'fp-b')).toEqual({ outcome: 'mismatch' });
      expect(await idem().begin(scope, 'fp-a')).toEqual({ outcome: 'replay', response: { ok: 1 } });
    });

    it('scopes keys by principal and operation', async () => {
      const scope = newScope();
      await idem().complete(scope, 'never begun'); // a no-op: nothing to complete
      claimOf(await idem().begin(scope, 'fp'));
      claimOf(await idem().begin({ ...scope, principal: `${scope.principal}-other` }, 'fp'));
      claimOf(await idem().begin({ ...scope, operation: 'sendSms' }, 'fp'));
    });

    it('rejects invalid keys and a ttl under 24 h', async () => {
      for (const key of ['', 'k'.repeat(256), 'naïve']) {
        await expect(idem().begin({ ...newScope(), key }, 'fp')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
      }
      await expect(idem().begin(newScope(), 'fp', { ttlMs: MIN_IDEMPOTENCY_TTL_MS - 1 })).rejects.toThrow(RangeError);
    });
  });

  describe('concurrency', () => {
    it('gives exactly one of 20 concurrent begins the key', async () => {
      const scope = newScope();
      const results = await Promise.all(Array.from({ length: 20 }, () => idem().begin(scope, 'fp')));
      expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(19);
    });

    it('gives exactly one of 20 concurrent takeovers of a stale claim the key', async () => {
      const scope = newScope();
      claimOf(await idem().begin(scope, 'fp', { now: T0, lockMs: 1_000 }));
      const results = await Promise.all(
        Array.from({ length: 20 }, () => idem().begin(scope, 'fp', { now: at(5_000), lockMs: 1_000 })),
      );
      expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(19);
    });

    it('gives one key to concurrent begins with mixed fingerprints; the others see in_progress or mismatch', async () => {
      const scope = newScope();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => idem().begin(scope, `fp-${i % 2}`)));
      expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(4);
      expect(results.filter((r) => r.outcome === 'mismatch')).toHaveLength(5);
    });
  });

  describe('release', () => {
    it('deletes the in-progress claim so a retry starts again', async () => {
      const scope = newScope();
      const claim = claimOf(await idem().begin(scope, 'fp'));
      await idem().release(scope, { claim });
      claimOf(await idem().begin(scope, 'fp'));
      await idem().release(scope); // without a claim: whoever holds it
      claimOf(await idem().begin(scope, 'other-fp-is-fine-after-release'));
    });

    it('never deletes a completed key', async () => {
      const scope = newScope();
      claimOf(await idem().begin(scope, 'fp'));
      await idem().complete(scope, 'done');
      await idem().release(scope);
      expect(await idem().begin(scope, 'fp')).toEqual({ outcome: 'replay', response: 'done' });
    });
  });

  describe('expiry and stale claims', () => {
    it('treats an expired key as absent (a reused key starts a new request)', async () => {
      const scope = newScope();
      claimOf(await idem().begin(scope, 'old', { now: T0 }));
      await idem().complete(scope, 'old result', { now: T0 });

      const justBefore = at(DEFAULT_IDEMPOTENCY_TTL_MS - 1);
      expect(await idem().begin(scope, 'old', { now: justBefore })).toEqual({ outcome: 'replay', response: 'old result' });
      expect(await idem().begin(scope, 'new', { now: justBefore })).toEqual({ outcome: 'mismatch' });

      const expired = at(DEFAULT_IDEMPOTENCY_TTL_MS);
      const restarted = await idem().begin(scope, 'new', { now: expired });
      await idem().complete(scope, 'new result', { claim: claimOf(restarted), now: expired });
      expect(await idem().begin(scope, 'new', { now: at(DEFAULT_IDEMPOTENCY_TTL_MS + HOUR) })).toEqual({
        outcome: 'replay',
        response: 'new result',
      });
    });

    it('honours a custom ttl', async () => {
      const scope = newScope();
      claimOf(await idem().begin(scope, 'fp', { now: T0, ttlMs: 25 * HOUR }));
      await idem().complete(scope, 1);
      expect((await idem().begin(scope, 'fp', { now: at(25 * HOUR - 1) })).outcome).toBe('replay');
      expect((await idem().begin(scope, 'fp', { now: at(25 * HOUR) })).outcome).toBe('started');
    });

    it('lets the same arguments take over a stale claim, but not other arguments', async () => {
      const scope = newScope();
      claimOf(await idem().begin(scope, 'fp', { now: T0, lockMs: 60_000 }));
      expect(await idem().begin(scope, 'fp', { now: at(59_999) })).toEqual({ outcome: 'in_progress' });
      expect(await idem().begin(scope, 'other', { now: at(120_000) })).toEqual({ outcome: 'mismatch' });
      claimOf(await idem().begin(scope, 'fp', { now: at(60_000) }));
    });

    it('fences complete and release to the current claim after a takeover', async () => {
      const scope = newScope();
      const crashed = claimOf(await idem().begin(scope, 'fp', { now: T0, lockMs: 1_000 }));
      const taker = claimOf(await idem().begin(scope, 'fp', { now: at(2_000), lockMs: 60_000 }));

      // The original owner wakes up late: neither its release nor its complete touch the new claim.
      await idem().release(scope, { claim: crashed });
      await idem().complete(scope, 'stale answer', { claim: crashed, now: at(3_000) });
      expect(await idem().begin(scope, 'fp', { now: at(4_000) })).toEqual({ outcome: 'in_progress' });

      await idem().complete(scope, 'fresh answer', { claim: taker, now: at(5_000) });
      expect(await idem().begin(scope, 'fp', { now: at(6_000) })).toEqual({ outcome: 'replay', response: 'fresh answer' });
    });
  });

  describe('purgeExpired', () => {
    it('deletes exactly the rows whose expiry has passed', async () => {
      const db = await freshDatabase(database);
      const store = await db.open();
      const scopes = [newScope(), newScope(), newScope()];
      claimOf(await store.idempotency.begin(scopes[0]!, 'fp', { now: T0 }));
      await store.idempotency.complete(scopes[0]!, 'a', { now: T0 });
      claimOf(await store.idempotency.begin(scopes[1]!, 'fp', { now: T0 })); // in progress (crashed) rows expire too
      claimOf(await store.idempotency.begin(scopes[2]!, 'fp', { now: at(HOUR) }));

      expect(await store.idempotency.purgeExpired(at(DEFAULT_IDEMPOTENCY_TTL_MS - 1))).toBe(0);
      expect(await store.idempotency.purgeExpired(at(DEFAULT_IDEMPOTENCY_TTL_MS))).toBe(2);
      expect(await db.query('SELECT key FROM idempotency_keys')).toEqual([{ key: scopes[2]!.key }]);
      expect(await store.idempotency.purgeExpired(at(DEFAULT_IDEMPOTENCY_TTL_MS + HOUR))).toBe(1);
      expect(await store.idempotency.purgeExpired()).toBe(0);
    });
  });

  describe('runIdempotent', () => {
    it('calls fn once and returns the identical result to the first call and every replay', async () => {
      const scope = newScope();
      let calls = 0;
      const fn = async () => {
        calls += 1;
        return { number: '+15551230000', provisionedAt: new Date('2030-01-01T00:00:00Z'), tags: ['b', 'a'] };
      };
      const args = { areaCode: '555', options: { sms: true, voice: false } };
      const first = await runIdempotent(ctx.store.idempotency, scope, args, fn);
      const again = await runIdempotent(ctx.store.idempotency, scope, { options: { voice: false, sms: true }, areaCode: '555' }, fn);
      const third = await runIdempotent(ctx.store.idempotency, scope, args, fn);
      expect(calls).toBe(1);
      expect(first).toEqual({ number: '+15551230000', provisionedAt: '2030-01-01T00:00:00.000Z', tags: ['b', 'a'] });
      expect(JSON.stringify(again)).toBe(JSON.stringify(first));
      expect(JSON.stringify(third)).toBe(JSON.stringify(first));
    });

    it('throws IDEMPOTENCY_KEY_REUSED for other arguments without calling fn', async () => {
      const scope = newScope();
      await runIdempotent(ctx.store.idempotency, scope, { to: '+15550000001' }, async () => 'sent');
      let called = false;
      const reuse = runIdempotent(ctx.store.idempotency, scope, { to: '+15550000002' }, async () => {
        called = true;
      });
      await expect(reuse).rejects.toBeInstanceOf(IdempotencyError);
      await expect(reuse).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(called).toBe(false);
    });

    it('throws IDEMPOTENCY_REQUEST_IN_PROGRESS while the first call runs, then replays', async () => {
      const scope = newScope();
      const gate = deferred<string>();
      let calls = 0;
      const fn = () => {
        calls += 1;
        return gate.promise;
      };
      const first = runIdempotent(ctx.store.idempotency, scope, { a: 1 }, fn);
      await expect.poll(() => calls).toBe(1);

      const concurrent = await Promise.allSettled(
        Array.from({ length: 10 }, () => runIdempotent(ctx.store.idempotency, scope, { a: 1 }, fn)),
      );
      for (const result of concurrent) {
        expect(result).toMatchObject({ status: 'rejected', reason: { code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' } });
      }

      gate.resolve('done');
      expect(await first).toBe('done');
      expect(await runIdempotent(ctx.store.idempotency, scope, { a: 1 }, fn)).toBe('done');
      expect(calls).toBe(1);
    });

    it('runs fn once when many identical requests race', async () => {
      const scope = newScope();
      let calls = 0;
      const fn = async () => {
        calls += 1;
        await new Promise((r) => setTimeout(r, 20));
        return { id: 7 };
      };
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => runIdempotent(ctx.store.idempotency, scope, { x: 1 }, fn)),
      );
      expect(calls).toBe(1);
      expect(results.filter((r) => r.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: { id: 7 } }]);
    });

    it('releases the claim when fn throws, so a retry runs fn again', async () => {
      const scope = newScope();
      let calls = 0;
      const failing = async (): Promise<string> => {
        calls += 1;
        throw new Error('vendor timed out');
      };
      await expect(runIdempotent(ctx.store.idempotency, scope, { a: 1 }, failing)).rejects.toThrow('vendor timed out');
      const retried = await runIdempotent(ctx.store.idempotency, scope, { a: 1 }, async () => {
        calls += 1;
        return 'ok';
      });
      expect(retried).toBe('ok');
      expect(calls).toBe(2);
    });

    it('stores an undefined result and replays it', async () => {
      const scope = newScope();
      let calls = 0;
      const fn = async () => {
        calls += 1;
      };
      expect(await runIdempotent(ctx.store.idempotency, scope, {}, fn)).toBeUndefined();
      expect(await runIdempotent(ctx.store.idempotency, scope, {}, fn)).toBeUndefined();
      expect(calls).toBe(1);
    });

    it('uses the canonical fingerprint of the arguments', async () => {
      const scope = newScope();
      await runIdempotent(ctx.store.idempotency, scope, { b: 2, a: 1 }, async () => 1);
      expect(await ctx.store.idempotency.begin(scope, fingerprint({ a: 1, b: 2 }))).toEqual({ outcome: 'replay', response: 1 });
    });
  });
});
