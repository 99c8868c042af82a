import { randomUUID } from 'node:crypto';
import { IdempotencyError } from './errors.js';
import { fingerprint } from './fingerprint.js';
import type { SqlExecutor } from './sql.js';

/** The stored key is scoped to the caller and the mutation, so a guessed key cannot read another caller's result. */
export interface IdempotencyScope {
  principal: string;
  operation: string;
  key: string;
}

export type BeginResult =
  /** The caller owns the key now and must later complete() or release(); pass `claim` to both. */
  | { outcome: 'started'; claim: string }
  /** Same fingerprint, completed: replay the stored response. */
  | { outcome: 'replay'; response: unknown }
  /** The same key is executing elsewhere right now. */
  | { outcome: 'in_progress' }
  /** Same key, different fingerprint. */
  | { outcome: 'mismatch' };

export interface BeginOptions {
  now?: Date;
  /** How long the key is kept (from now). At least 24 h; default 72 h. */
  ttlMs?: number;
  /** How long the claim is exclusive; after that a begin() with the same fingerprint may take it over. */
  lockMs?: number;
}

export interface IdempotencyStore {
  begin(scope: IdempotencyScope, fingerprint: string, opts?: BeginOptions): Promise<BeginResult>;
  /**
   * Stores the JSON form of `response` and marks the key completed. Only an in_progress claim is updated
   * (and, with `claim`, only that claim): once the claim was released, taken over or purged this is a no-op.
   */
  complete(scope: IdempotencyScope, response: unknown, opts?: { now?: Date; claim?: string }): Promise<void>;
  /** A retryable failure: deletes the in_progress claim (only that claim, with `claim`) so a retry can run. */
  release(scope: IdempotencyScope, opts?: { claim?: string }): Promise<void>;
  /** Deletes rows whose expiry has passed; returns how many. */
  purgeExpired(now?: Date): Promise<number>;
}

export const MIN_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_IDEMPOTENCY_TTL_MS = 72 * 60 * 60 * 1000;
/** Longer than the slowest upstream call we make (timeouts are at most 120 s), short enough to recover from a crash. */
export const DEFAULT_IDEMPOTENCY_LOCK_MS = 2 * 60 * 1000;
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

function validateScope(scope: IdempotencyScope): void {
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
  return ms;
}

// The one atomic step: insert a claim, or take over a row that is expired (any state, any fingerprint) or a
// stale in_progress claim with the same fingerprint. Concurrent callers: PostgreSQL's ON CONFLICT waits for the
// other inserter and re-checks the WHERE against the committed row; SQLite runs the statement under the write
// lock. Either way exactly one caller gets a row back.
const CLAIM = `
  INSERT INTO idempotency_keys AS k
    (principal, operation, key, fingerprint, state, response, claim_token, created_at, updated_at, expires_at, locked_until)
  VALUES ($1, $2, $3, $4, 'in_progress', NULL, $5, $6, $6, $7, $8)
  ON CONFLICT (principal, operation, key) DO UPDATE SET
    fingerprint = excluded.fingerprint,
    state = 'in_progress',
    response = NULL,
    claim_token = excluded.claim_token,
    created_at = excluded.created_at,
    updated_at = excluded.updated_at,
    expires_at = excluded.expires_at,
    locked_until = excluded.locked_until
  WHERE k.expires_at <= excluded.created_at
     OR (k.state = 'in_progress' AND k.locked_until <= excluded.created_at AND k.fingerprint = excluded.fingerprint)
  RETURNING claim_token`;

const READ = `
  SELECT fingerprint, state, CAST(response AS TEXT) AS response
  FROM idempotency_keys
  WHERE principal = $1 AND operation = $2 AND key = $3 AND expires_at > $4`;

interface KeyRow {
  fingerprint: string;
  state: 'in_progress' | 'completed';
  response: string | null;
}

/** The idempotency store over either dialect (the SQL is portable). */
export function createIdempotencyStore(db: SqlExecutor): IdempotencyStore {
  return {
    async begin(scope, fp, opts = {}) {
      validateScope(scope);
      if (typeof fp !== 'string' || fp.length === 0) throw new TypeError('idempotency: fingerprint must be a non-empty string');
      const now = opts.now ?? new Date();
      const ttlMs = duration('ttlMs', opts.ttlMs, DEFAULT_IDEMPOTENCY_TTL_MS, MIN_IDEMPOTENCY_TTL_MS);
      const lockMs = duration('lockMs', opts.lockMs, DEFAULT_IDEMPOTENCY_LOCK_MS, 1);
      const expiresAt = new Date(now.getTime() + ttlMs);
      const lockedUntil = new Date(now.getTime() + Math.min(lockMs, ttlMs));
      const where = [scope.principal, scope.operation, scope.key] as const;

      // The row may vanish between the two statements (released or purged): then claim again.
      for (let attempt = 0; attempt < 5; attempt++) {
        const claim = randomUUID();
        const claimed = await db.query(CLAIM, [...where, fp, claim, now, expiresAt, lockedUntil]);
        if (claimed.length > 0) return { outcome: 'started', claim };
        const [row] = await db.query<KeyRow>(READ, [...where, now]);
        if (!row) continue;
        if (row.fingerprint !== fp) return { outcome: 'mismatch' };
        if (row.state === 'completed') {
          return { outcome: 'replay', response: row.response === null ? undefined : JSON.parse(row.response) };
        }
        return { outcome: 'in_progress' };
      }
      throw new Error('idempotency: the key kept changing state; giving up');
    },

    async complete(scope, response, opts = {}) {
      validateScope(scope);
      const json = JSON.stringify(response) ?? null; // undefined (or a function) is stored as SQL NULL
      const params = [scope.principal, scope.operation, scope.key, json, opts.now ?? new Date()];
      await db.execute(
        `UPDATE idempotency_keys
         SET state = 'completed', response = $4, updated_at = $5, locked_until = NULL
         WHERE principal = $1 AND operation = $2 AND key = $3 AND state = 'in_progress'` +
          (opts.claim === undefined ? '' : ' AND claim_token = $6'),
        opts.claim === undefined ? params : [...params, opts.claim],
      );
    },

    async release(scope, opts = {}) {
      validateScope(scope);
      const params = [scope.principal, scope.operation, scope.key];
      await db.execute(
        `DELETE FROM idempotency_keys
         WHERE principal = $1 AND operation = $2 AND key = $3 AND state = 'in_progress'` +
          (opts.claim === undefined ? '' : ' AND claim_token = $4'),
        opts.claim === undefined ? params : [...params, opts.claim],
      );
    },

    async purgeExpired(now = new Date()) {
      return db.execute('DELETE FROM idempotency_keys WHERE expires_at <= $1', [now]);
    },
  };
}

/**
 * Runs `fn` at most once per (scope, arguments):
 * - first call: runs `fn`, stores its JSON form, returns that JSON form (a fresh parse, so the first answer
 *   and every replay are the same plain data);
 * - same key and arguments after completion: returns the stored response without calling `fn`;
 * - same key, other arguments: IdempotencyError IDEMPOTENCY_KEY_REUSED;
 * - same key while the first call runs: IdempotencyError IDEMPOTENCY_REQUEST_IN_PROGRESS;
 * - `fn` throws: the claim is released (a retry runs `fn` again) and the error is rethrown.
 * `fn`'s result must be JSON-serialisable (no BigInt, no cycles); Dates become strings, class instances plain objects.
 */
export async function runIdempotent<T>(
  store: IdempotencyStore,
  scope: IdempotencyScope,
  args: unknown,
  fn: () => Promise<T>,
  opts: BeginOptions = {},
): Promise<T> {
  validateScope(scope);
  const begun = await store.begin(scope, fingerprint(args), opts);
  switch (begun.outcome) {
    case 'replay':
      return begun.response as T;
    case 'mismatch':
      throw new IdempotencyError(
        'IDEMPOTENCY_KEY_REUSED',
        'This idempotency key was already used with different arguments.',
      );
    case 'in_progress':
      throw new IdempotencyError(
        'IDEMPOTENCY_REQUEST_IN_PROGRESS',
        'A request with this idempotency key is still in progress; retry later.',
      );
    case 'started':
      break;
  }

  let result: T;
  try {
    result = await fn();
  } catch (error) {
    // Best effort: if the release fails too, the claim goes stale after lockMs and a retry takes it over.
    await store.release(scope, { claim: begun.claim }).catch(() => undefined);
    throw error;
  }
  // fn's side effects happened: from here on the claim is not released, even if storing fails, so an immediate
  // retry sees IN_PROGRESS rather than running fn twice.
  const json = JSON.stringify(result);
  await store.complete(scope, result, { claim: begun.claim, ...(opts.now ? { now: opts.now } : {}) });
  return (json === undefined ? undefined : JSON.parse(json)) as T;
}
