import { randomUUID } from 'node:crypto';
import { SqlParams, storeClock, type StoreClock } from './clock.js';
import { ClaimLostError, IdempotencyError } from './errors.js';
import type { SqlExecutor } from './sql.js';

/**
 * Idempotency keys. The state machine, as a table, and the decisions behind it: docs/decisions.md (idempotency).
 *
 * One row per (principal, operation, key). Its states:
 * - `in_progress`: a caller holds the claim (`claim_token`) under a lease (`locked_until`, judged on the
 *   store's clock: the database's), renewed while the call runs;
 * - `completed`: the response is stored and replayed to every retry;
 * - `unknown`: the call may or may not have had its side effect (see UnknownCause). A retry never runs it
 *   again blindly: it reconciles with the vendor, or answers OUTCOME_UNKNOWN for the key's lifetime.
 * A call that failed before any side effect deletes its row (release), so a retry starts afresh.
 * Past `expires_at` a row counts as absent in every state: the same key then starts a new request.
 */

/** The stored key is scoped to the caller and the mutation, so a guessed key cannot read another caller's result. */
export interface IdempotencyScope {
  principal: string;
  operation: string;
  key: string;
}

/** Why a key's outcome is unknown. */
export const UNKNOWN_CAUSES = [
  /** The call failed in a way that may have reached the vendor (a timeout or reset after the request was sent). */
  'fn_error',
  /** The claim's lease ran out while in progress: the claimant crashed or lost the database mid-call. */
  'lease_expired',
  /** The call succeeded but storing its result failed. */
  'not_recorded',
] as const;

export type UnknownCause = (typeof UNKNOWN_CAUSES)[number];

export type BeginResult =
  /** The caller owns the key now and must later complete(), release() or markUnknown() with `claim`. */
  | { outcome: 'started'; claim: string }
  /** Same fingerprint, completed: replay the stored response. */
  | { outcome: 'replay'; response: unknown }
  /** The same key is executing elsewhere right now (its lease is alive). */
  | { outcome: 'in_progress' }
  /** Same key, different fingerprint. */
  | { outcome: 'mismatch' }
  /**
   * Same fingerprint; an earlier attempt may have had its side effect. `claim` names that attempt: once the
   * vendor says what happened, pass it to complete() (it happened: store its result) or takeOver() (it did
   * not: run again). Whoever passes it first wins; the others get ClaimLostError / undefined.
   */
  | { outcome: 'unknown'; cause: UnknownCause; claim: string };

export interface BeginOptions {
  /** How long the key is kept (from its first use). At least 24 h; default 72 h. */
  ttlMs?: number;
  /**
   * How long a claim is exclusive without a renewal. After that the claimant is presumed dead and the key's
   * outcome unknown. Keep it longer than the slowest call (see DEFAULT_IDEMPOTENCY_LOCK_MS). At least 1 s.
   */
  lockMs?: number;
}

export interface IdempotencyStore {
  /**
   * Claims the key for a new call, or reports its state. A row past its expiry is replaced (the key starts a
   * new request); an in_progress row with the same fingerprint whose lease has run out is marked unknown
   * (cause `lease_expired`) and reported so: the call it guarded may have had its side effect.
   */
  begin(scope: IdempotencyScope, fingerprint: string, opts?: BeginOptions): Promise<BeginResult>;
  /** Extends this claim's lease to now + lockMs. False when the claim is no longer in progress (lost). */
  renew(scope: IdempotencyScope, claim: string, opts?: Pick<BeginOptions, 'lockMs'>): Promise<boolean>;
  /**
   * Stores the JSON form of `response` and marks the key completed. Only the row still held by `claim`
   * (in_progress, or unknown with that claim: a late result resolves its own unknown outcome) is updated;
   * otherwise throws ClaimLostError, because a result nobody will replay must not pass for recorded.
   */
  complete(scope: IdempotencyScope, response: unknown, opts: { claim: string }): Promise<void>;
  /** The call failed before any side effect: deletes the in_progress row of `claim` so a retry can run. */
  release(scope: IdempotencyScope, opts: { claim: string }): Promise<boolean>;
  /** The call may have had its side effect: the in_progress row of `claim` becomes unknown. False if lost. */
  markUnknown(scope: IdempotencyScope, opts: { claim: string; cause: UnknownCause }): Promise<boolean>;
  /**
   * The vendor says the unknown attempt `claim` did not happen: claims the key again (in_progress under a new
   * claim, returned). Undefined when another caller resolved or took it over first.
   */
  takeOver(scope: IdempotencyScope, opts: { claim: string; lockMs?: number }): Promise<string | undefined>;
  /** Deletes rows whose expiry has passed on the store's clock; returns how many. */
  purgeExpired(): Promise<number>;
}

export interface IdempotencyStoreOptions {
  /** The clock leases and expiries are judged on. Default: the database's (see StoreClock). Tests inject one. */
  clock?: (() => Date) | undefined;
}

export const MIN_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_IDEMPOTENCY_TTL_MS = 72 * 60 * 60 * 1000;
/**
 * Longer than the slowest upstream call we make (deadlines are at most 120 s). A lease runs out only when
 * renewals stop for this long; by then a claimant that is merely cut off from the database has given up on
 * its vendor call too, so whoever reconciles reads a settled outcome.
 */
export const DEFAULT_IDEMPOTENCY_LOCK_MS = 2 * 60 * 1000;
export const MIN_IDEMPOTENCY_LOCK_MS = 1_000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** Throws IdempotencyError BAD_USER_INPUT unless `key` is 1-255 printable ASCII characters. */
export function validateIdempotencyKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new IdempotencyError(
      'BAD_USER_INPUT',
      `The idempotency key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters.`,
    );
  }
}

export function validateScope(scope: IdempotencyScope): void {
  validateIdempotencyKey(scope.key);
  for (const part of ['principal', 'operation'] as const) {
    const value: unknown = scope[part];
    if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
      throw new TypeError(`idempotency scope: ${part} must be a non-empty string of at most 255 characters`);
    }
  }
}

function duration(name: string, value: number | undefined, fallback: number, min: number): number {
  const ms = value ?? fallback;
  if (!Number.isFinite(ms) || ms < min) throw new RangeError(`idempotency: ${name} must be at least ${min} ms`);
  return Math.trunc(ms);
}

export function lockDuration(opts: Pick<BeginOptions, 'lockMs'>): number {
  return duration('lockMs', opts.lockMs, DEFAULT_IDEMPOTENCY_LOCK_MS, MIN_IDEMPOTENCY_LOCK_MS);
}

function validateClaim(claim: unknown): void {
  if (typeof claim !== 'string' || claim.length === 0) throw new TypeError('idempotency: claim must be a non-empty string');
}

function isUnknownCause(value: unknown): value is UnknownCause {
  return (UNKNOWN_CAUSES as readonly unknown[]).includes(value);
}

interface KeyRow {
  fingerprint: string;
  state: 'in_progress' | 'completed' | 'unknown';
  claim_token: string | null;
  unknown_cause: string | null;
  response: string | null;
  lease_expired: number;
}

const WHERE_KEY = 'principal = $1 AND operation = $2 AND key = $3';

/** The idempotency store over either dialect (the SQL is portable; only "now" and intervals differ). */
export function createIdempotencyStore(db: SqlExecutor, options: IdempotencyStoreOptions = {}): IdempotencyStore {
  const clock: StoreClock = storeClock(db.dialect, options.clock);
  const keyParams = (scope: IdempotencyScope): SqlParams => new SqlParams([scope.principal, scope.operation, scope.key]);

  // The one atomic step that starts a call: insert a claim, or replace a row that has expired (any state, any
  // fingerprint). Concurrent callers: PostgreSQL's ON CONFLICT waits for the other inserter and re-checks the
  // WHERE against the committed row; SQLite runs the statement under the write lock. Either way exactly one
  // caller gets a row back.
  async function claimKey(scope: IdempotencyScope, fp: string, claim: string, ttlMs: number, lockMs: number): Promise<boolean> {
    const p = keyParams(scope);
    const now = clock.now(p);
    const rows = await db.query(
      `INSERT INTO idempotency_keys AS k
         (principal, operation, key, fingerprint, state, response, claim_token, unknown_cause,
          created_at, updated_at, expires_at, locked_until)
       VALUES ($1, $2, $3, ${p.add(fp)}, 'in_progress', NULL, ${p.add(claim)}, NULL,
               ${now}, ${now}, ${clock.plus(p, now, ttlMs)}, ${clock.plus(p, now, lockMs)})
       ON CONFLICT (principal, operation, key) DO UPDATE SET
         fingerprint = excluded.fingerprint,
         state = 'in_progress',
         response = NULL,
         claim_token = excluded.claim_token,
         unknown_cause = NULL,
         created_at = excluded.created_at,
         updated_at = excluded.updated_at,
         expires_at = excluded.expires_at,
         locked_until = excluded.locked_until
       WHERE k.expires_at <= excluded.created_at
       RETURNING claim_token`,
      p.values,
    );
    return rows.length > 0;
  }

  async function readKey(scope: IdempotencyScope): Promise<KeyRow | undefined> {
    const p = keyParams(scope);
    const now = clock.now(p);
    const [row] = await db.query<KeyRow>(
      `SELECT fingerprint, state, claim_token, unknown_cause, CAST(response AS TEXT) AS response,
              CASE WHEN state = 'in_progress' AND locked_until <= ${now} THEN 1 ELSE 0 END AS lease_expired
       FROM idempotency_keys
       WHERE ${WHERE_KEY} AND expires_at > ${now}`,
      p.values,
    );
    return row;
  }

  /** in_progress -> unknown for `claim`; with `onlyIfLeaseExpired`, only once its lease has run out. */
  async function toUnknown(
    scope: IdempotencyScope,
    claim: string,
    cause: UnknownCause,
    onlyIfLeaseExpired: boolean,
  ): Promise<boolean> {
    const p = keyParams(scope);
    const now = clock.now(p);
    const changed = await db.execute(
      `UPDATE idempotency_keys
       SET state = 'unknown', unknown_cause = ${p.add(cause)}, locked_until = NULL, updated_at = ${now}
       WHERE ${WHERE_KEY} AND claim_token = ${p.add(claim)} AND state = 'in_progress' AND expires_at > ${now}` +
        (onlyIfLeaseExpired ? ` AND locked_until <= ${now}` : ''),
      p.values,
    );
    return changed > 0;
  }

  return {
    async begin(scope, fp, opts = {}) {
      validateScope(scope);
      if (typeof fp !== 'string' || fp.length === 0) throw new TypeError('idempotency: fingerprint must be a non-empty string');
      const ttlMs = duration('ttlMs', opts.ttlMs, DEFAULT_IDEMPOTENCY_TTL_MS, MIN_IDEMPOTENCY_TTL_MS);
      const lockMs = Math.min(lockDuration(opts), ttlMs);

      // Between two statements the row may change (released, purged, marked unknown): then look again.
      for (let attempt = 0; attempt < 5; attempt++) {
        const claim = randomUUID();
        if (await claimKey(scope, fp, claim, ttlMs, lockMs)) return { outcome: 'started', claim };
        const row = await readKey(scope);
        if (!row) continue;
        if (row.fingerprint !== fp) return { outcome: 'mismatch' };
        if (row.state === 'completed') {
          return { outcome: 'replay', response: row.response === null ? undefined : JSON.parse(row.response) };
        }
        if (row.claim_token === null) continue; // not written by this code (every claim has a token)
        if (row.state === 'unknown') {
          // A cause this code does not know (written by a newer replica) reads as the most general one.
          const cause = isUnknownCause(row.unknown_cause) ? row.unknown_cause : 'fn_error';
          return { outcome: 'unknown', cause, claim: row.claim_token };
        }
        if (Number(row.lease_expired) === 0) return { outcome: 'in_progress' };
        // The claimant stopped renewing: it crashed, or lost the database, possibly after its side effect.
        // Record that first, so the answer holds whatever happens to this caller next.
        if (await toUnknown(scope, row.claim_token, 'lease_expired', true)) {
          return { outcome: 'unknown', cause: 'lease_expired', claim: row.claim_token };
        }
      }
      throw new Error('idempotency: the key kept changing state; giving up');
    },

    async renew(scope, claim, opts = {}) {
      validateScope(scope);
      validateClaim(claim);
      const p = keyParams(scope);
      const now = clock.now(p);
      const changed = await db.execute(
        `UPDATE idempotency_keys SET locked_until = ${clock.plus(p, now, lockDuration(opts))}, updated_at = ${now}
         WHERE ${WHERE_KEY} AND claim_token = ${p.add(claim)} AND state = 'in_progress' AND expires_at > ${now}`,
        p.values,
      );
      return changed > 0;
    },

    async complete(scope, response, opts) {
      validateScope(scope);
      validateClaim(opts.claim);
      const json = JSON.stringify(response) ?? null; // undefined (or a function) is stored as SQL NULL
      const p = keyParams(scope);
      const now = clock.now(p);
      const changed = await db.execute(
        `UPDATE idempotency_keys
         SET state = 'completed', response = ${p.add(json)}, unknown_cause = NULL, locked_until = NULL, updated_at = ${now}
         WHERE ${WHERE_KEY} AND claim_token = ${p.add(opts.claim)} AND state IN ('in_progress', 'unknown')
           AND expires_at > ${now}`,
        p.values,
      );
      if (changed === 0) throw new ClaimLostError();
    },

    async release(scope, opts) {
      validateScope(scope);
      validateClaim(opts.claim);
      const p = keyParams(scope);
      const changed = await db.execute(
        `DELETE FROM idempotency_keys WHERE ${WHERE_KEY} AND claim_token = ${p.add(opts.claim)} AND state = 'in_progress'`,
        p.values,
      );
      return changed > 0;
    },

    async markUnknown(scope, opts) {
      validateScope(scope);
      validateClaim(opts.claim);
      if (!isUnknownCause(opts.cause)) throw new TypeError('idempotency: unknown cause is not one of UNKNOWN_CAUSES');
      return toUnknown(scope, opts.claim, opts.cause, false);
    },

    async takeOver(scope, opts) {
      validateScope(scope);
      validateClaim(opts.claim);
      const claim = randomUUID();
      const p = keyParams(scope);
      const now = clock.now(p);
      const changed = await db.execute(
        `UPDATE idempotency_keys
         SET state = 'in_progress', claim_token = ${p.add(claim)}, unknown_cause = NULL, updated_at = ${now},
             locked_until = ${clock.plus(p, now, lockDuration(opts))}
         WHERE ${WHERE_KEY} AND claim_token = ${p.add(opts.claim)} AND state = 'unknown' AND expires_at > ${now}`,
        p.values,
      );
      return changed > 0 ? claim : undefined;
    },

    async purgeExpired() {
      const p = new SqlParams();
      return db.execute(`DELETE FROM idempotency_keys WHERE expires_at <= ${clock.now(p)}`, p.values);
    },
  };
}
