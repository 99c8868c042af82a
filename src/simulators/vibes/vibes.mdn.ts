/**
 * MDN spelling per API version (vendor-apis.md 3.1): version 2 requires E.164 ("+12135551234"); version 1 cannot
 * use E.164 and takes the US 10-digit number ("2995551234", the seed's v1 example). The store keeps E.164.
 *
 * (inferred) Version 1 accepts exactly 10 digits with a NANP area code (first digit 2-9); a leading country code
 * "1" or any punctuation is a format error. Version 2 accepts `+` and 7-15 digits; a `+1` number must have a
 * 10-digit national part. Vibes' deeper checks (carrier provisioning, landlines: a 422 on add-participant) are not
 * simulated.
 */
import { API_VERSIONS, DEFAULT_API_VERSION } from './vibes.model.js';
import type { ApiVersion } from './vibes.model.js';

export type MdnParse =
  | { readonly ok: true; readonly e164: string }
  | { readonly ok: false; readonly message: string };

const V1_RE = /^[2-9]\d{9}$/;
const E164_RE = /^\+[1-9]\d{6,14}$/;
const NANP_E164_RE = /^\+1[2-9]\d{9}$/;

export const V1_E164_REFUSED = 'E.164 format is not supported in API version 1; send the 10-digit number.';
export const V1_BAD_FORMAT = 'Invalid MDN format; API version 1 expects a 10-digit US number.';
export const V2_BAD_FORMAT = 'Invalid MDN format; API version 2 requires E.164 (e.g. +12135551234). In a query string send %2B for +.';

/** Parse an MDN as the given API version spells it. Never echoes the value (it is a phone number). */
export function parseMdn(raw: string, version: ApiVersion): MdnParse {
  if (version === 1) {
    if (raw.startsWith('+')) return { ok: false, message: V1_E164_REFUSED };
    return V1_RE.test(raw) ? { ok: true, e164: `+1${raw}` } : { ok: false, message: V1_BAD_FORMAT };
  }
  if (!E164_RE.test(raw)) return { ok: false, message: V2_BAD_FORMAT };
  if (raw.startsWith('+1') && !NANP_E164_RE.test(raw)) return { ok: false, message: V2_BAD_FORMAT };
  return { ok: true, e164: raw };
}

/**
 * The wire spelling of a stored E.164 MDN. Version 1: the 10-digit national number of a +1 MDN; (inferred) the
 * digits without `+` for any other country, which version 1 cannot express.
 */
export function renderMdn(e164: string, version: ApiVersion): string {
  if (version === 2) return e164;
  return e164.startsWith('+1') && e164.length === 12 ? e164.slice(2) : e164.slice(1);
}

/**
 * Control routes and test helpers take either spelling: E.164, or a 10-digit US number. Returns undefined for
 * anything else.
 */
export function anyMdn(raw: string): string | undefined {
  const trimmed = raw.trim();
  const parsed = parseMdn(trimmed, trimmed.startsWith('+') ? 2 : 1);
  return parsed.ok ? parsed.e164 : undefined;
}

export type VersionParse = { readonly ok: true; readonly version: ApiVersion } | { readonly ok: false };

/** `X-API-Version`: absent or empty means 1 (sourced); "1" or "2" otherwise; (inferred) anything else is a 400. */
export function parseApiVersion(header: string | undefined): VersionParse {
  if (header === undefined || header.trim() === '') return { ok: true, version: DEFAULT_API_VERSION };
  const n = Number(header.trim());
  const version = API_VERSIONS.find((v) => v === n);
  return version === undefined ? { ok: false } : { ok: true, version };
}
