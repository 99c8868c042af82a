import { parseVendorDate } from './vendor-date.js';

/**
 * Vibes subscription callbacks (vendor-apis.md 3.5, seed 004): the body -> a typed callback, or the reason it
 * cannot be one. The webhook route parses before it stores (the inbox dedupes on event_id + callback_type, and
 * a body that can never be processed is answered 400, so Vibes files it in its failure queue), and the
 * processor parses the stored body again with the same function.
 *
 * Tolerant of what Vibes is known to send: the deprecated `event_type` when `callback_type` is absent, ids as
 * strings or numbers, dates with `Z`, `+0000` or `+00:00`, fields we do not use (`callback_id`,
 * `delivery_attempt`, urls, `acquisition_campaign`), a person without `mobile_phone` (the seed's shape: the
 * processor then reads the person for the number), and `external_id` or `external_person_id`. Not tolerant of
 * what is not JSON: the seed's article text has `//` comments and a `"callback:id","DEF123"` pair, which are
 * documentation artefacts, not payloads.
 *
 * Failure reasons are codes: safe to log (no phone number, no body).
 */

export const VIBES_SUBSCRIPTION_CALLBACK_TYPES = ['subscription_added', 'subscription_removed'] as const;
export type VibesSubscriptionCallbackType = (typeof VIBES_SUBSCRIPTION_CALLBACK_TYPES)[number];

export interface VibesPersonRef {
  /** `person_key`, else `id` (the deprecated person_id): the key the Vibes client reads the person by. */
  readonly personKey: string | null;
  readonly externalPersonId: string | null;
  /** `mobile_phone.mdn` as sent (E.164 when the callback was registered with API version 2, else national digits). */
  readonly mdn: string | null;
}

export interface VibesSubscriptionCallback {
  readonly eventId: string;
  readonly callbackType: VibesSubscriptionCallbackType;
  /** `event_date`; without one, the opt-out (removed) or opt-in (added) date; see `eventDateField`. */
  readonly eventDate: Date;
  readonly eventDateField: 'event_date' | 'opt_out_date' | 'opt_in_date';
  readonly person: VibesPersonRef;
  readonly listId: string;
  readonly optInDate: Date | null;
  readonly optOutDate: Date | null;
  readonly optOutReason: string | null;
  readonly acquisitionCampaignId: string | null;
}

export const VIBES_CALLBACK_FAILURES = [
  'malformed_json',
  'not_an_object',
  'missing_event_id',
  'missing_callback_type',
  'unknown_callback_type',
  'missing_subscription',
  'missing_list',
  'missing_person',
  'invalid_date',
  'missing_event_date',
] as const;
export type VibesCallbackFailure = (typeof VIBES_CALLBACK_FAILURES)[number];

export type VibesCallbackParse =
  | { readonly ok: true; readonly callback: VibesSubscriptionCallback }
  | {
      readonly ok: false;
      readonly reason: VibesCallbackFailure;
      /** What was readable before the failure, for the route's log line (ids and types only, never the number). */
      readonly eventId?: string;
      readonly callbackType?: string;
    };

type Json = Record<string, unknown>;

const MAX_ID_LENGTH = 255;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A vendor id: a non-empty string (trimmed) or an integer, as a string. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed.length > 0 && trimmed.length <= MAX_ID_LENGTH ? trimmed : null;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

function textOf(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed.slice(0, MAX_ID_LENGTH);
}

function isCallbackType(value: unknown): value is VibesSubscriptionCallbackType {
  return typeof value === 'string' && (VIBES_SUBSCRIPTION_CALLBACK_TYPES as readonly string[]).includes(value);
}

/** Absent or null: null; present but unreadable: 'invalid'. */
function optionalDate(value: unknown): Date | null | 'invalid' {
  if (value === undefined || value === null || value === '') return null;
  return parseVendorDate(value) ?? 'invalid';
}

/** Parses a callback body (JSON text). */
export function parseVibesCallback(body: string): VibesCallbackParse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'malformed_json' };
  }
  return interpretVibesCallback(value);
}

/** Interprets an already-parsed callback body. */
export function interpretVibesCallback(value: unknown): VibesCallbackParse {
  if (!isObject(value)) return { ok: false, reason: 'not_an_object' };
  const eventId = idOf(value.event_id);
  if (eventId === null) return { ok: false, reason: 'missing_event_id' };
  // callback_type replaced event_type; an old registration may still send only the latter.
  const rawType = typeof value.callback_type === 'string' ? value.callback_type : value.event_type;
  if (typeof rawType !== 'string' || rawType.trim() === '') return { ok: false, reason: 'missing_callback_type', eventId };
  const type = rawType.trim();
  const fail = (reason: VibesCallbackFailure): VibesCallbackParse => ({ ok: false, reason, eventId, callbackType: type });
  if (!isCallbackType(type)) return fail('unknown_callback_type');

  const subscription = value.subscription;
  if (!isObject(subscription)) return fail('missing_subscription');
  const list = subscription.subscription_list;
  const listId = isObject(list) ? idOf(list.id) : null;
  if (listId === null) return fail('missing_list');

  const person = isObject(subscription.person) ? subscription.person : undefined;
  const phone = person && isObject(person.mobile_phone) ? person.mobile_phone : undefined;
  const ref: VibesPersonRef = {
    personKey: person ? (idOf(person.person_key) ?? idOf(person.id) ?? idOf(person.person_id)) : null,
    externalPersonId: person ? (idOf(person.external_person_id) ?? idOf(person.external_id)) : null,
    mdn: phone ? textOf(phone.mdn) : null,
  };
  if (ref.personKey === null && ref.externalPersonId === null && ref.mdn === null) return fail('missing_person');

  const eventDate = optionalDate(value.event_date);
  const optInDate = optionalDate(subscription.opt_in_date);
  const optOutDate = optionalDate(subscription.opt_out_date);
  if (eventDate === 'invalid' || optInDate === 'invalid' || optOutDate === 'invalid') return fail('invalid_date');
  // The ordering rule needs a date. event_date is the event's; failing that, the date the subscription record
  // gives for this very change.
  const fallback = type === 'subscription_removed' ? optOutDate : optInDate;
  const when = eventDate ?? fallback;
  if (when === null) return fail('missing_event_date');

  const campaign = subscription.acquisition_campaign;
  return {
    ok: true,
    callback: {
      eventId,
      callbackType: type,
      eventDate: when,
      eventDateField: eventDate !== null ? 'event_date' : type === 'subscription_removed' ? 'opt_out_date' : 'opt_in_date',
      person: ref,
      listId,
      optInDate,
      optOutDate,
      optOutReason: textOf(subscription.opt_out_reason),
      acquisitionCampaignId: isObject(campaign) ? idOf(campaign.id) : null,
    },
  };
}
