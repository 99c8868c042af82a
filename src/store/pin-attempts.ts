import { randomUUID } from 'node:crypto';
import { SqlParams, storeClock, type StoreClock } from './clock.js';
import { readOptionalTimestamp, readTimestamp, type SqlExecutor } from './sql.js';

/**
 * The brute-force guard on SMS PIN confirmation (migration 5, `pin_attempts`): at most `maxAttempts` PIN
 * checks per phone and purpose reach the vendor within a window; then further attempts are locked for
 * `lockoutSeconds`, whatever the vendor does (compliance doc 4.8; SBT_PIN_MAX_ATTEMPTS, SBT_PIN_LOCKOUT_S).
 *
 * An attempt is counted when it is reserved, before the vendor call, in one transaction per reservation
 * (PostgreSQL: the row locked FOR UPDATE; SQLite: BEGIN IMMEDIATE). So replicas racing wrong PINs cannot get
 * more than `maxAttempts` checks to the vendor between them: the reservation that reaches the maximum sets the
 * lock at once, and every later one is refused. The caller then says how the attempt ended:
 *   - recordWrongPin: the vendor said the PIN was wrong; the attempt stays counted (the lock, if this was the
 *     last one, now runs from the verdict);
 *   - recordSuccess: the PIN was right; the phone and purpose start afresh;
 *   - release: the vendor gave no verdict on the PIN (it was not reached, nothing was pending): the attempt is
 *     given back. A caller that cannot tell (a timeout after the request went out) keeps it counted: a crash
 *     between reserve and the verdict errs the same way, towards locking.
 * Nothing else resets the count: a new verification request (a new PIN texted) does not.
 *
 * Time is the store clock (the database's, src/store/clock.ts), so every replica agrees on when a lock ends.
 * Failures older than the window (default: the lockout) are forgotten; the first attempt after a lock ended or
 * the window passed starts a new window, which a stale release or verdict can no longer touch.
 */

export const PIN_PURPOSES = ['ACCOUNT', 'MARKETING'] as const;
export type PinPurpose = (typeof PIN_PURPOSES)[number];

/** One phone and purpose. `phoneId` is the gateway's phone id (`loanpro:5463`): never the phone number. */
export interface PinTarget {
  readonly phoneId: string;
  readonly purpose: PinPurpose;
}

/** From configuration; the store takes it per call, so it holds no settings of its own. */
export interface PinPolicy {
  /** Wrong PINs allowed per phone and purpose before a lock (SBT_PIN_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  /** How long a lock lasts (SBT_PIN_LOCKOUT_S). */
  readonly lockoutSeconds: number;
  /** Failures older than this no longer count. Default: lockoutSeconds. */
  readonly windowSeconds?: number | undefined;
}

export const DEFAULT_PIN_POLICY: PinPolicy = Object.freeze({ maxAttempts: 5, lockoutSeconds: 900 });
export const MAX_PIN_ATTEMPTS_LIMIT = 1_000;
export const MAX_PIN_LOCKOUT_SECONDS = 7 * 24 * 60 * 60;

/** A reserved attempt: pass it back to recordWrongPin or release. */
export interface PinAttempt extends PinTarget {
  /** The window the attempt was counted in: a verdict or release for an older window changes nothing. */
  readonly window: string;
}

export type PinReservation =
  /** Go ahead and ask the vendor. `remaining`: attempts left if this one turns out wrong. */
  | { readonly allowed: true; readonly attempt: PinAttempt; readonly remaining: number }
  /** Locked: answer RATE_LIMITED without asking the vendor. */
  | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface PinLockState {
  readonly locked: boolean;
  /** Whole seconds until the lock ends (at least 1), when locked. */
  readonly retryAfterSeconds: number | null;
  /** Attempts counted in the current window (reserved ones included). */
  readonly failures: number;
  /** Attempts left before a lock; 0 when locked. */
  readonly remaining: number;
}

export interface PinAttempts {
  /** Before asking the vendor: count one attempt, or refuse because the phone and purpose are locked. */
  reserve(target: PinTarget, policy: PinPolicy): Promise<PinReservation>;
  /** The vendor said the PIN was wrong. Returns the state now (locked when that was the last attempt allowed). */
  recordWrongPin(attempt: PinAttempt, policy: PinPolicy): Promise<PinLockState>;
  /** The vendor accepted the PIN: the count for this phone and purpose starts again. */
  recordSuccess(target: PinTarget): Promise<void>;
  /** The vendor gave no verdict on the PIN: the attempt is given back (false when its window is gone). */
  release(attempt: PinAttempt, policy: PinPolicy): Promise<boolean>;
  /** Read only: locked or not, and what is counted. */
  status(target: PinTarget, policy: PinPolicy): Promise<PinLockState>;
  /** Deletes rows whose lock or window has run out on the store clock (they count for nothing). Returns how many. */
  purgeExpired(policy: PinPolicy): Promise<number>;
}

export interface PinAttemptsOptions {
  /** The clock locks and windows are judged on. Default: the database's (see StoreClock). Tests inject one. */
  clock?: (() => Date) | undefined;
}

/** `<vendor>:<id>`: a gateway phone id. Digits alone (a number) or a `+` are refused, so no number is stored. */
const PHONE_ID = /^[a-z][a-z0-9]{0,31}:[A-Za-z0-9_-]{1,64}$/;

function validateTarget(target: PinTarget): void {
  if (typeof target.phoneId !== 'string' || !PHONE_ID.test(target.phoneId)) {
    throw new TypeError('pin attempts: phoneId must be a gateway phone id ("<vendor>:<id>"), never a phone number');
  }
  if (!(PIN_PURPOSES as readonly unknown[]).includes(target.purpose)) {
    throw new TypeError(`pin attempts: purpose must be one of ${PIN_PURPOSES.join(', ')}`);
  }
}

function validateAttempt(attempt: PinAttempt): void {
  validateTarget(attempt);
  if (typeof attempt.window !== 'string' || attempt.window.length === 0) throw new TypeError('pin attempts: attempt.window is missing');
}

interface Limits {
  readonly max: number;
  readonly lockoutMs: number;
  readonly windowMs: number;
}

function wholeNumber(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`pin attempts: ${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function limitsOf(policy: PinPolicy): Limits {
  const max = wholeNumber('maxAttempts', policy.maxAttempts, 1, MAX_PIN_ATTEMPTS_LIMIT);
  const lockout = wholeNumber('lockoutSeconds', policy.lockoutSeconds, 1, MAX_PIN_LOCKOUT_SECONDS);
  const window = wholeNumber('windowSeconds', policy.windowSeconds ?? lockout, 1, MAX_PIN_LOCKOUT_SECONDS);
  return { max, lockoutMs: lockout * 1000, windowMs: window * 1000 };
}

interface Row {
  failures: number | bigint | string;
  window_id: string;
  window_started_at: unknown;
  locked_until: unknown;
  now_at: unknown;
}

/** A row read together with the store clock's "now" (same statement: one instant). */
interface Reading {
  readonly failures: number;
  readonly window: string;
  readonly windowStartedAt: Date;
  readonly lockedUntil: Date | null;
  readonly now: Date;
}

function reading(row: Row): Reading {
  return {
    failures: Number(row.failures),
    window: row.window_id,
    windowStartedAt: readTimestamp(row.window_started_at),
    lockedUntil: readOptionalTimestamp(row.locked_until),
    now: readTimestamp(row.now_at),
  };
}

function isLocked(r: Reading): boolean {
  return r.lockedUntil !== null && r.lockedUntil.getTime() > r.now.getTime();
}

/** Nothing counted any more: no failure yet, a lock that has ended, or a window that has passed. */
function isSpent(r: Reading, limits: Limits): boolean {
  if (isLocked(r)) return false;
  return r.failures === 0 || r.lockedUntil !== null || r.windowStartedAt.getTime() + limits.windowMs <= r.now.getTime();
}

function retryAfter(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

function stateOf(r: Reading | undefined, limits: Limits): PinLockState {
  if (r === undefined || isSpent(r, limits)) return { locked: false, retryAfterSeconds: null, failures: 0, remaining: limits.max };
  if (isLocked(r)) return { locked: true, retryAfterSeconds: retryAfter(r.lockedUntil!, r.now), failures: r.failures, remaining: 0 };
  return { locked: false, retryAfterSeconds: null, failures: r.failures, remaining: Math.max(0, limits.max - r.failures) };
}

const WHERE_TARGET = 'phone_id = $1 AND purpose = $2';

export function createPinAttempts(db: SqlExecutor, options: PinAttemptsOptions = {}): PinAttempts {
  const clock: StoreClock = storeClock(db.dialect, options.clock);
  const forUpdate = db.dialect === 'postgres' ? ' FOR UPDATE' : '';

  async function read(tx: SqlExecutor, target: PinTarget, lock: boolean): Promise<Reading | undefined> {
    const p = new SqlParams([target.phoneId, target.purpose]);
    const now = clock.now(p);
    const [row] = await tx.query<Row>(
      `SELECT failures, window_id, window_started_at, locked_until, ${now} AS now_at
       FROM pin_attempts WHERE ${WHERE_TARGET}${lock ? forUpdate : ''}`,
      p.values,
    );
    return row && reading(row);
  }

  return {
    async reserve(target, policy) {
      validateTarget(target);
      const limits = limitsOf(policy);
      return db.transaction(async (tx): Promise<PinReservation> => {
        // Make sure the row exists, then lock it: concurrent reservations for one target queue on that row.
        const p = new SqlParams([target.phoneId, target.purpose]);
        const now = clock.now(p);
        await tx.execute(
          `INSERT INTO pin_attempts (phone_id, purpose, failures, window_id, window_started_at, locked_until, updated_at)
           VALUES ($1, $2, 0, ${p.add(randomUUID())}, ${now}, NULL, ${now})
           ON CONFLICT (phone_id, purpose) DO NOTHING`,
          p.values,
        );
        const r = await read(tx, target, true);
        if (r === undefined) throw new Error('pin attempts: the row vanished inside its own transaction');
        if (isLocked(r)) return { allowed: false, retryAfterSeconds: retryAfter(r.lockedUntil!, r.now) };

        const fresh = isSpent(r, limits);
        const failures = fresh ? 1 : r.failures + 1;
        const window = fresh ? randomUUID() : r.window;
        const windowStartedAt = fresh ? r.now : r.windowStartedAt;
        const lockedUntil = new Date(r.now.getTime() + limits.lockoutMs);
        if (!fresh && r.failures >= limits.max) {
          // Counted up to a larger maximum than today's policy allows, without a lock: lock now, ask nobody.
          await tx.execute(`UPDATE pin_attempts SET locked_until = $3, updated_at = $4 WHERE ${WHERE_TARGET}`, [
            target.phoneId,
            target.purpose,
            lockedUntil,
            r.now,
          ]);
          return { allowed: false, retryAfterSeconds: retryAfter(lockedUntil, r.now) };
        }
        // The reservation that reaches the maximum locks at once: a racing reservation must not pass while this
        // attempt is still at the vendor. A success or a release lifts it.
        await tx.execute(
          `UPDATE pin_attempts SET failures = $3, window_id = $4, window_started_at = $5, locked_until = $6, updated_at = $7
           WHERE ${WHERE_TARGET}`,
          [target.phoneId, target.purpose, failures, window, windowStartedAt, failures >= limits.max ? lockedUntil : null, r.now],
        );
        return { allowed: true, attempt: { phoneId: target.phoneId, purpose: target.purpose, window }, remaining: limits.max - failures };
      });
    },

    async recordWrongPin(attempt, policy) {
      validateAttempt(attempt);
      const limits = limitsOf(policy);
      return db.transaction(async (tx) => {
        const p = new SqlParams([attempt.phoneId, attempt.purpose, attempt.window, limits.max]);
        const now = clock.now(p);
        // The lock of the last attempt runs from the verdict, not from the reservation.
        await tx.execute(
          `UPDATE pin_attempts SET locked_until = ${clock.plus(p, now, limits.lockoutMs)}, updated_at = ${now}
           WHERE ${WHERE_TARGET} AND window_id = $3 AND failures >= $4`,
          p.values,
        );
        return stateOf(await read(tx, attempt, false), limits);
      });
    },

    async recordSuccess(target) {
      validateTarget(target);
      await db.execute(`DELETE FROM pin_attempts WHERE ${WHERE_TARGET}`, [target.phoneId, target.purpose]);
    },

    async release(attempt, policy) {
      validateAttempt(attempt);
      const limits = limitsOf(policy);
      const p = new SqlParams([attempt.phoneId, attempt.purpose, attempt.window, limits.max]);
      const now = clock.now(p);
      // Both dialects read the old row on the right of SET, so `failures - 1` is the count after the release.
      const changed = await db.execute(
        `UPDATE pin_attempts
         SET failures = failures - 1,
             locked_until = CASE WHEN failures - 1 >= $4 THEN locked_until ELSE NULL END,
             updated_at = ${now}
         WHERE ${WHERE_TARGET} AND window_id = $3 AND failures > 0`,
        p.values,
      );
      return changed > 0;
    },

    async status(target, policy) {
      validateTarget(target);
      const limits = limitsOf(policy);
      return stateOf(await read(db, target, false), limits);
    },

    async purgeExpired(policy) {
      const limits = limitsOf(policy);
      const p = new SqlParams();
      const now = clock.now(p);
      return db.execute(
        `DELETE FROM pin_attempts
         WHERE (locked_until IS NOT NULL AND locked_until <= ${now})
            OR (locked_until IS NULL AND window_started_at <= ${clock.plus(p, now, -limits.windowMs)})`,
        p.values,
      );
    },
  };
}
