import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClaimLostError, IdempotencyError } from '../../../src/store/errors.js';
import { fingerprint } from '../../../src/store/fingerprint.js';
import { DEFAULT_IDEMPOTENCY_TTL_MS, type IdempotencyStore } from '../../../src/store/idempotency.js';
import { runIdempotent, type FailureClass, type UnknownOutcomeEvent } from '../../../src/store/idempotency.run.js';
import { testDatabases, useTestDatabase } from '../../helpers/databases.js';
import { POLL, SECOND, claimOf, deferred, manualClock, newScope, storedRow } from './idempotency.fixtures.js';

const LOCK = 3 * SECOND; // renewals every second

/** What the upstream layer would say: a refused connection was not applied; a timeout may have been. */
class VendorError extends Error {
  constructor(readonly applied: FailureClass) {
    super(applied === 'not_applied' ? 'vendor refused the connection' : 'vendor timed out');
  }
}
const classify = (error: unknown): FailureClass => (error instanceof VendorError ? error.applied : 'unknown');

/** A fn that counts its calls. */
function counted<T>(body: (signal: AbortSignal) => Promise<T>): { fn: (signal: AbortSignal) => Promise<T>; calls: () => number } {
  let calls = 0;
  return {
    fn: (signal) => {
      calls += 1;
      return body(signal);
    },
    calls: () => calls,
  };
}

describe.each(testDatabases)('runIdempotent ($label)', (database) => {
  const ctx = useTestDatabase(database);
  const clock = manualClock();
  let idem: IdempotencyStore;
  beforeAll(async () => {
    if (database.unavailable) return;
    idem = (await ctx.db.open({ clock: clock.now })).idempotency;
  });
  const start = () => clock.at(0);
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('replay, reuse, in progress', () => {
    it('calls fn once and returns the identical result to the first call and every replay', async () => {
      start();
      const scope = newScope();
      const { fn, calls } = counted(async () => ({
        number: '+15551230000',
        provisionedAt: new Date('2030-01-01T00:00:00Z'),
        tags: ['b', 'a'],
      }));
      const args = { areaCode: '555', options: { sms: true, voice: false } };
      const first = await runIdempotent(idem, scope, args, fn);
      const again = await runIdempotent(idem, scope, { options: { voice: false, sms: true }, areaCode: '555' }, fn);
      const third = await runIdempotent(idem, scope, args, fn);
      expect(calls()).toBe(1);
      expect(first).toEqual({ number: '+15551230000', provisionedAt: '2030-01-01T00:00:00.000Z', tags: ['b', 'a'] });
      expect(JSON.stringify(again)).toBe(JSON.stringify(first));
      expect(JSON.stringify(third)).toBe(JSON.stringify(first));
    });

    it('throws IDEMPOTENCY_KEY_REUSED for other arguments without calling fn', async () => {
      start();
      const scope = newScope();
      await runIdempotent(idem, scope, { to: '+15550000001' }, async () => 'sent');
      const { fn, calls } = counted(async () => 'again');
      const reuse = runIdempotent(idem, scope, { to: '+15550000002' }, fn);
      await expect(reuse).rejects.toBeInstanceOf(IdempotencyError);
      await expect(reuse).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(calls()).toBe(0);
    });

    it('throws IDEMPOTENCY_REQUEST_IN_PROGRESS while the first call runs, then replays', async () => {
      start();
      const scope = newScope();
      const gate = deferred<string>();
      const { fn, calls } = counted(() => gate.promise);
      const first = runIdempotent(idem, scope, { a: 1 }, fn);
      await expect.poll(calls, POLL).toBe(1);

      const concurrent = await Promise.allSettled(Array.from({ length: 10 }, () => runIdempotent(idem, scope, { a: 1 }, fn)));
      for (const result of concurrent) {
        expect(result).toMatchObject({ status: 'rejected', reason: { code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' } });
      }

      gate.resolve('done');
      expect(await first).toBe('done');
      expect(await runIdempotent(idem, scope, { a: 1 }, fn)).toBe('done');
      expect(calls()).toBe(1);
    });

    it('runs fn once when many identical requests race; every answer is the result or IN_PROGRESS', async () => {
      start();
      const scope = newScope();
      const gate = deferred<{ id: number }>();
      const { fn, calls } = counted(() => gate.promise);
      const racing = Promise.allSettled(Array.from({ length: 20 }, () => runIdempotent(idem, scope, { x: 1 }, fn)));
      await expect.poll(calls, POLL).toBe(1);
      gate.resolve({ id: 7 });
      const results = await racing;

      // How many see IN_PROGRESS and how many a replay depends on timing (pool size, machine speed): not asserted.
      expect(calls()).toBe(1);
      const answers = new Set(
        results.map((r) => (r.status === 'fulfilled' ? JSON.stringify(r.value) : (r.reason as IdempotencyError).code)),
      );
      for (const answer of answers) expect(['{"id":7}', 'IDEMPOTENCY_REQUEST_IN_PROGRESS']).toContain(answer);
      expect(answers).toContain('{"id":7}'); // at least the call that ran fn
    });

    it('stores an undefined result and replays it', async () => {
      start();
      const scope = newScope();
      const { fn, calls } = counted(async () => undefined);
      expect(await runIdempotent(idem, scope, {}, fn)).toBeUndefined();
      expect(await runIdempotent(idem, scope, {}, fn)).toBeUndefined();
      expect(calls()).toBe(1);
    });

    it('uses the canonical fingerprint of the arguments', async () => {
      start();
      const scope = newScope();
      await runIdempotent(idem, scope, { b: 2, a: 1 }, async () => 1);
      expect(await idem.begin(scope, fingerprint({ a: 1, b: 2 }))).toEqual({ outcome: 'replay', response: 1 });
    });
  });

  describe('classify', () => {
    it("'not_applied' releases the key: a retry runs fn again", async () => {
      start();
      const scope = newScope();
      const refused = counted(async (): Promise<string> => {
        throw new VendorError('not_applied');
      });
      const error = await runIdempotent(idem, scope, { a: 1 }, refused.fn, { classify }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorError);
      expect(await storedRow(ctx.db, scope)).toBeUndefined();

      const retry = counted(async () => 'ok');
      expect(await runIdempotent(idem, scope, { a: 1 }, retry.fn, { classify })).toBe('ok');
      expect([refused.calls(), retry.calls()]).toEqual([1, 1]);
    });

    it('does NOT run fn again after a vendor timeout: every retry answers OUTCOME_UNKNOWN for the key lifetime', async () => {
      start();
      const scope = newScope();
      const events: UnknownOutcomeEvent[] = [];
      const onUnknown = (event: UnknownOutcomeEvent) => events.push(event);
      const timedOut = new VendorError('unknown');
      const first = counted(async (): Promise<string> => {
        throw timedOut;
      });
      // The first caller gets its own error back (the edge maps it); the key is now unknown.
      await expect(runIdempotent(idem, scope, { a: 1 }, first.fn, { classify, onUnknown })).rejects.toBe(timedOut);
      expect(events).toEqual([{ operation: 'provisionNumber', cause: 'fn_error', event: 'recorded' }]);
      expect(await storedRow(ctx.db, scope)).toMatchObject({ state: 'unknown', unknownCause: 'fn_error' });

      const retry = counted(async () => 'second side effect');
      for (const ms of [0, SECOND, DEFAULT_IDEMPOTENCY_TTL_MS - 1]) {
        clock.at(ms);
        const answer = await runIdempotent(idem, scope, { a: 1 }, retry.fn, { classify, onUnknown }).catch((e: unknown) => e);
        expect(answer).toBeInstanceOf(IdempotencyError);
        expect(answer).toMatchObject({ code: 'OUTCOME_UNKNOWN', message: expect.stringContaining('is unknown') });
        expect((answer as Error).message).not.toContain(scope.key);
      }
      expect(retry.calls()).toBe(0);
      expect(events.slice(1)).toEqual(
        Array.from({ length: 3 }, () => ({
          operation: 'provisionNumber',
          cause: 'fn_error',
          event: 'refused',
          reconcile: 'absent',
        })),
      );

      // Once the key has expired it is a new request.
      clock.at(DEFAULT_IDEMPOTENCY_TTL_MS);
      expect(await runIdempotent(idem, scope, { a: 1 }, retry.fn, { classify })).toBe('second side effect');
      expect(retry.calls()).toBe(1);
    });

    it("defaults to 'unknown' without classify, and when classify throws", async () => {
      start();
      for (const opts of [{}, { classify: (): FailureClass => { throw new Error('classifier bug'); } }]) {
        const scope = newScope();
        await expect(runIdempotent(idem, scope, {}, async () => { throw new Error('???'); }, opts)).rejects.toThrow('???');
        expect(await storedRow(ctx.db, scope)).toMatchObject({ state: 'unknown', unknownCause: 'fn_error' });
      }
    });

    it('an onUnknown hook that throws does not change the answer', async () => {
      start();
      const scope = newScope();
      const onUnknown = () => {
        throw new Error('logger down');
      };
      const timeout = async (): Promise<string> => {
        throw new VendorError('unknown');
      };
      await expect(runIdempotent(idem, scope, {}, timeout, { classify, onUnknown })).rejects.toBeInstanceOf(VendorError);
      await expect(runIdempotent(idem, scope, {}, async () => 'x', { classify, onUnknown })).rejects.toMatchObject({
        code: 'OUTCOME_UNKNOWN',
      });
    });
  });

  describe('reconcile', () => {
    async function unknownKey(): Promise<ReturnType<typeof newScope>> {
      const scope = newScope();
      const timeout = async (): Promise<never> => {
        throw new VendorError('unknown');
      };
      await expect(runIdempotent(idem, scope, { n: 1 }, timeout, { classify })).rejects.toBeInstanceOf(VendorError);
      return scope;
    }

    it('applied: stores and returns the vendor result without running fn; later retries replay it', async () => {
      start();
      const scope = await unknownKey();
      const { fn, calls } = counted(async () => ({ number: 'second' }));
      const reconcile = vi.fn(async () => ({
        applied: true as const,
        result: { number: 'from vendor', at: new Date('2030-01-01T00:00:00Z') },
      }));
      expect(await runIdempotent(idem, scope, { n: 1 }, fn, { classify, reconcile })).toEqual({
        number: 'from vendor',
        at: '2030-01-01T00:00:00.000Z',
      });
      expect(await runIdempotent(idem, scope, { n: 1 }, fn, { classify, reconcile })).toEqual({
        number: 'from vendor',
        at: '2030-01-01T00:00:00.000Z',
      });
      expect(reconcile).toHaveBeenCalledTimes(1);
      expect(calls()).toBe(0);
    });

    it('not applied: runs fn again, once, and stores its result', async () => {
      start();
      const scope = await unknownKey();
      const { fn, calls } = counted(async () => 'ran again');
      const reconcile = vi.fn(async () => ({ applied: false as const }));
      expect(await runIdempotent(idem, scope, { n: 1 }, fn, { classify, reconcile })).toBe('ran again');
      expect(await runIdempotent(idem, scope, { n: 1 }, fn, { classify, reconcile })).toBe('ran again');
      expect([calls(), reconcile.mock.calls.length]).toEqual([1, 1]);
    });

    it('not applied, then fn fails again: the key follows the new failure', async () => {
      start();
      const scope = await unknownKey();
      const reconcile = async () => ({ applied: false as const });
      await expect(
        runIdempotent(idem, scope, { n: 1 }, async () => { throw new VendorError('not_applied'); }, { classify, reconcile }),
      ).rejects.toBeInstanceOf(VendorError);
      expect(await storedRow(ctx.db, scope)).toBeUndefined();
    });

    it('cannot tell (undefined), or fails: OUTCOME_UNKNOWN, fn not run, the key stays unknown', async () => {
      start();
      const scope = await unknownKey();
      const events: UnknownOutcomeEvent[] = [];
      const { fn, calls } = counted(async () => 'never');
      const reconcilers = [
        async () => undefined,
        async (): Promise<undefined> => {
          throw new Error('vendor read failed');
        },
      ];
      for (const reconcile of reconcilers) {
        await expect(
          runIdempotent(idem, scope, { n: 1 }, fn, { classify, reconcile, onUnknown: (e) => events.push(e) }),
        ).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
      }
      expect(calls()).toBe(0);
      expect(events.map((e) => e.reconcile)).toEqual(['undetermined', 'failed']);
      expect(await storedRow(ctx.db, scope)).toMatchObject({ state: 'unknown' });
    });

    it('is not consulted for a key that is in progress or completed', async () => {
      start();
      const scope = newScope();
      const reconcile = vi.fn(async () => ({ applied: false as const }));
      const gate = deferred<string>();
      const first = runIdempotent(idem, scope, {}, () => gate.promise, { reconcile });
      await expect.poll(async () => (await storedRow(ctx.db, scope))?.state, POLL).toBe('in_progress');
      await expect(runIdempotent(idem, scope, {}, async () => 'x', { reconcile })).rejects.toMatchObject({
        code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      });
      gate.resolve('first');
      await first;
      expect(await runIdempotent(idem, scope, {}, async () => 'x', { reconcile })).toBe('first');
      expect(reconcile).not.toHaveBeenCalled();
    });
  });

  describe('leases', () => {
    it('a crashed call (lease expired) is an unknown outcome: fn is not run again', async () => {
      start();
      const scope = newScope();
      claimOf(await idem.begin(scope, fingerprint({ n: 1 }), { lockMs: LOCK })); // the process died here
      clock.at(LOCK);
      const events: UnknownOutcomeEvent[] = [];
      const { fn, calls } = counted(async () => 'again');
      await expect(
        runIdempotent(idem, scope, { n: 1 }, fn, { lockMs: LOCK, onUnknown: (e) => events.push(e) }),
      ).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
      expect(calls()).toBe(0);
      expect(events).toEqual([{ operation: 'provisionNumber', cause: 'lease_expired', event: 'refused', reconcile: 'absent' }]);

      // With a reconcile that reads "not applied", the call runs again.
      const notApplied = async () => ({ applied: false as const });
      expect(await runIdempotent(idem, scope, { n: 1 }, fn, { lockMs: LOCK, reconcile: notApplied })).toBe('again');
      expect(calls()).toBe(1);
    });

    it('renews the lease while fn runs, so a long call keeps its key', async () => {
      start();
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const scope = newScope();
      const gate = deferred<string>();
      const { fn, calls } = counted(() => gate.promise);
      const first = runIdempotent(idem, scope, {}, fn, { lockMs: LOCK });
      await expect.poll(calls, POLL).toBe(1);
      expect((await storedRow(ctx.db, scope))?.lockedUntil).toBe(clock.now().getTime() + LOCK);

      // Two renewals, each one lockMs/3 after the last, each extending the lease from the store clock's now.
      // (An extra tick while the store clock stands still renews to the same instant, so ticking until the row
      // shows the renewal does not depend on when a renewal in flight settles.)
      for (const at of [2 * SECOND, 4 * SECOND]) {
        clock.at(at);
        await expect
          .poll(async () => {
            await vi.advanceTimersByTimeAsync(LOCK / 3);
            return (await storedRow(ctx.db, scope))?.lockedUntil;
          }, POLL)
          .toBe(clock.now().getTime() + LOCK);
      }
      // Past the first lease (3 s) and the second (5 s), inside the third (7 s): still running, not unknown.
      clock.at(6 * SECOND);
      await expect(runIdempotent(idem, scope, {}, fn, { lockMs: LOCK })).rejects.toMatchObject({
        code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      });

      gate.resolve('long call');
      expect(await first).toBe('long call');
      // Renewals stop with the call: no timer is left behind.
      expect(vi.getTimerCount()).toBe(0);
      expect(await runIdempotent(idem, scope, {}, fn, { lockMs: LOCK })).toBe('long call');
      expect(calls()).toBe(1);
    });

    it('a call that outlived its lease records its late result, resolving its own unknown outcome', async () => {
      start();
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }); // no renewal unless the test ticks
      const scope = newScope();
      const gate = deferred<string>();
      const first = runIdempotent(idem, scope, {}, () => gate.promise, { lockMs: LOCK });
      await expect.poll(async () => (await storedRow(ctx.db, scope))?.state, POLL).toBe('in_progress');
      clock.at(LOCK);
      await expect(runIdempotent(idem, scope, {}, async () => 'x', { lockMs: LOCK })).rejects.toMatchObject({
        code: 'OUTCOME_UNKNOWN',
      });

      gate.resolve('late');
      expect(await first).toBe('late');
      expect(await runIdempotent(idem, scope, {}, async () => 'x', { lockMs: LOCK })).toBe('late');
    });

    it('a lost claim aborts fn and fails complete(): the caller gets OUTCOME_UNKNOWN, never a silent success', async () => {
      start();
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const scope = newScope();
      const gate = deferred<string>();
      let signal: AbortSignal | undefined;
      const events: UnknownOutcomeEvent[] = [];
      const first = runIdempotent(
        idem,
        scope,
        {},
        (s) => {
          signal = s;
          return gate.promise; // a call that ignores its signal (the request was already written)
        },
        { lockMs: LOCK, onUnknown: (e) => events.push(e) },
      );
      await expect.poll(() => signal, POLL).toBeDefined();

      // The lease runs out (no renewal ran); a retry's reconcile reads "not applied" and takes the key over.
      clock.at(LOCK);
      const second = counted(async () => 'second');
      const notApplied = async () => ({ applied: false as const });
      expect(await runIdempotent(idem, scope, {}, second.fn, { lockMs: LOCK, reconcile: notApplied })).toBe('second');

      // The first call's next renewal finds its claim gone and aborts its signal.
      await expect
        .poll(async () => {
          await vi.advanceTimersByTimeAsync(LOCK / 3);
          return signal?.aborted;
        }, POLL)
        .toBe(true);
      expect(signal?.reason).toBeInstanceOf(ClaimLostError);

      gate.resolve('first');
      await expect(first).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
      expect(events).toEqual([{ operation: 'provisionNumber', cause: 'claim_lost', event: 'recorded' }]);
      expect(await runIdempotent(idem, scope, {}, async () => 'x')).toBe('second');
    });

    it('a result that cannot be stored is an unknown outcome, not a success', async () => {
      start();
      const scope = newScope();
      const events: UnknownOutcomeEvent[] = [];
      const { fn, calls } = counted(async () => ({ amount: 10n })); // BigInt: not JSON
      await expect(runIdempotent(idem, scope, {}, fn, { onUnknown: (e) => events.push(e) })).rejects.toMatchObject({
        code: 'OUTCOME_UNKNOWN',
      });
      expect(events).toEqual([{ operation: 'provisionNumber', cause: 'not_recorded', event: 'recorded' }]);
      expect(await storedRow(ctx.db, scope)).toMatchObject({ state: 'unknown', unknownCause: 'not_recorded' });
      await expect(runIdempotent(idem, scope, {}, fn)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
      expect(calls()).toBe(1);
    });
  });
});
