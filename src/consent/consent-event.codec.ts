import {
  isConsentEvidence,
  isConsentPurpose,
  isConsentSource,
  isConsentStatus,
  type ConsentDetail,
  type ConsentEvent,
} from './consent.types.js';

/**
 * A ConsentEvent as JSON and back (dates as ISO strings), for transports between processes. Decoding checks
 * every field: whatever arrives on a shared channel is untrusted until it has the shape of a ledger event.
 */
export interface ConsentEventJson {
  id: string;
  number: string;
  purpose: string;
  status: string;
  source: string;
  evidence: string;
  occurredAt: string;
  recordedAt: string;
  actor: string | null;
  vendorEventId: string | null;
  listId: string | null;
  detail: ConsentDetail | null;
  correctsEventId: string | null;
  retainUntil: string;
}

export function encodeConsentEvent(event: ConsentEvent): ConsentEventJson {
  return {
    ...event,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    retainUntil: event.retainUntil.toISOString(),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nullableString(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isoDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Reads an event whose dates are read by `dateOf`; undefined when any field is off. */
function readEvent(value: unknown, dateOf: (v: unknown) => Date | undefined): ConsentEvent | undefined {
  if (!isRecord(value)) return undefined;
  const { id, number, purpose, status, source, evidence, actor, vendorEventId, listId, detail, correctsEventId } = value;
  const occurredAt = dateOf(value.occurredAt);
  const recordedAt = dateOf(value.recordedAt);
  const retainUntil = dateOf(value.retainUntil);
  if (
    typeof id !== 'string' ||
    typeof number !== 'string' ||
    !isConsentPurpose(purpose) ||
    !isConsentStatus(status) ||
    !isConsentSource(source) ||
    !isConsentEvidence(evidence) ||
    !occurredAt ||
    !recordedAt ||
    !retainUntil ||
    !nullableString(actor) ||
    !nullableString(vendorEventId) ||
    !nullableString(listId) ||
    !nullableString(correctsEventId) ||
    !(detail === null || isRecord(detail))
  ) {
    return undefined;
  }
  return {
    id,
    number,
    purpose,
    status,
    source,
    evidence,
    occurredAt,
    recordedAt,
    actor,
    vendorEventId,
    listId,
    detail,
    correctsEventId,
    retainUntil,
  };
}

/** The event, or undefined when `value` is not the JSON form of one. */
export function decodeConsentEvent(value: unknown): ConsentEvent | undefined {
  return readEvent(value, isoDate);
}

/** True when `value` has the shape of a ConsentEvent (dates as Date). */
export function isConsentEvent(value: unknown): value is ConsentEvent {
  const validDate = (v: unknown): Date | undefined => (v instanceof Date && !Number.isNaN(v.getTime()) ? v : undefined);
  return readEvent(value, validDate) !== undefined;
}
