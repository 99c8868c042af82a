import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Vendor spellings -> E.164. Vendors store numbers as "6514737960" or "678-932-1578"; everything that leaves
 * the gateway is "+16514737960". Parsing is the costly part of mapping a customer, and the same numbers come
 * back again and again, so results are memoised per region in a bounded map.
 */
const CACHE_LIMIT = 20_000;
const caches = new Map<CountryCode, Map<string, string | null>>();

export function toE164(raw: string, defaultRegion: CountryCode): string | null {
  let cache = caches.get(defaultRegion);
  if (!cache) {
    cache = new Map();
    caches.set(defaultRegion, cache);
  }
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const parsed = parsePhoneNumberFromString(raw, defaultRegion);
  const e164 = parsed && parsed.isValid() ? parsed.number : null;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(raw, e164);
  return e164;
}

const E164_SHAPE = /^\+[1-9]\d{6,14}$/;

/** True when `value` is a valid E.164 number (strict shape, then libphonenumber's validity check). */
export function isValidE164(value: string): boolean {
  if (!E164_SHAPE.test(value)) return false;
  const parsed = parsePhoneNumberFromString(value);
  return parsed !== undefined && parsed.isValid() && parsed.number === value;
}

/**
 * E.164 -> the spelling a vendor that stores national numbers expects: the national significant number when
 * the number belongs to the default region ("+16514737960" -> "6514737960"), E.164 otherwise.
 */
export function toNationalDigits(e164: string, defaultRegion: CountryCode): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === defaultRegion ? String(parsed.nationalNumber) : parsed.number;
}
