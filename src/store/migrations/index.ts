import type { Dialect } from '../sql.js';

/**
 * The schema, as an ordered list. To change the schema, append a migration here (this file only):
 * - `id` is the next integer; never renumber, edit or delete a migration that has shipped;
 * - `name` is snake_case and is recorded in `schema_migrations` (a mismatch on boot is an error);
 * - `sql` returns the script for one dialect; write portable SQL and use `t.*` where the dialects differ.
 * Each migration runs once, in its own transaction (PostgreSQL: under an advisory lock).
 */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: (t: DialectTypes) => string;
}

/** Column types and snippets that differ between the dialects. */
export interface DialectTypes {
  readonly dialect: Dialect;
  /** Bind and compare as `Date`. PostgreSQL: TIMESTAMPTZ; SQLite: INTEGER epoch milliseconds. */
  readonly timestamp: string;
  /**
   * JSON text kept byte for byte. PostgreSQL: JSON (validated, key order and spacing preserved; JSONB would
   * reorder keys); SQLite: TEXT. Select it as `CAST(col AS TEXT)` to get the text in both.
   */
  readonly json: string;
}

export function dialectTypes(dialect: Dialect): DialectTypes {
  return dialect === 'postgres'
    ? { dialect, timestamp: 'TIMESTAMPTZ', json: 'JSON' }
    : { dialect, timestamp: 'INTEGER', json: 'TEXT' };
}

export const MIGRATIONS: readonly Migration[] = [
  {
    id: 1,
    name: 'idempotency_keys',
    sql: (t) => `
      -- One row per (principal, operation, key): see src/store/idempotency.ts.
      CREATE TABLE idempotency_keys (
        principal     TEXT NOT NULL,
        operation     TEXT NOT NULL,
        key           TEXT NOT NULL,
        fingerprint   TEXT NOT NULL,              -- sha-256 hex of the canonical arguments
        state         TEXT NOT NULL CHECK (state IN ('in_progress', 'completed')),
        response      ${t.json},                  -- set on completion; NULL when the result was undefined
        claim_token   TEXT,                       -- fences complete()/release() to the current claimant
        created_at    ${t.timestamp} NOT NULL,
        updated_at    ${t.timestamp} NOT NULL,
        expires_at    ${t.timestamp} NOT NULL,    -- from then on the row counts as absent; purgeExpired() deletes it
        locked_until  ${t.timestamp},             -- in_progress only: a claim older than this can be taken over
        PRIMARY KEY (principal, operation, key)
      );
      CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
    `,
  },
  {
    id: 2,
    name: 'idempotency_outcome_unknown',
    // A key whose side effect may or may not have happened (src/store/idempotency.ts): a third state, and why.
    // No CHECK lists the causes, so adding one later needs no table rebuild; the code validates them.
    sql: (t) =>
      t.dialect === 'postgres'
        ? `
      ALTER TABLE idempotency_keys ADD COLUMN unknown_cause TEXT;
      ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_state_check;
      ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_state_check
        CHECK (state IN ('in_progress', 'completed', 'unknown'));
      ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_unknown_cause_check
        CHECK ((state = 'unknown') = (unknown_cause IS NOT NULL));
    `
        : // SQLite cannot alter a CHECK constraint: rebuild the table (https://sqlite.org/lang_altertable.html).
          `
      CREATE TABLE idempotency_keys_v2 (
        principal     TEXT NOT NULL,
        operation     TEXT NOT NULL,
        key           TEXT NOT NULL,
        fingerprint   TEXT NOT NULL,
        state         TEXT NOT NULL CHECK (state IN ('in_progress', 'completed', 'unknown')),
        response      ${t.json},
        claim_token   TEXT,
        created_at    ${t.timestamp} NOT NULL,
        updated_at    ${t.timestamp} NOT NULL,
        expires_at    ${t.timestamp} NOT NULL,
        locked_until  ${t.timestamp},
        unknown_cause TEXT,                       -- unknown only: why the outcome is unknown
        PRIMARY KEY (principal, operation, key),
        CHECK ((state = 'unknown') = (unknown_cause IS NOT NULL))
      );
      INSERT INTO idempotency_keys_v2
        (principal, operation, key, fingerprint, state, response, claim_token, created_at, updated_at, expires_at, locked_until)
      SELECT principal, operation, key, fingerprint, state, response, claim_token, created_at, updated_at, expires_at, locked_until
      FROM idempotency_keys;
      DROP TABLE idempotency_keys;
      ALTER TABLE idempotency_keys_v2 RENAME TO idempotency_keys;
      CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
    `,
  },
];
