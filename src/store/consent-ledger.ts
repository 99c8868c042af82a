import { monotonicFactory } from 'ulid';
import {
  isConsentEvidence,
  isConsentPurpose,
  isConsentSource,
  isConsentStatus,
  type ConsentDetail,
  type ConsentEvent,
  type NewConsentEvent,
} from '../consent/consent.types.js';
import { isValidE164 } from '../phone/e164.js';
import { SqlParams, storeClock, type StoreClock } from './clock.js';
import { readTimestamp, type Dialect, type SqlExecutor } from './sql.js';

/**
 * The append-only consent ledger (migration 3, `consent_events`).
 *
 * There is no update or delete here, by design: a correction is a new event whose `correctsEventId` names the
 * event it corrects. The database refuses UPDATE and DELETE from any client too (triggers in both dialects).
 *
 * One vendor event yields one ledger event per (source, vendor event id, number, purpose, list, status) however
 * often it is processed: `append` returns the stored event instead of a second one. That is what makes
 * re-processing an inbox row harmless after a crash (src/store/webhook-inbox.ts).
 */

/** 1461 days: at least 4 calendar years, the TCPA's limitation period (compliance doc 1.3). */
export const LEDGER_RETENTION_MS = 1461 * 24 * 60 * 60 * 1000;
export const MAX_DETAIL_JSON_LENGTH = 16 * 1024;
export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_LIMIT = 10_000;

export interface AppendResult {
  readonly event: ConsentEvent;
  /** False when the vendor event was already recorded: `event` is the stored one, nothing was written. */
  readonly inserted: boolean;
}

export interface HistoryOptions {
  /** Default 100, at most 10,000. */
  readonly limit?: number | undefined;
}

export interface ConsentLedger {
  /** Validates and stores one event (id, recordedAt and retainUntil are the ledger's). Idempotent per vendor event. */
  append(event: NewConsentEvent): Promise<AppendResult>;
  /** The number's events, newest first: by occurredAt, then recordedAt, then id. */
  history(number: string, opts?: HistoryOptions): Promise<ConsentEvent[]>;
  get(id: string): Promise<ConsentEvent | undefined>;
}

/** A refused event. The message names the field and the rule, never the value (it may be a phone number). */
export class LedgerValidationError extends TypeError {
  constructor(message: string) {
    super(`consent ledger: ${message}`);
    this.name = 'LedgerValidationError';
  }
}

export interface ConsentLedgerOptions {
  /** The clock recordedAt is taken from. Default: the database's (see StoreClock). Tests inject one. */
  clock?: (() => Date) | undefined;
}

const COLUMNS =
  'id, number, purpose, status, source, evidence, occurred_at, recorded_at, actor, vendor_event_id, list_id, ' +
  'CAST(detail AS TEXT) AS detail, corrects_event_id, retain_until';

interface EventRow {
  id: string;
  number: string;
  purpose: string;
  status: string;
  source: string;
  evidence: string;
  occurred_at: unknown;
  recorded_at: unknown;
  actor: string | null;
  vendor_event_id: string | null;
  list_id: string | null;
  detail: string | null;
  corrects_event_id: string | null;
  retain_until: unknown;
}

function fromRow(row: EventRow): ConsentEvent {
  const { purpose, status, source, evidence } = row;
  // The CHECK constraints hold these; a value this code does not know means a newer schema wrote it.
  if (!isConsentPurpose(purpose) || !isConsentStatus(status) || !isConsentSource(source) || !isConsentEvidence(evidence)) {
    throw new TypeError('consent ledger: a stored event has a purpose, status, source or evidence this code does not know');
  }
  return {
    id: row.id,
    number: row.number,
    purpose,
    status,
    source,
    evidence,
    occurredAt: readTimestamp(row.occurred_at),
    recordedAt: readTimestamp(row.recorded_at),
    actor: row.actor,
    vendorEventId: row.vendor_event_id,
    listId: row.list_id,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as ConsentDetail),
    correctsEventId: row.corrects_event_id,
    retainUntil: readTimestamp(row.retain_until),
  };
}

function optionalText(name: string, value: string | null | undefined, max = 255): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new LedgerValidationError(`${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function validDate(name: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new LedgerValidationError(`${name} must be a valid Date`);
  return value;
}

function detailJson(detail: ConsentDetail | null | undefined): string | null {
  if (detail === undefined || detail === null) return null;
  if (typeof detail !== 'object' || Array.isArray(detail)) throw new LedgerValidationError('detail must be a JSON object');
  let json: string;
  try {
    json = JSON.stringify(detail);
  } catch {
    throw new LedgerValidationError('detail must be serialisable as JSON');
  }
  if (json.length > MAX_DETAIL_JSON_LENGTH) {
    throw new LedgerValidationError(`detail must be at most ${MAX_DETAIL_JSON_LENGTH} characters of JSON`);
  }
  return json;
}

interface ValidEvent {
  number: string;
  purpose: string;
  status: string;
  source: string;
  evidence: string;
  occurredAt: Date;
  actor: string | null;
  vendorEventId: string | null;
  listId: string | null;
  detail: string | null;
  correctsEventId: string | null;
  retainUntil: Date | null;
}

function validate(event: NewConsentEvent): ValidEvent {
  if (typeof event.number !== 'string' || !isValidE164(event.number)) {
    throw new LedgerValidationError('number must be a valid E.164 phone number');
  }
  if (!isConsentPurpose(event.purpose)) throw new LedgerValidationError('purpose must be a ConsentPurpose');
  if (!isConsentStatus(event.status)) throw new LedgerValidationError('status must be a ConsentStatus');
  if (!isConsentSource(event.source)) throw new LedgerValidationError('source must be a ConsentSource');
  if (!isConsentEvidence(event.evidence)) throw new LedgerValidationError('evidence must be a ConsentEvidence');
  return {
    number: event.number,
    purpose: event.purpose,
    status: event.status,
    source: event.source,
    evidence: event.evidence,
    occurredAt: validDate('occurredAt', event.occurredAt),
    actor: optionalText('actor', event.actor),
    vendorEventId: optionalText('vendorEventId', event.vendorEventId),
    listId: optionalText('listId', event.listId),
    detail: detailJson(event.detail),
    correctsEventId: optionalText('correctsEventId', event.correctsEventId, 64),
    retainUntil: event.retainUntil === undefined ? null : validDate('retainUntil', event.retainUntil),
  };
}

/** A bound timestamp with its type spelled out (PostgreSQL cannot infer a parameter's type inside CASE). */
function timestampParam(dialect: Dialect, params: SqlParams, value: Date): string {
  return dialect === 'postgres' ? `CAST(${params.add(value)} AS TIMESTAMPTZ)` : `CAST(${params.add(value)} AS INTEGER)`;
}

const VENDOR_EVENT_MATCH =
  "source = $1 AND vendor_event_id = $2 AND number = $3 AND purpose = $4 AND COALESCE(list_id, '') = $5 AND status = $6";

/** The append-only ledger over either dialect. */
export function createConsentLedger(db: SqlExecutor, options: ConsentLedgerOptions = {}): ConsentLedger {
  const clock: StoreClock = storeClock(db.dialect, options.clock);
  // Monotonic within this process: ids made in one millisecond still sort in the order they were made.
  const newId = monotonicFactory();

  async function findVendorEvent(tx: SqlExecutor, e: ValidEvent & { vendorEventId: string }): Promise<ConsentEvent | undefined> {
    const [row] = await tx.query<EventRow>(`SELECT ${COLUMNS} FROM consent_events WHERE ${VENDOR_EVENT_MATCH}`, [
      e.source,
      e.vendorEventId,
      e.number,
      e.purpose,
      e.listId ?? '',
      e.status,
    ]);
    return row && fromRow(row);
  }

  return {
    async append(input) {
      const e = validate(input);
      return db.transaction(async (tx) => {
        if (e.correctsEventId !== null) {
          const [target] = await tx.query<{ number: string }>('SELECT number FROM consent_events WHERE id = $1', [e.correctsEventId]);
          if (!target || target.number !== e.number) {
            throw new LedgerValidationError('correctsEventId must name a recorded event of the same number');
          }
        }
        const keyed = e.vendorEventId === null ? undefined : { ...e, vendorEventId: e.vendorEventId };
        // Look first: on SQLite this runs under the write lock, so the insert below cannot collide (and the
        // no-replace trigger never fires for our own appends).
        if (keyed) {
          const existing = await findVendorEvent(tx, keyed);
          if (existing) return { event: existing, inserted: false };
        }
        const p = new SqlParams();
        const now = clock.now(p);
        const minimum = clock.plus(p, now, LEDGER_RETENTION_MS);
        let retainUntil = minimum;
        if (e.retainUntil !== null) {
          const requested = timestampParam(db.dialect, p, e.retainUntil);
          retainUntil = `CASE WHEN ${requested} > ${minimum} THEN ${requested} ELSE ${minimum} END`;
        }
        const rows = await tx.query<EventRow>(
          `INSERT INTO consent_events
             (id, number, purpose, status, source, evidence, occurred_at, recorded_at, actor, vendor_event_id, list_id,
              detail, corrects_event_id, retain_until)
           VALUES (${p.add(newId())}, ${p.add(e.number)}, ${p.add(e.purpose)}, ${p.add(e.status)}, ${p.add(e.source)},
                   ${p.add(e.evidence)}, ${p.add(e.occurredAt)}, ${now}, ${p.add(e.actor)}, ${p.add(e.vendorEventId)},
                   ${p.add(e.listId)}, ${p.add(e.detail)}, ${p.add(e.correctsEventId)}, ${retainUntil})
           ON CONFLICT DO NOTHING
           RETURNING ${COLUMNS}`,
          p.values,
        );
        const [inserted] = rows;
        if (inserted) return { event: fromRow(inserted), inserted: true };
        // PostgreSQL: another replica inserted the same vendor event after our look; its row is committed now.
        const existing = keyed && (await findVendorEvent(tx, keyed));
        if (!existing) throw new Error('consent ledger: the insert conflicted, but no matching event exists');
        return { event: existing, inserted: false };
      });
    },

    async history(number, opts = {}) {
      const limit = opts.limit ?? DEFAULT_HISTORY_LIMIT;
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
        throw new RangeError(`consent ledger: limit must be an integer from 1 to ${MAX_HISTORY_LIMIT}`);
      }
      const rows = await db.query<EventRow>(
        `SELECT ${COLUMNS} FROM consent_events WHERE number = $1
         ORDER BY occurred_at DESC, recorded_at DESC, id DESC LIMIT $2`,
        [number, limit],
      );
      return rows.map(fromRow);
    },

    async get(id) {
      const [row] = await db.query<EventRow>(`SELECT ${COLUMNS} FROM consent_events WHERE id = $1`, [id]);
      return row && fromRow(row);
    },
  };
}
