import { randomUUID } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { SqlParams, storeClock, type StoreClock } from './clock.js';
import { readOptionalTimestamp, readTimestamp, type SqlExecutor } from './sql.js';

/**
 * The durable webhook inbox (migration 4, `webhook_inbox`): a callback is answered 200 only once `receive` has
 * committed it, and each row is then processed exactly once across replicas.
 *
 * States: `pending` (due at `next_attempt_at`) -> `processing` (claimed by one worker under a lease) -> `done`,
 * or back to `pending` with a later `next_attempt_at` (retryLater: a transient failure), or `dead` (fail: it can
 * never succeed as it is; kept, visible and replayable with requeue). A `processing` row whose lease has run out
 * (its worker was killed or cut off) is claimable again, so nothing a crash interrupts is lost.
 *
 * Every change after a claim is fenced by the claim token: a worker whose lease ran out and whose row another
 * worker claimed gets `false` from complete/retryLater/fail and changes nothing. Processing must therefore be safe
 * to repeat (the ledger's vendor-event uniqueness makes it so), because a slow worker and its successor may both
 * run it; only one of them records the outcome.
 *
 * Leases and due times are judged on the store clock (the database's by default, src/store/clock.ts), so
 * replicas whose host clocks drift still agree on whether a lease is alive.
 */

export const INBOX_STATES = ['pending', 'processing', 'done', 'dead'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

export const DEFAULT_INBOX_LEASE_MS = 2 * 60 * 1000;
export const MIN_INBOX_LEASE_MS = 1_000;
export const MAX_INBOX_PAYLOAD_LENGTH = 1024 * 1024;
export const MAX_INBOX_CLAIM = 100;

export interface ReceiveInput {
  /** Who sent it, e.g. 'vibes'. */
  readonly source: string;
  /** The sender's event id (Vibes event_id). */
  readonly eventId: string;
  /** The sender's event type (Vibes callback_type): one event id can carry several types. */
  readonly callbackType: string;
  /** The body as received: JSON text. */
  readonly payload: string;
}

export interface InboxReceipt {
  /** `stored`: committed now; `duplicate`: the same (source, eventId, callbackType) was stored before. */
  readonly outcome: 'stored' | 'duplicate';
  /** The row's id (the existing row's, for a duplicate). */
  readonly id: string;
}

export interface InboxRow {
  readonly id: string;
  readonly source: string;
  readonly eventId: string;
  readonly callbackType: string;
  readonly payload: string;
  readonly receivedAt: Date;
  readonly state: InboxState;
  /** Claims so far, this one included. */
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly claimedBy: string | null;
  readonly leaseUntil: Date | null;
  readonly lastErrorCode: string | null;
  readonly outcome: string | null;
  readonly processedAt: Date | null;
}

/** A row this worker holds: pass `claim` to complete / retryLater / fail / release / renew. */
export interface ClaimedInboxRow extends InboxRow {
  readonly state: 'processing';
  readonly claim: string;
}

export interface ClaimOptions {
  /** Most rows to take. Default 10, at most 100. */
  readonly limit?: number | undefined;
  /** How long the claim is exclusive. Default 2 min; keep it longer than processing one batch takes. */
  readonly leaseMs?: number | undefined;
}

export interface WebhookInbox {
  /** Stores the event, or finds it stored: one transaction, committed before this resolves. Throws when the store is down. */
  receive(input: ReceiveInput): Promise<InboxReceipt>;
  /**
   * Claims due rows (pending and due, or processing with an expired lease) for `workerId`, oldest first.
   * PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent claimers never take the same row; SQLite: one UPDATE under
   * the file's write lock.
   */
  claim(workerId: string, opts?: ClaimOptions): Promise<ClaimedInboxRow[]>;
  /** Extends the lease. False when the claim is no longer held. */
  renew(id: string, claim: string, leaseMs?: number): Promise<boolean>;
  /** Processing finished: `done` with an outcome code. False when the claim is no longer held. */
  complete(id: string, claim: string, outcome: string): Promise<boolean>;
  /** A transient failure: pending again, due after `delayMs`, with an error code (never a message: no PII). */
  retryLater(id: string, claim: string, opts: { delayMs: number; errorCode: string }): Promise<boolean>;
  /** A permanent failure: `dead`, kept with its error code until requeued. */
  fail(id: string, claim: string, errorCode: string): Promise<boolean>;
  /** Hands back a claimed row that was not started (shutdown): pending and due now, the claim not counted. */
  release(id: string, claim: string): Promise<boolean>;
  /** Replays a dead row: pending and due now, attempts from zero. False unless the row is dead. */
  requeue(id: string): Promise<boolean>;
  get(id: string): Promise<InboxRow | undefined>;
  /** Rows in one state, oldest first (an operator's view of dead rows before requeueing them). Default 100, at most 1000. */
  list(opts: { state: InboxState; limit?: number | undefined }): Promise<InboxRow[]>;
  /** Rows per state (for metrics and readiness). */
  counts(): Promise<Record<InboxState, number>>;
  /** Deletes done rows processed at least `olderThanMs` ago (their payloads hold phone numbers). Returns how many. */
  purgeDone(olderThanMs: number): Promise<number>;
}

export interface WebhookInboxOptions {
  /** The clock leases and due times are judged on. Default: the database's (see StoreClock). Tests inject one. */
  clock?: (() => Date) | undefined;
}

/** The selected columns, qualified with `table.` when given (PostgreSQL's UPDATE ... FROM needs it for `id`). */
function columns(table = ''): string {
  const q = table === '' ? '' : `${table}.`;
  return [
    `${q}id`, `${q}source`, `${q}event_id`, `${q}callback_type`, `CAST(${q}payload AS TEXT) AS payload`, `${q}received_at`,
    `${q}state`, `${q}attempts`, `${q}next_attempt_at`, `${q}claimed_by`, `${q}claim_token`, `${q}lease_until`,
    `${q}last_error_code`, `${q}outcome`, `${q}processed_at`,
  ].join(', ');
}
const COLUMNS = columns();

interface Row {
  id: string;
  source: string;
  event_id: string;
  callback_type: string;
  payload: string;
  received_at: unknown;
  state: string;
  attempts: number | bigint | string;
  next_attempt_at: unknown;
  claimed_by: string | null;
  claim_token: string | null;
  lease_until: unknown;
  last_error_code: string | null;
  outcome: string | null;
  processed_at: unknown;
}

function isInboxState(value: string): value is InboxState {
  return (INBOX_STATES as readonly string[]).includes(value);
}

function fromRow(row: Row): InboxRow {
  if (!isInboxState(row.state)) throw new TypeError('webhook inbox: a row has a state this code does not know');
  return {
    id: row.id,
    source: row.source,
    eventId: row.event_id,
    callbackType: row.callback_type,
    payload: row.payload,
    receivedAt: readTimestamp(row.received_at),
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: readTimestamp(row.next_attempt_at),
    claimedBy: row.claimed_by,
    leaseUntil: readOptionalTimestamp(row.lease_until),
    lastErrorCode: row.last_error_code,
    outcome: row.outcome,
    processedAt: readOptionalTimestamp(row.processed_at),
  };
}

/** Codes go to logs and metrics: lower-case words only, so no value (a phone number, a message) can travel in one. */
const CODE = /^[a-z][a-z0-9_]{0,63}$/;
const SOURCE = /^[a-z][a-z0-9_-]{0,31}$/;
const CALLBACK_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

function code(name: string, value: unknown): string {
  if (typeof value !== 'string' || !CODE.test(value)) {
    throw new TypeError(`webhook inbox: ${name} must match ${CODE.source} (a code, never a message)`);
  }
  return value;
}

function nonEmpty(name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new TypeError(`webhook inbox: ${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function leaseDuration(value: number | undefined): number {
  const ms = value ?? DEFAULT_INBOX_LEASE_MS;
  if (!Number.isFinite(ms) || ms < MIN_INBOX_LEASE_MS) {
    throw new RangeError(`webhook inbox: leaseMs must be at least ${MIN_INBOX_LEASE_MS} ms`);
  }
  return Math.trunc(ms);
}

function validateReceive(input: ReceiveInput): ReceiveInput {
  if (typeof input.source !== 'string' || !SOURCE.test(input.source)) {
    throw new TypeError(`webhook inbox: source must match ${SOURCE.source}`);
  }
  if (typeof input.callbackType !== 'string' || !CALLBACK_TYPE.test(input.callbackType)) {
    throw new TypeError(`webhook inbox: callbackType must match ${CALLBACK_TYPE.source}`);
  }
  nonEmpty('eventId', input.eventId, 255);
  nonEmpty('payload', input.payload, MAX_INBOX_PAYLOAD_LENGTH);
  try {
    JSON.parse(input.payload); // PostgreSQL's JSON column checks this; SQLite's TEXT would not
  } catch {
    throw new TypeError('webhook inbox: payload must be JSON text');
  }
  return input;
}

/** The inbox over either dialect. */
export function createWebhookInbox(db: SqlExecutor, options: WebhookInboxOptions = {}): WebhookInbox {
  const clock: StoreClock = storeClock(db.dialect, options.clock);
  const newId = monotonicFactory();

  /** One fenced transition of a claimed row; `set` builds the SET list with the statement's params and "now". */
  // Every method validates inside an async function: bad input is a rejected promise, never a synchronous throw.
  async function transition(id: string, claim: string, set: (p: SqlParams, now: string) => string): Promise<boolean> {
    nonEmpty('id', id, 64);
    nonEmpty('claim', claim, 64);
    const p = new SqlParams([id, claim]);
    const now = clock.now(p);
    const changed = await db.execute(
      `UPDATE webhook_inbox SET ${set(p, now)} WHERE id = $1 AND claim_token = $2 AND state = 'processing'`,
      p.values,
    );
    return changed > 0;
  }

  function claimSql(p: SqlParams, workerId: string, token: string, limit: number, leaseMs: number): string {
    const now = clock.now(p);
    const due = `(state = 'pending' AND next_attempt_at <= ${now}) OR (state = 'processing' AND lease_until <= ${now})`;
    const set = `state = 'processing', attempts = attempts + 1, claimed_by = ${p.add(workerId)},
                 claim_token = ${p.add(token)}, lease_until = ${clock.plus(p, now, leaseMs)}`;
    const limitParam = p.add(limit);
    if (db.dialect === 'postgres') {
      // The CTE locks the rows it picks and skips rows another claimer holds; a row whose claim committed
      // meanwhile is re-checked against the WHERE (READ COMMITTED) and dropped. MATERIALIZED: evaluated once.
      return `
        WITH picked AS MATERIALIZED (
          SELECT id FROM webhook_inbox WHERE ${due}
          ORDER BY next_attempt_at, id LIMIT ${limitParam}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE webhook_inbox AS i SET ${set}
        FROM picked WHERE i.id = picked.id
        RETURNING ${columns('i')}`;
    }
    // SQLite: one statement under the database's write lock; no other writer runs between its read and write.
    return `
      UPDATE webhook_inbox SET ${set}
      WHERE id IN (SELECT id FROM webhook_inbox WHERE ${due} ORDER BY next_attempt_at, id LIMIT ${limitParam})
      RETURNING ${COLUMNS}`;
  }

  return {
    async receive(input) {
      const { source, eventId, callbackType, payload } = validateReceive(input);
      return db.transaction(async (tx) => {
        const p = new SqlParams([newId(), source, eventId, callbackType, payload]);
        const now = clock.now(p);
        const stored = await tx.query<{ id: string }>(
          `INSERT INTO webhook_inbox (id, source, event_id, callback_type, payload, received_at, state, attempts, next_attempt_at)
           VALUES ($1, $2, $3, $4, $5, ${now}, 'pending', 0, ${now})
           ON CONFLICT (source, event_id, callback_type) DO NOTHING
           RETURNING id`,
          p.values,
        );
        const [row] = stored;
        if (row) return { outcome: 'stored', id: row.id };
        const [existing] = await tx.query<{ id: string }>(
          'SELECT id FROM webhook_inbox WHERE source = $1 AND event_id = $2 AND callback_type = $3',
          [source, eventId, callbackType],
        );
        if (!existing) throw new Error('webhook inbox: the insert conflicted, but no matching row exists');
        return { outcome: 'duplicate', id: existing.id };
      });
    },

    async claim(workerId, opts = {}) {
      nonEmpty('workerId', workerId, 255);
      const limit = opts.limit ?? 10;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_INBOX_CLAIM) {
        throw new RangeError(`webhook inbox: limit must be an integer from 1 to ${MAX_INBOX_CLAIM}`);
      }
      const token = randomUUID();
      const p = new SqlParams();
      const rows = await db.query<Row>(claimSql(p, workerId, token, limit, leaseDuration(opts.leaseMs)), p.values);
      return rows
        .map((row): ClaimedInboxRow => ({ ...fromRow(row), state: 'processing', claim: token }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async renew(id, claim, leaseMs) {
      const ms = leaseDuration(leaseMs);
      return transition(id, claim, (p, now) => `lease_until = ${clock.plus(p, now, ms)}`);
    },

    async complete(id, claim, outcome) {
      const value = code('outcome', outcome);
      return transition(
        id,
        claim,
        (p, now) => `state = 'done', outcome = ${p.add(value)}, last_error_code = NULL, lease_until = NULL, processed_at = ${now}`,
      );
    },

    async retryLater(id, claim, opts) {
      const errorCode = code('errorCode', opts.errorCode);
      if (!Number.isFinite(opts.delayMs) || opts.delayMs < 0) throw new RangeError('webhook inbox: delayMs must be >= 0');
      const delayMs = Math.trunc(opts.delayMs);
      return transition(
        id,
        claim,
        (p, now) =>
          `state = 'pending', next_attempt_at = ${clock.plus(p, now, delayMs)}, last_error_code = ${p.add(errorCode)}, lease_until = NULL`,
      );
    },

    async fail(id, claim, errorCode) {
      const value = code('errorCode', errorCode);
      return transition(
        id,
        claim,
        (p, now) => `state = 'dead', last_error_code = ${p.add(value)}, lease_until = NULL, processed_at = ${now}`,
      );
    },

    async release(id, claim) {
      return transition(
        id,
        claim,
        (_p, now) => `state = 'pending', attempts = attempts - 1, next_attempt_at = ${now}, lease_until = NULL`,
      );
    },

    async requeue(id) {
      nonEmpty('id', id, 64);
      const p = new SqlParams([id]);
      const changed = await db.execute(
        `UPDATE webhook_inbox SET state = 'pending', attempts = 0, next_attempt_at = ${clock.now(p)}, processed_at = NULL
         WHERE id = $1 AND state = 'dead'`,
        p.values,
      );
      return changed > 0;
    },

    async get(id) {
      const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM webhook_inbox WHERE id = $1`, [id]);
      return row && fromRow(row);
    },

    async list(opts) {
      if (!isInboxState(opts.state)) throw new TypeError(`webhook inbox: state must be one of ${INBOX_STATES.join(', ')}`);
      const limit = opts.limit ?? 100;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1_000) {
        throw new RangeError('webhook inbox: limit must be an integer from 1 to 1000');
      }
      const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM webhook_inbox WHERE state = $1 ORDER BY id LIMIT $2`, [
        opts.state,
        limit,
      ]);
      return rows.map(fromRow);
    },

    async counts() {
      const rows = await db.query<{ state: string; n: number | bigint | string }>(
        'SELECT state, COUNT(*) AS n FROM webhook_inbox GROUP BY state',
      );
      const counts: Record<InboxState, number> = { pending: 0, processing: 0, done: 0, dead: 0 };
      for (const row of rows) if (isInboxState(row.state)) counts[row.state] = Number(row.n);
      return counts;
    },

    async purgeDone(olderThanMs) {
      if (!Number.isFinite(olderThanMs) || olderThanMs < 0) throw new RangeError('webhook inbox: olderThanMs must be >= 0');
      const p = new SqlParams();
      const now = clock.now(p);
      return db.execute(
        `DELETE FROM webhook_inbox WHERE state = 'done' AND processed_at <= ${clock.plus(p, now, -Math.trunc(olderThanMs))}`,
        p.values,
      );
    },
  };
}
