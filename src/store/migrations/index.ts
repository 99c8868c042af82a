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

/** PostgreSQL: one function refusing every change, fired before UPDATE and DELETE (per row) and TRUNCATE. */
const APPEND_ONLY_POSTGRES = `
      CREATE FUNCTION consent_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        RAISE EXCEPTION 'consent_events is append-only: % refused (a correction is a new event)', TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END
      $fn$;
      CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
        FOR EACH ROW EXECUTE FUNCTION consent_events_refuse_change();
      CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
        FOR EACH ROW EXECUTE FUNCTION consent_events_refuse_change();
      CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events
        FOR EACH STATEMENT EXECUTE FUNCTION consent_events_refuse_change();`;

/**
 * SQLite: the same for UPDATE and DELETE, plus INSERT: `INSERT OR REPLACE` deletes the row it conflicts with
 * without firing DELETE triggers (unless recursive_triggers is on, a per-connection setting), so an insert that
 * would collide with an existing id or vendor event is refused before REPLACE can remove anything. The ledger's
 * own append checks for the vendor event first, inside its write transaction, so it never trips this.
 * (SQLite has no TRUNCATE; DELETE without WHERE fires the DELETE trigger, which disables the truncate
 * optimisation.)
 */
const APPEND_ONLY_SQLITE = `
      CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
      BEGIN SELECT RAISE(ABORT, 'consent_events is append-only: UPDATE refused (a correction is a new event)'); END;
      CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
      BEGIN SELECT RAISE(ABORT, 'consent_events is append-only: DELETE refused (a correction is a new event)'); END;
      CREATE TRIGGER consent_events_no_replace BEFORE INSERT ON consent_events
      WHEN EXISTS (SELECT 1 FROM consent_events WHERE id = NEW.id)
        OR (NEW.vendor_event_id IS NOT NULL AND EXISTS (
              SELECT 1 FROM consent_events
              WHERE source = NEW.source AND vendor_event_id = NEW.vendor_event_id AND number = NEW.number
                AND purpose = NEW.purpose AND COALESCE(list_id, '') = COALESCE(NEW.list_id, '')
                AND status = NEW.status))
      BEGIN SELECT RAISE(ABORT, 'consent_events is append-only: an insert colliding with an existing event refused'); END;`;

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
  {
    id: 3,
    name: 'consent_events',
    // The append-only consent ledger: src/store/consent-ledger.ts. Append-only is the database's rule too, not
    // only the code's: triggers refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) from any client.
    sql: (t) => `
      CREATE TABLE consent_events (
        id                 TEXT PRIMARY KEY,          -- ULID
        number             TEXT NOT NULL CHECK (number LIKE '+%'),   -- E.164 (validated in the code)
        purpose            TEXT NOT NULL CHECK (purpose IN ('ACCOUNT', 'MARKETING', 'COLLECTIONS')),
        status             TEXT NOT NULL CHECK (status IN ('GRANTED', 'PENDING', 'REVOKED', 'NONE')),
        source             TEXT NOT NULL CHECK (source IN ('SBT', 'VIBES', 'RECOVERY_CONNECT', 'LOANPRO_DND', 'LEDGER')),
        evidence           TEXT NOT NULL CHECK (evidence IN
                             ('PIN_CONFIRMED', 'BYPASS_ATTESTED', 'SUBSCRIPTION_CALLBACK', 'VENDOR_FLAG', 'OPERATOR')),
        occurred_at        ${t.timestamp} NOT NULL,   -- at the source (a callback's event_date)
        recorded_at        ${t.timestamp} NOT NULL,   -- the store's clock
        actor              TEXT,
        vendor_event_id    TEXT,                      -- Vibes event_id
        list_id            TEXT,                      -- Vibes subscription list
        detail             ${t.json},
        corrects_event_id  TEXT REFERENCES consent_events (id),
        retain_until       ${t.timestamp} NOT NULL,
        -- TCPA's 4-year limitation period (compliance doc 1.3): 1461 days (at least 4 calendar years), as hours
        -- on PostgreSQL so neither the session's time zone nor DST moves it.
        CHECK (retain_until >= ${t.dialect === 'postgres' ? `recorded_at + INTERVAL '35064 hours'` : 'recorded_at + 126230400000'})
      );
      CREATE INDEX consent_events_number_purpose_occurred ON consent_events (number, purpose, occurred_at);
      -- One vendor event yields one ledger event per number, purpose, list and status, however often it is
      -- processed (an opt-in yields PENDING, then GRANTED once the read-back confirms it).
      CREATE UNIQUE INDEX consent_events_vendor_event
        ON consent_events (source, vendor_event_id, number, purpose, COALESCE(list_id, ''), status)
        WHERE vendor_event_id IS NOT NULL;
      ${t.dialect === 'postgres' ? APPEND_ONLY_POSTGRES : APPEND_ONLY_SQLITE}
    `,
  },
  {
    id: 4,
    name: 'webhook_inbox',
    // Durable callbacks, processed exactly once across replicas: src/store/webhook-inbox.ts.
    sql: (t) => `
      CREATE TABLE webhook_inbox (
        id               TEXT PRIMARY KEY,            -- ULID
        source           TEXT NOT NULL,               -- 'vibes'
        event_id         TEXT NOT NULL,
        callback_type    TEXT NOT NULL,
        payload          ${t.json} NOT NULL,          -- the body as received (holds a phone number: PII)
        received_at      ${t.timestamp} NOT NULL,
        state            TEXT NOT NULL CHECK (state IN ('pending', 'processing', 'done', 'dead')),
        attempts         INTEGER NOT NULL DEFAULT 0,  -- claims so far (a killed worker's claim counts)
        next_attempt_at  ${t.timestamp} NOT NULL,     -- pending: not claimed before this
        claimed_by       TEXT,                        -- the worker id of the latest claim
        claim_token      TEXT,                        -- fences complete/retry/fail to the current claim
        lease_until      ${t.timestamp},              -- processing: claimable again after this
        last_error_code  TEXT,                        -- a code, never a message (no PII)
        outcome          TEXT,                        -- done: what processing did
        processed_at     ${t.timestamp},
        UNIQUE (source, event_id, callback_type),
        CHECK ((state = 'processing') = (lease_until IS NOT NULL))
      );
      CREATE INDEX webhook_inbox_due ON webhook_inbox (state, next_attempt_at);
      CREATE INDEX webhook_inbox_lease ON webhook_inbox (state, lease_until);
    `,
  },
  {
    id: 5,
    name: 'pin_attempts',
    // The brute-force guard on SMS PIN confirmation, shared by every replica: src/store/pin-attempts.ts.
    sql: (t) => `
      CREATE TABLE pin_attempts (
        phone_id           TEXT NOT NULL,            -- the gateway's phone id ("loanpro:5463"), never the number
        purpose            TEXT NOT NULL CHECK (purpose IN ('ACCOUNT', 'MARKETING')),
        failures           INTEGER NOT NULL CHECK (failures >= 0),   -- attempts counted in the window
        window_id          TEXT NOT NULL,            -- fences a late verdict or release to its own window
        window_started_at  ${t.timestamp} NOT NULL,
        locked_until       ${t.timestamp},           -- set once failures reach the maximum
        updated_at         ${t.timestamp} NOT NULL,
        PRIMARY KEY (phone_id, purpose)
      );
      CREATE INDEX pin_attempts_window_started_at ON pin_attempts (window_started_at);
    `,
  },
];
