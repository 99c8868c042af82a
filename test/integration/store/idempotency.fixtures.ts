/** Shared by the idempotency tests: scopes, a hand-moved clock, gates. */
import { randomUUID } from 'node:crypto';
import type { BeginResult, IdempotencyScope } from '../../../src/store/idempotency.js';
import type { IsolatedDatabase } from '../../helpers/databases.js';

export const T0 = new Date('2030-01-01T00:00:00.000Z');
export const SECOND = 1_000;
export const HOUR = 60 * 60 * 1000;

/**
 * For expect.poll on work that needs database round trips: the timeout only bounds how long a broken test
 * takes to fail, so it is generous enough for any machine; it never decides a passing verdict.
 */
export const POLL = { timeout: 15_000, interval: 5 } as const;

/** A scope nobody else in the suite uses. */
export function newScope(operation = 'provisionNumber'): IdempotencyScope {
  return { principal: `apikey:${randomUUID().slice(0, 12)}`, operation, key: randomUUID() };
}

/** A clock that moves only when the test moves it (the store's `clock` seam). */
export interface ManualClock {
  readonly now: () => Date;
  /** Sets the time to T0 + `ms`. */
  at(ms: number): void;
  advance(ms: number): void;
}

export function manualClock(start: Date = T0): ManualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    at: (ms) => {
      current = T0.getTime() + ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export function claimOf(result: BeginResult): string {
  if (result.outcome !== 'started') throw new Error(`expected started, got ${result.outcome}`);
  return result.claim;
}

export function unknownClaimOf(result: BeginResult): string {
  if (result.outcome !== 'unknown') throw new Error(`expected unknown, got ${result.outcome}`);
  return result.claim;
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The row of `scope` as stored (timestamps as epoch ms whatever the dialect), or undefined. */
export async function storedRow(
  db: IsolatedDatabase,
  scope: IdempotencyScope,
): Promise<{ state: string; unknownCause: string | null; claim: string | null; lockedUntil: number | null } | undefined> {
  const [row] = await db.query<{ state: string; unknown_cause: string | null; claim_token: string | null; locked_until: unknown }>(
    'SELECT state, unknown_cause, claim_token, locked_until FROM idempotency_keys WHERE principal = $1 AND operation = $2 AND key = $3',
    [scope.principal, scope.operation, scope.key],
  );
  if (!row) return undefined;
  const lockedUntil = row.locked_until === null ? null : new Date(row.locked_until as string | number | Date).getTime();
  return { state: row.state, unknownCause: row.unknown_cause, claim: row.claim_token, lockedUntil };
}
