/** The one place that knows both MessageMedia's wire format and the gateway's number types. */
import { getCountryCallingCode, isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { unreadableRecordError, VendorError } from '../../errors/errors.js';
import { toE164 } from '../../phone/e164.js';
import { NumberCapability, NumberClassification, NumberType } from '../../schema/number/number.enums.js';
import type { DedicatedNumber, NumberAssignment } from '../../schema/number/number.type.js';
import type { WireAssignment, WireDedicatedNumber } from './messagemedia.wire.js';

/** A record the gateway cannot read: the mapper's only failure. It fails that record's entry, nothing more. */
export class UnreadableRecordError extends Error {
  constructor(readonly record: 'number' | 'assignment') {
    super(`unreadable MessageMedia ${record} record`);
    this.name = 'UnreadableRecordError';
  }
}

/** What a client sees for an unreadable record: it names the record kind, never its content. */
export function unreadableError(record: 'number' | 'assignment'): VendorError {
  return unreadableRecordError('MESSAGEMEDIA', `a ${record} record`);
}

/** Vendor rows arrive as parsed JSON: anything at all, until this says it is an object. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER_TYPES: ReadonlySet<string> = new Set(Object.values(NumberType));
const CLASSIFICATIONS: ReadonlySet<string> = new Set(Object.values(NumberClassification));
const CAPABILITIES: ReadonlySet<string> = new Set(Object.values(NumberCapability));

/**
 * The vendor's spelling -> E.164, or null when it is not an E.164 number. MessageMedia sends "+61436489205" (the
 * seed, its gateway's fixtures) or "61436489205" (the newer spec): international digits, with or without the
 * "+". Digits without a "+" are read as international when that lands in the number's own country (by calling
 * code), else as a national spelling in that country, else as international anywhere. A US short code
 * ("613025") is a code, not a phone number: null, its digits stay in `raw`.
 */
export function e164FromWire(raw: string, type: NumberType, country: string): string | null {
  if (type === NumberType.SHORT_CODE) return null;
  const text = raw.trim();
  const region: CountryCode | undefined = isSupportedCountry(country) ? country : undefined;
  // The region only matters for spellings without a "+"; any supported one does for the others.
  const parseRegion: CountryCode = region ?? 'US';
  if (text.startsWith('+')) return toE164(text, parseRegion);
  if (!/^\d{4,17}$/.test(text)) return region ? toE164(text, region) : null;
  const international = toE164(`+${text}`, parseRegion);
  if (!region) return international;
  if (international !== null && international.startsWith(`+${getCountryCallingCode(region)}`)) return international;
  return toE164(text, region) ?? international;
}

function isoDateTime(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new UnreadableRecordError('number');
  const ms = Date.parse(value);
  // An unreadable date must not read as "available now".
  if (Number.isNaN(ms)) throw new UnreadableRecordError('number');
  return new Date(ms).toISOString();
}

function capabilities(value: unknown): NumberCapability[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new UnreadableRecordError('number');
  // A capability the gateway does not know yet is left out; the known ones still describe the number.
  const known = value.filter((c): c is NumberCapability => typeof c === 'string' && CAPABILITIES.has(c));
  return [...new Set(known)];
}

export function numberFromWire(wire: WireDedicatedNumber): DedicatedNumber {
  if (!isRecord(wire)) throw new UnreadableRecordError('number');
  const { id, phone_number: phone, country, type, classification } = wire;
  if (typeof id !== 'string' || !UUID.test(id)) throw new UnreadableRecordError('number');
  if (typeof phone !== 'string' || phone.trim() === '') throw new UnreadableRecordError('number');
  if (typeof country !== 'string' || !/^[A-Za-z]{2}$/.test(country)) throw new UnreadableRecordError('number');
  if (typeof type !== 'string' || !NUMBER_TYPES.has(type)) throw new UnreadableRecordError('number');
  const numberType = type as NumberType;
  const region = country.toUpperCase();
  return {
    id,
    phoneNumber: e164FromWire(phone, numberType, region),
    raw: phone,
    country: region,
    type: numberType,
    classification: typeof classification === 'string' && CLASSIFICATIONS.has(classification) ? (classification as NumberClassification) : null,
    availableAfter: isoDateTime(wire.available_after),
    capabilities: capabilities(wire.capabilities),
  };
}

function metadata(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw new UnreadableRecordError('assignment');
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new UnreadableRecordError('assignment');
    // defineProperty, not assignment: a "__proto__" key stays an ordinary entry.
    Object.defineProperty(out, key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** `numberId` fills in a `number_id` the vendor left out (the number the call was about). */
export function assignmentFromWire(wire: WireAssignment, numberId?: string): NumberAssignment {
  if (!isRecord(wire)) throw new UnreadableRecordError('assignment');
  const id = wire.id;
  const forNumber = wire.number_id ?? numberId;
  if (typeof id !== 'string' || id === '') throw new UnreadableRecordError('assignment');
  if (typeof forNumber !== 'string' || forNumber === '') throw new UnreadableRecordError('assignment');
  const label = wire.label;
  if (label !== undefined && label !== null && typeof label !== 'string') throw new UnreadableRecordError('assignment');
  return { id, numberId: forNumber, label: label ?? null, metadata: metadata(wire.metadata) };
}

/** The assignment after a PATCH the vendor answered 204 to: its changes over what it held (metadata replaced whole). */
export function assignmentAfterUpdate(before: NumberAssignment, changes: { label?: string | null; metadata?: Record<string, string> | null }): NumberAssignment {
  return {
    ...before,
    ...(changes.label === undefined ? {} : { label: changes.label }),
    ...(changes.metadata === undefined ? {} : { metadata: changes.metadata === null ? null : { ...changes.metadata } }),
  };
}
