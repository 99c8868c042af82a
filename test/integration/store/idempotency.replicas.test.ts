/**
 * Two replicas: two stores opened on one database (SQLite: the same file; PostgreSQL: the same schema), as two
 * gateway processes would. They share one clock, as replicas share the database's. What a caller sees depends
 * on timing (who claims first, whether the other looks before or after completion), so these tests assert the
 * set of possible answers and the number of side effects, never the split.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/store/fingerprint.js';
import type { IdempotencyStore } from '../../../src/store/idempotency.js';
import { runIdempotent, type Reconciled } from '../../../src/store/idempotency.run.js';
import { testDatabases, useTestDatabase } from '../../helpers/databases.js';
import { POLL, SECOND, claimOf, deferred, manualClock, newScope } from './idempotency.fixtures.js';

const LOCK = 60 * SECOND;

/** A caller's answer, reduced to what the test may assert: the result's JSON or the error code. */
function answerOf(result: PromiseSettledResult<unknown>): string {
  if (result.status === 'fulfilled') return JSON.stringify(result.value);
  const code = (result.reason as { code?: unknown }).code;
  return typeof code === 'string' ? code : `unexpected: ${String(result.reason)}`;
}

describe.each(testDatabases)('idempotency across two replicas ($label)', (database) => {
  const ctx = useTestDatabase(database);
  const clock = manualClock();
  let replicas: [IdempotencyStore, IdempotencyStore];
  beforeAll(async () => {
    if (database.unavailable) return;
    const [a, b] = await Promise.all([ctx.db.open({ clock: clock.now }), ctx.db.open({ clock: clock.now })]);
    replicas = [a.idempotency, b.idempotency];
  });

  it('runs fn once per key when both replicas take the same requests at once', async () => {
    clock.at(0);
    for (let round = 0; round < 10; round++) {
      const scope = newScope();
      const gate = deferred<{ round: number }>();
      let calls = 0;
      const fn = () => {
        calls += 1;
        return gate.promise;
      };
      // Ten callers on each replica, interleaved.
      const settled = Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => runIdempotent(replicas[i % 2]!, scope, { round }, fn, { lockMs: LOCK })),
      );
      await expect.poll(() => calls, POLL).toBe(1);
      gate.resolve({ round });
      const answers = new Set((await settled).map(answerOf));

      expect(calls).toBe(1);
      expect(answers).toContain(JSON.stringify({ round }));
      for (const answer of answers) expect([JSON.stringify({ round }), 'IDEMPOTENCY_REQUEST_IN_PROGRESS']).toContain(answer);
    }
  });

  it('lets exactly one replica run fn again when both reconcile an unknown key as not applied', async () => {
    clock.at(0);
    const scope = newScope();
    const args = { to: 'customer-1' };
    await runIdempotent(replicas[0], scope, args, async () => {
      throw new Error('socket reset after the request was written');
    }).catch(() => undefined);

    const gate = deferred<string>();
    let calls = 0;
    let reconciles = 0;
    const fn = () => {
      calls += 1;
      return gate.promise;
    };
    const reconcile = async (): Promise<Reconciled<string>> => {
      reconciles += 1;
      return { applied: false };
    };
    const settled = Promise.allSettled(replicas.map((store) => runIdempotent(store, scope, args, fn, { reconcile, lockMs: LOCK })));
    await expect.poll(() => calls, POLL).toBe(1);
    gate.resolve('sent once');
    const answers = new Set((await settled).map(answerOf));

    expect(calls).toBe(1);
    expect(reconciles).toBeGreaterThanOrEqual(1); // a replica that arrives after the takeover sees in_progress instead
    expect(answers).toContain('"sent once"');
    for (const answer of answers) expect(['"sent once"', 'IDEMPOTENCY_REQUEST_IN_PROGRESS']).toContain(answer);
  });

  it('gives both replicas the reconciled result of a crashed call, without running fn', async () => {
    clock.at(0);
    const scope = newScope();
    const args = { areaCode: '555' };
    claimOf(await replicas[0].begin(scope, fingerprint(args), { lockMs: LOCK })); // that process then died
    clock.at(LOCK);

    let calls = 0;
    const fn = async () => {
      calls += 1;
      return { number: 'second purchase' };
    };
    const reconcile = async (): Promise<Reconciled<{ number: string }>> => ({ applied: true, result: { number: 'bought' } });
    const answers = (
      await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => runIdempotent(replicas[i % 2]!, scope, args, fn, { reconcile, lockMs: LOCK })),
      )
    ).map(answerOf);

    expect(calls).toBe(0);
    expect(new Set(answers)).toEqual(new Set([JSON.stringify({ number: 'bought' })]));
  });

  it('answers OUTCOME_UNKNOWN on both replicas for a crashed call nobody can reconcile', async () => {
    clock.at(0);
    const scope = newScope();
    claimOf(await replicas[1].begin(scope, fingerprint({}), { lockMs: LOCK }));
    clock.at(LOCK);
    let calls = 0;
    const answers = (
      await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          runIdempotent(replicas[i % 2]!, scope, {}, async () => {
            calls += 1;
          }, { lockMs: LOCK }),
        ),
      )
    ).map(answerOf);
    expect(calls).toBe(0);
    expect(new Set(answers)).toEqual(new Set(['OUTCOME_UNKNOWN']));
  });
});
