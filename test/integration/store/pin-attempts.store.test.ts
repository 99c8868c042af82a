/**
 * The PIN-attempt guard on SQLite and PostgreSQL: five wrong PINs per phone and purpose lock further attempts for
 * the lockout, judged on the store clock; success resets, a release gives an attempt back, a stale verdict or
 * release changes nothing; two replicas racing cannot get more attempts to the vendor than the maximum. Time moves
 * only through the injected clock.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PIN_POLICY, type PinAttempt, type PinAttempts, type PinPolicy, type PinReservation, type PinTarget } from '../../../src/store/pin-attempts.js';
import { freshDatabase, testDatabases, type TestDatabase } from '../../helpers/databases.js';
import { manualClock, SECOND } from './idempotency.fixtures.js';

const POLICY: PinPolicy = DEFAULT_PIN_POLICY; // 5 attempts, 900 s: the contract's defaults
const LOCKOUT = 900 * SECOND;

let phones = 0;
function target(purpose: PinTarget['purpose'] = 'ACCOUNT'): PinTarget {
  phones += 1;
  return { phoneId: `loanpro:${5000 + phones}`, purpose };
}

function attemptOf(r: PinReservation): PinAttempt {
  if (!r.allowed) throw new Error(`expected an allowed attempt, got locked for ${r.retryAfterSeconds}s`);
  return r.attempt;
}

async function setup(database: TestDatabase) {
  const db = await freshDatabase(database);
  const clock = manualClock();
  const store = await db.open({ clock: clock.now });
  return { db, clock, store, guard: store.pinAttempts };
}

/** One wrong PIN, as the GraphQL layer will spend it: reserve, then the vendor's verdict. */
async function wrongPin(guard: PinAttempts, t: PinTarget, policy = POLICY) {
  const r = await guard.reserve(t, policy);
  return r.allowed ? { reservation: r, state: await guard.recordWrongPin(r.attempt, policy) } : { reservation: r, state: undefined };
}

describe.each(testDatabases)('PIN attempts ($label)', (database) => {
  it('locks after five wrong PINs: the sixth reaches no vendor and says how long to wait', async () => {
    const { guard, clock } = await setup(database);
    const t = target();
    const remaining: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const { reservation, state } = await wrongPin(guard, t);
      expect(reservation.allowed).toBe(true);
      if (reservation.allowed) remaining.push(reservation.remaining);
      expect(state).toEqual(
        i < 5
          ? { locked: false, retryAfterSeconds: null, failures: i, remaining: 5 - i }
          : { locked: true, retryAfterSeconds: 900, failures: 5, remaining: 0 },
      );
      clock.advance(SECOND);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);

    // Locked from the fifth verdict (t=4 s) for 900 s; the right PIN is not even asked for.
    expect(await guard.reserve(t, POLICY)).toEqual({ allowed: false, retryAfterSeconds: 899 });
    clock.at(4 * SECOND + LOCKOUT - 1);
    expect(await guard.reserve(t, POLICY)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await guard.status(t, POLICY)).toMatchObject({ locked: true, retryAfterSeconds: 1 });
    // The lock ended: a new window with all five attempts.
    clock.at(4 * SECOND + LOCKOUT);
    expect(await guard.status(t, POLICY)).toEqual({ locked: false, retryAfterSeconds: null, failures: 0, remaining: 5 });
    const next = await guard.reserve(t, POLICY);
    expect(next).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('runs the lock from the verdict of the last attempt, not from its reservation', async () => {
    const { guard, clock } = await setup(database);
    const t = target();
    for (let i = 0; i < 4; i++) await wrongPin(guard, t);
    const last = attemptOf(await guard.reserve(t, POLICY));
    // While the last attempt is at the vendor the phone already reads locked: nobody can slip in beside it.
    expect(await guard.status(t, POLICY)).toMatchObject({ locked: true, retryAfterSeconds: 900 });
    clock.advance(30 * SECOND);
    expect(await guard.recordWrongPin(last, POLICY)).toMatchObject({ locked: true, retryAfterSeconds: 900 });
  });

  it('resets on a right PIN, and only then', async () => {
    const { guard } = await setup(database);
    const t = target();
    for (let i = 0; i < 4; i++) await wrongPin(guard, t);
    expect(await guard.status(t, POLICY)).toMatchObject({ failures: 4, remaining: 1 });
    attemptOf(await guard.reserve(t, POLICY));
    await guard.recordSuccess(t);
    expect(await guard.status(t, POLICY)).toEqual({ locked: false, retryAfterSeconds: null, failures: 0, remaining: 5 });
    for (let i = 0; i < 4; i++) expect((await wrongPin(guard, t)).state?.locked).toBe(false);
    expect((await wrongPin(guard, t)).state?.locked).toBe(true);
  });

  it('counts per phone and per purpose', async () => {
    const { guard } = await setup(database);
    const account = target('ACCOUNT');
    const marketing: PinTarget = { ...account, purpose: 'MARKETING' };
    const other = target('ACCOUNT');
    for (let i = 0; i < 5; i++) await wrongPin(guard, account);
    expect((await guard.reserve(account, POLICY)).allowed).toBe(false);
    expect(await guard.reserve(marketing, POLICY)).toMatchObject({ allowed: true, remaining: 4 });
    expect(await guard.reserve(other, POLICY)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('gives back an attempt the vendor gave no verdict on, lifting the lock it had set', async () => {
    const { guard } = await setup(database);
    const t = target();
    for (let i = 0; i < 4; i++) await wrongPin(guard, t);
    const last = attemptOf(await guard.reserve(t, POLICY));
    expect((await guard.reserve(t, POLICY)).allowed).toBe(false);
    expect(await guard.release(last, POLICY)).toBe(true);
    expect(await guard.status(t, POLICY)).toEqual({ locked: false, retryAfterSeconds: null, failures: 4, remaining: 1 });
    expect(await guard.reserve(t, POLICY)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('ignores a verdict or release for a window that is gone', async () => {
    const { guard, clock } = await setup(database);
    const t = target();
    for (let i = 0; i < 4; i++) await wrongPin(guard, t);
    const stale = attemptOf(await guard.reserve(t, POLICY));
    await guard.recordSuccess(t); // another attempt's right PIN reset the count meanwhile
    const fresh = attemptOf(await guard.reserve(t, POLICY));
    expect(fresh.window).not.toBe(stale.window);
    expect(await guard.release(stale, POLICY)).toBe(false);
    expect(await guard.recordWrongPin(stale, POLICY)).toEqual({ locked: false, retryAfterSeconds: null, failures: 1, remaining: 4 });

    // The same after a lock ran out.
    await guard.recordWrongPin(fresh, POLICY);
    for (let i = 0; i < 4; i++) await wrongPin(guard, t);
    const locked = await guard.status(t, POLICY);
    expect(locked.locked).toBe(true);
    clock.advance(LOCKOUT);
    const after = attemptOf(await guard.reserve(t, POLICY));
    expect(await guard.release(fresh, POLICY)).toBe(false);
    expect(await guard.status(t, POLICY)).toMatchObject({ failures: 1, remaining: 4 });
    expect(await guard.release(after, POLICY)).toBe(true);
  });

  it('forgets failures older than the window (default: the lockout)', async () => {
    const { guard, clock } = await setup(database);
    const t = target();
    for (let i = 0; i < 4; i++) await wrongPin(guard, t);
    clock.advance(LOCKOUT - 1);
    expect(await guard.status(t, POLICY)).toMatchObject({ failures: 4 });
    clock.advance(1);
    expect(await guard.status(t, POLICY)).toMatchObject({ failures: 0, remaining: 5 });
    expect(await guard.reserve(t, POLICY)).toMatchObject({ allowed: true, remaining: 4 });

    const short: PinPolicy = { maxAttempts: 3, lockoutSeconds: 600, windowSeconds: 60 };
    const u = target();
    await wrongPin(guard, u, short);
    await wrongPin(guard, u, short);
    clock.advance(60 * SECOND);
    expect((await wrongPin(guard, u, short)).state).toMatchObject({ locked: false, failures: 1 });
  });

  it('locks at once when the policy was lowered below what is already counted', async () => {
    const { guard } = await setup(database);
    const t = target();
    for (let i = 0; i < 4; i++) await wrongPin(guard, t);
    const lower: PinPolicy = { maxAttempts: 3, lockoutSeconds: 120 };
    expect(await guard.reserve(t, lower)).toEqual({ allowed: false, retryAfterSeconds: 120 });
    expect(await guard.status(t, lower)).toMatchObject({ locked: true, retryAfterSeconds: 120 });
  });

  it('is honoured by every replica, and two replicas racing get exactly the maximum through', async () => {
    const { db, clock, guard } = await setup(database);
    const other = (await db.open({ clock: clock.now })).pinAttempts;
    const replicas = [guard, other];
    for (let round = 0; round < 3; round++) {
      const t = target(round % 2 === 0 ? 'ACCOUNT' : 'MARKETING');
      // Twelve wrong PINs at once, alternating replicas: reserve, then the vendor's "wrong".
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => wrongPin(replicas[i % 2]!, t)));
      const through = outcomes.filter((o) => o.reservation.allowed);
      expect(through).toHaveLength(5);
      for (const o of outcomes) {
        if (!o.reservation.allowed) expect(o.reservation.retryAfterSeconds).toBe(900);
      }
      // Each allowed attempt saw a different count, and the last verdict locked the target for everyone.
      expect(through.map((o) => (o.reservation.allowed ? o.reservation.remaining : -1)).sort()).toEqual([0, 1, 2, 3, 4]);
      for (const replica of replicas) {
        expect(await replica.status(t, POLICY)).toMatchObject({ locked: true, failures: 5, remaining: 0 });
        expect((await replica.reserve(t, POLICY)).allowed).toBe(false);
      }
    }
  });

  it('counts reservations racing on a target nobody has seen yet exactly once each', async () => {
    const { db, clock, guard } = await setup(database);
    const other = (await db.open({ clock: clock.now })).pinAttempts;
    const t = target();
    const policy: PinPolicy = { maxAttempts: 8, lockoutSeconds: 60 };
    const reservations = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? guard : other).reserve(t, policy)));
    expect(reservations.filter((r) => r.allowed)).toHaveLength(8);
    expect(await guard.status(t, policy)).toMatchObject({ locked: true, failures: 8 });
  });

  it('stores the phone id and purpose only, and purges rows that count for nothing', async () => {
    const { db, clock, guard } = await setup(database);
    const t = target();
    await wrongPin(guard, t);
    const rows = await db.query<{ phone_id: string; purpose: string; failures: number }>('SELECT phone_id, purpose, failures FROM pin_attempts');
    expect(rows.map((r) => [r.phone_id, r.purpose, Number(r.failures)])).toEqual([[t.phoneId, 'ACCOUNT', 1]]);

    const locked = target();
    for (let i = 0; i < 5; i++) await wrongPin(guard, locked);
    clock.advance(LOCKOUT - 1);
    const live = target();
    await wrongPin(guard, live);
    expect(await guard.purgeExpired(POLICY)).toBe(0);
    clock.advance(1); // t's window and locked's lock have run out; live's window has not
    expect(await guard.purgeExpired(POLICY)).toBe(2);
    const left = await db.query<{ phone_id: string }>('SELECT phone_id FROM pin_attempts');
    expect(left.map((r) => r.phone_id)).toEqual([live.phoneId]);
  });

  it('refuses phone numbers, unknown purposes and bad policies before touching the database', async () => {
    const { db, guard } = await setup(database);
    for (const phoneId of ['+16514737960', '6514737960', 'loanpro:', '', 'loanpro:12 34']) {
      await expect(guard.reserve({ phoneId, purpose: 'ACCOUNT' }, POLICY)).rejects.toThrow(/phone id/);
    }
    await expect(guard.reserve({ phoneId: 'loanpro:1', purpose: 'COLLECTIONS' as never }, POLICY)).rejects.toThrow(/purpose/);
    for (const policy of [
      { maxAttempts: 0, lockoutSeconds: 900 },
      { maxAttempts: 2.5, lockoutSeconds: 900 },
      { maxAttempts: 5, lockoutSeconds: 0 },
      { maxAttempts: 5, lockoutSeconds: 900, windowSeconds: -1 },
    ]) {
      await expect(guard.reserve(target(), policy)).rejects.toThrow(RangeError);
    }
    await expect(guard.release({ phoneId: 'loanpro:1', purpose: 'ACCOUNT', window: '' }, POLICY)).rejects.toThrow(/window/);
    expect(await db.query('SELECT phone_id FROM pin_attempts')).toEqual([]);
  });

  it("judges locks on the database's own clock when none is injected", async () => {
    const db = await freshDatabase(database);
    const guard = (await db.open()).pinAttempts;
    const t: PinTarget = { phoneId: `loanpro:${randomUUID().slice(0, 8)}`, purpose: 'MARKETING' };
    for (let i = 0; i < 5; i++) await wrongPin(guard, t);
    const refused = await guard.reserve(t, POLICY);
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(900);
    }
    await guard.recordSuccess(t);
    expect((await guard.reserve(t, POLICY)).allowed).toBe(true);
  });
});
