/** The one place that knows both Vibes' wire format and the gateway's person types. */
import type { CountryCode } from 'libphonenumber-js';
import { parseVendorDate } from '../../consent/vendor-date.js';
import { toE164 } from '../../phone/e164.js';
import type { ListSubscription, Person } from '../../schema/person/person.type.js';
import type { PersonChanges } from './vibes.validate.js';
import type { WirePerson, WirePersonWrite, WireSubscription } from './vibes.wire.js';

/** A record the gateway cannot read: the mapper's only failure. It fails that record's entry, nothing more. */
export class UnreadableRecordError extends Error {
  constructor(readonly record: 'person' | 'subscription') {
    super(`unreadable Vibes ${record} record`);
    this.name = 'UnreadableRecordError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids arrive as strings, sometimes as integers (list ids in callbacks do): either reads as its string. */
function idText(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}

function isoDate(value: unknown): string | null {
  return parseVendorDate(value)?.toISOString() ?? null;
}

/** A plain copy; defineProperty, not assignment, so a "__proto__" field name stays an ordinary entry. */
function copyFields(value: unknown): Record<string, unknown> | null {
  if (!isObject(value)) return null;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    Object.defineProperty(out, name, { value: structuredClone(field), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A person as the gateway answers it. Only the key is required (`person_key`, else the deprecated `person_id`):
 * without it the record cannot be named or followed. Everything else that is missing or malformed reads as null,
 * an MDN that is not a valid number included (Vibes' API version 2 sends E.164).
 */
export function personFromWire(wire: WirePerson, region: CountryCode): Person {
  const key = idText(wire.person_key) ?? idText(wire.person_id);
  if (key === null) throw new UnreadableRecordError('person');
  const phone = isObject(wire.mobile_phone) ? wire.mobile_phone : undefined;
  const mdn = typeof phone?.mdn === 'string' ? toE164(phone.mdn, region) : null;
  return {
    key,
    externalId: idText(wire.external_person_id),
    mobile: mdn,
    // A carrier belongs to an MDN: Vibes drops it with the MDN.
    carrierCode: mdn === null ? null : idText(phone?.carrier_code),
    customFields: copyFields(wire.custom_fields),
    createdAt: isoDate(wire.created_at),
    updatedAt: isoDate(wire.updated_at),
  };
}

/** The MDN exactly as Vibes sent it (E.164 with API version 2), for the consent inbox; null when there is none. */
export function wireMdn(wire: WirePerson): string | null {
  const mdn = isObject(wire.mobile_phone) ? wire.mobile_phone.mdn : undefined;
  return typeof mdn === 'string' && mdn.trim() !== '' ? mdn : null;
}

/**
 * A subscription record. The list id is required. An opt-out date the gateway cannot read still makes the record
 * inactive: an unreadable date must never read as "subscribed".
 */
export function subscriptionFromWire(wire: WireSubscription): ListSubscription {
  const listId = idText(isObject(wire.subscription_list) ? wire.subscription_list.id : undefined);
  if (listId === null) throw new UnreadableRecordError('subscription');
  const optedOut = wire.opt_out_date !== undefined && wire.opt_out_date !== null && wire.opt_out_date !== '';
  return {
    listId,
    optInDate: isoDate(wire.opt_in_date),
    optOutDate: optedOut ? isoDate(wire.opt_out_date) : null,
    optOutReason: typeof wire.opt_out_reason === 'string' && wire.opt_out_reason !== '' ? wire.opt_out_reason : null,
    active: !optedOut,
  };
}

/**
 * The record a person holds now on a list: the latest opt-in (Vibes lists records oldest first, so among equal
 * dates the later entry). Undefined when the person has never been on the list.
 */
export function latestOnList(records: readonly ListSubscription[], listId: string): ListSubscription | undefined {
  let latest: ListSubscription | undefined;
  for (const record of records) {
    if (record.listId !== listId) continue;
    if (latest === undefined || (record.optInDate ?? '') >= (latest.optInDate ?? '')) latest = record;
  }
  return latest;
}

/** A person write's body: only what changes. The external id travels in the PUT's path, so only the POST carries it. */
export function personToWire(changes: PersonChanges, mode: 'add' | 'update'): WirePersonWrite {
  const body: WirePersonWrite = {};
  if (mode === 'add' && changes.externalId !== undefined) body.external_person_id = changes.externalId;
  const phone: { mdn?: string | null; carrier_code?: string | null } = {};
  // Adding has nothing to remove: a null MDN or carrier on a new person is just left out.
  if (changes.mobile !== undefined && (changes.mobile !== null || mode === 'update')) phone.mdn = changes.mobile;
  // A carrier code belongs to an MDN: with the MDN removed it goes too, and a new person without an MDN has none.
  const carrierApplies = mode === 'update' ? changes.mobile !== null : typeof changes.mobile === 'string';
  if (changes.carrierCode !== undefined && carrierApplies && (changes.carrierCode !== null || mode === 'update')) {
    phone.carrier_code = changes.carrierCode;
  }
  if (Object.keys(phone).length > 0) body.mobile_phone = phone;
  if (changes.customFields !== undefined) body.custom_fields = changes.customFields;
  return body;
}

/** True when an update names nothing to change (the PUT would be empty). */
export function changesNothing(changes: PersonChanges): boolean {
  return changes.mobile === undefined && changes.carrierCode === undefined && changes.customFields === undefined;
}

/**
 * The person after a PUT that Vibes applied, built from the person known before it and the changes, as Vibes applies
 * them: removing the MDN drops the carrier, custom fields merge field by field (null removes one). `updatedAt` is
 * unknown (Vibes sets it): null.
 */
export function personAfterUpdate(before: Person, changes: PersonChanges): Person {
  const mobile = changes.mobile === undefined ? before.mobile : changes.mobile;
  let carrierCode = changes.carrierCode === undefined ? before.carrierCode : changes.carrierCode;
  if (mobile === null) carrierCode = null;
  let customFields = before.customFields;
  if (changes.customFields !== undefined) {
    const merged: Record<string, unknown> = copyFields(before.customFields ?? {}) ?? {};
    for (const [name, value] of Object.entries(changes.customFields)) {
      if (value === null) Reflect.deleteProperty(merged, name);
      else Object.defineProperty(merged, name, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
    }
    customFields = merged;
  }
  return { ...before, mobile, carrierCode, customFields, updatedAt: null };
}
