import { createHash } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import { toE164 } from '../phone/e164.js';
import { LedgerValidationError } from '../store/consent-ledger.js';
import type { InboxRow } from '../store/webhook-inbox.js';
import type { ConsentRecorder } from './consent.recorder.js';
import type { ConsentDetail, ConsentEvent, NewConsentEvent } from './consent.types.js';
import { deadLetter, retryLater } from './inbox.errors.js';
import type { ListPurposes } from './list-purposes.js';
import { parseVibesCallback, type VibesPersonRef, type VibesSubscriptionCallback } from './vibes-callback.parser.js';

/**
 * One inbox row -> ledger events (compliance doc 2.4: callbacks are hints, not authority).
 *
 * - subscription_removed: REVOKED at once (the safe direction), for the list's purpose.
 * - subscription_added: PENDING at once; then the subscription is read back from Vibes, and only an active one
 *   makes it GRANTED (an event that names the PENDING one in `correctsEventId`). An inactive read-back is asked
 *   again on the next attempts (Vibes may not show a fresh subscription yet) up to `maxConfirmAttempts`, then
 *   the row completes `unconfirmed`, leaving PENDING (which permits nothing).
 * - No `mobile_phone.mdn` in the callback (the seed's shape): the person is read once for it.
 * - Vibes unreachable (a dependency throws): InboxProcessingError `retry`; the row stays in the inbox.
 * - Unusable row (unparseable payload, unknown person, no or invalid MDN): `dead`, kept and replayable.
 *
 * Safe to run again on the same row, at any point it may have been cut off: every write is an idempotent
 * ledger append keyed by the vendor event (event_id), so a re-run finds what the first run recorded and adds
 * only what is missing. That is what lets a lease expire and another worker take over.
 */

/** Who the person is at Vibes, as the callback names them. */
export type VibesPersonKey = Pick<VibesPersonRef, 'personKey' | 'externalPersonId'>;

/** The subscriber whose subscription is read back: the person's keys, and the number when the callback had it. */
export interface VibesSubscriberRef extends VibesPersonKey {
  /** E.164. */
  readonly number: string;
}

/**
 * What processing needs from Vibes (implemented with the Vibes client by the gateway). Both throw when Vibes
 * cannot answer (timeout, 5xx, breaker open): the row is retried later. Neither gets to see the payload.
 */
export interface VibesConsentDirectory {
  /** The person's MDN as Vibes stores it (E.164 with API version 2); null when the person is unknown (404). */
  resolvePerson(person: VibesPersonKey, signal: AbortSignal): Promise<{ readonly mdn: string | null } | null>;
  /** Whether the person's subscription to the list is active now. */
  confirmSubscription(subscriber: VibesSubscriberRef, listId: string, signal: AbortSignal): Promise<boolean>;
}

export interface InboxProcessorDeps {
  readonly recorder: ConsentRecorder;
  readonly vibes: VibesConsentDirectory;
  readonly listPurposes: ListPurposes;
  /** For MDNs in national form (callbacks registered with API version 1). */
  readonly defaultRegion: CountryCode;
  /** Attempts (claims) an opt-in may take to be confirmed before it is left PENDING. Default 5. */
  readonly maxConfirmAttempts?: number | undefined;
}

export const DEFAULT_MAX_CONFIRM_ATTEMPTS = 5;

export type InboxOutcome = 'revoked' | 'granted' | 'unconfirmed';

export interface ProcessResult {
  readonly outcome: InboxOutcome;
  /** The ledger events this row stands for (written now or by an earlier run), in the order written. */
  readonly events: readonly ConsentEvent[];
  /** How many of them this run wrote. */
  readonly written: number;
}

/** The row fields processing reads. */
export type ProcessableRow = Pick<InboxRow, 'id' | 'source' | 'payload' | 'attempts'>;

/** Drops absent facts so the detail holds only what is known. */
function compact(entries: Record<string, string | number | null | undefined>): ConsentDetail {
  const detail: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(entries)) if (value !== null && value !== undefined) detail[key] = value;
  return detail;
}

async function resolveNumber(
  callback: VibesSubscriptionCallback,
  deps: InboxProcessorDeps,
  signal: AbortSignal,
): Promise<{ number: string; numberFrom: 'callback' | 'person' }> {
  let mdn = callback.person.mdn;
  let numberFrom: 'callback' | 'person' = 'callback';
  if (mdn === null) {
    const { personKey, externalPersonId } = callback.person;
    if (personKey === null && externalPersonId === null) throw deadLetter('person_unidentified');
    let person: { readonly mdn: string | null } | null;
    try {
      person = await deps.vibes.resolvePerson({ personKey, externalPersonId }, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      throw retryLater('person_lookup_failed');
    }
    if (person === null) throw deadLetter('person_not_found');
    if (person.mdn === null || person.mdn === '') throw deadLetter('person_has_no_mdn');
    mdn = person.mdn;
    numberFrom = 'person';
  }
  const number = toE164(mdn, deps.defaultRegion);
  if (number === null) throw deadLetter('invalid_mdn');
  return { number, numberFrom };
}

async function record(deps: InboxProcessorDeps, event: NewConsentEvent): Promise<{ event: ConsentEvent; inserted: boolean }> {
  try {
    return await deps.recorder.record(event);
  } catch (error) {
    if (error instanceof LedgerValidationError) throw deadLetter('invalid_event');
    throw retryLater('ledger_unavailable');
  }
}

/** Processes one Vibes inbox row (see the header). Throws InboxProcessingError, or the abort reason on abort. */
export async function processInboxRow(
  row: ProcessableRow,
  deps: InboxProcessorDeps,
  signal: AbortSignal = new AbortController().signal,
): Promise<ProcessResult> {
  if (row.source !== 'vibes') throw deadLetter('unknown_source');
  const parsed = parseVibesCallback(row.payload);
  if (!parsed.ok) throw deadLetter('unparseable_payload');
  const callback = parsed.callback;
  signal.throwIfAborted();

  const { number, numberFrom } = await resolveNumber(callback, deps, signal);
  const base = {
    number,
    purpose: deps.listPurposes.purposeOf(callback.listId),
    source: 'VIBES',
    evidence: 'SUBSCRIPTION_CALLBACK',
    occurredAt: callback.eventDate,
    vendorEventId: callback.eventId,
    listId: callback.listId,
  } as const;
  const detail = compact({
    callbackType: callback.callbackType,
    inboxId: row.id,
    personKey: callback.person.personKey,
    externalPersonId: callback.person.externalPersonId,
    numberFrom,
    reason: callback.optOutReason,
    optInDate: callback.optInDate?.toISOString(),
    optOutDate: callback.optOutDate?.toISOString(),
    eventDateFrom: callback.eventDateField === 'event_date' ? undefined : callback.eventDateField,
    acquisitionCampaignId: callback.acquisitionCampaignId,
    payloadSha256: createHash('sha256').update(row.payload).digest('hex'),
  });

  if (callback.callbackType === 'subscription_removed') {
    const revoked = await record(deps, { ...base, status: 'REVOKED', detail });
    return { outcome: 'revoked', events: [revoked.event], written: revoked.inserted ? 1 : 0 };
  }

  const pending = await record(deps, { ...base, status: 'PENDING', detail });
  let active: boolean;
  try {
    active = await deps.vibes.confirmSubscription(
      { personKey: callback.person.personKey, externalPersonId: callback.person.externalPersonId, number },
      callback.listId,
      signal,
    );
  } catch (error) {
    if (signal.aborted) throw error;
    throw retryLater('confirmation_failed');
  }
  if (!active) {
    const maxAttempts = deps.maxConfirmAttempts ?? DEFAULT_MAX_CONFIRM_ATTEMPTS;
    if (row.attempts < maxAttempts) throw retryLater('not_confirmed_yet');
    return { outcome: 'unconfirmed', events: [pending.event], written: pending.inserted ? 1 : 0 };
  }
  const granted = await record(deps, {
    ...base,
    status: 'GRANTED',
    detail: { ...detail, confirmedBy: 'subscription_read_back' },
    correctsEventId: pending.event.id,
  });
  return {
    outcome: 'granted',
    events: [pending.event, granted.event],
    written: (pending.inserted ? 1 : 0) + (granted.inserted ? 1 : 0),
  };
}

/** processInboxRow as the worker's `process` step: the outcome code is what the inbox records. */
export function inboxProcessor(deps: InboxProcessorDeps): (row: ProcessableRow, signal: AbortSignal) => Promise<InboxOutcome> {
  return async (row, signal) => (await processInboxRow(row, deps, signal)).outcome;
}
