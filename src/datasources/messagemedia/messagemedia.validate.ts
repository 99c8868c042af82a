/**
 * What the number fields and mutations accept, checked before any MessageMedia call, with the vendor's own limits
 * (vendor-apis.md 2.5: metadata at most 5 entries, keys up to 100 characters, values up to 256; label up to 100).
 * MessageMedia is Java and counts a string's length in UTF-16 units, so these bounds do too (an emoji counts
 * twice): a value the gateway lets through is one the vendor takes. Nothing here echoes a value.
 */
import { isSupportedCountry } from 'libphonenumber-js';
import { BadUserInputError } from '../../errors/errors.js';
import { DEFAULT_NUMBERS_PAGE, MAX_NUMBERS_PAGE } from '../../schema/number/number.limits.js';
import { checkIdempotencyKey } from '../../validation/idempotency-key.js';
import { checkText } from '../../validation/input.js';

export const LABEL_MAX_LENGTH = 100;
export const METADATA_MAX_ENTRIES = 5;
export const METADATA_KEY_MAX_LENGTH = 100;
export const METADATA_VALUE_MAX_LENGTH = 256;
/** Digits a `matching` filter may hold: an E.164 number has at most 15. */
const MATCHING = /^\+?\d{1,15}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(path: string, problem: string): never {
  throw new BadUserInputError(`${path} ${problem}`, { argument: path });
}

/** Text within the vendor's UTF-16 bound, and the shared rules (no control characters). */
function vendorText(value: string, path: string, max: number, min = 0): string {
  if (value.length > max) fail(path, `must be at most ${max} characters.`);
  return checkText(value, path, { max, min });
}

/** MessageMedia's ids are UUIDs; answered in lower case, so one number is one loader key however it is spelt. */
export function checkNumberId(value: string, path = 'numberId'): string {
  if (!UUID.test(value)) fail(path, 'must be a MessageMedia number id (a UUID).');
  return value.toLowerCase();
}

/** ISO-3166 alpha-2, any case; only countries with a phone numbering plan can have numbers. */
export function checkCountry(value: string, path = 'country'): string {
  const upper = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper) || !isSupportedCountry(upper)) fail(path, 'must be an ISO-3166 alpha-2 country code, such as AU.');
  return upper;
}

/** Null (the contract's argument is nullable) means the default. */
export function checkFirst(value: number | null | undefined, path = 'first'): number {
  if (value === undefined || value === null) return DEFAULT_NUMBERS_PAGE;
  if (!Number.isInteger(value) || value < 1 || value > MAX_NUMBERS_PAGE) fail(path, `must be between 1 and ${MAX_NUMBERS_PAGE}.`);
  return value;
}

/** Digits, optionally after a "+": MessageMedia matches it inside the number (and reads it as a pattern). */
export function checkMatching(value: string, path = 'matching'): string {
  if (!MATCHING.test(value)) fail(path, 'must be up to 15 digits, optionally after a "+".');
  return value;
}

export function checkLabel(value: string, path = 'label'): string {
  return vendorText(value, path, LABEL_MAX_LENGTH);
}

/** A search term: the same bound as a label, and not empty. */
export function checkLabelFilter(value: string, path = 'label'): string {
  return vendorText(value, path, LABEL_MAX_LENGTH, 1);
}

/** A free-form JSONObject narrowed to what MessageMedia stores: at most 5 string entries within its bounds. */
export function checkMetadata(value: Record<string, unknown>, path = 'metadata'): Record<string, string> {
  const entries = Object.entries(value);
  if (entries.length > METADATA_MAX_ENTRIES) fail(path, `takes at most ${METADATA_MAX_ENTRIES} entries.`);
  const out: Record<string, string> = {};
  for (const [key, entry] of entries) {
    if (key.length === 0 || key.length > METADATA_KEY_MAX_LENGTH) fail(path, `keys must be 1 to ${METADATA_KEY_MAX_LENGTH} characters.`);
    checkText(key, `${path} keys`, { max: METADATA_KEY_MAX_LENGTH });
    if (typeof entry !== 'string') fail(path, 'values must be strings.');
    vendorText(entry, `${path} values`, METADATA_VALUE_MAX_LENGTH);
    // defineProperty, not assignment: a "__proto__" key stays an ordinary entry.
    Object.defineProperty(out, key, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Shared with every idempotent mutation (src/validation/idempotency-key.ts). */
export { checkIdempotencyKey };

export interface AssignInput {
  /** Lower case. */
  readonly numberId: string;
  readonly label: string | null;
  readonly metadata: Record<string, string> | null;
}

/** Absent and null mean the same on assign: no label, no metadata. */
export function validateAssign(args: { numberId: string; label?: string | null; metadata?: Record<string, unknown> | null; idempotencyKey: string }): AssignInput {
  const numberId = checkNumberId(args.numberId);
  const label = args.label === undefined || args.label === null ? null : checkLabel(args.label);
  const metadata = args.metadata === undefined || args.metadata === null ? null : checkMetadata(args.metadata);
  checkIdempotencyKey(args.idempotencyKey);
  return { numberId, label, metadata };
}

/** An update: an absent key is unchanged, null clears it (MessageMedia's PATCH does both). */
export interface AssignmentChanges {
  readonly label?: string | null;
  readonly metadata?: Record<string, string> | null;
}

export function validateAssignmentUpdate(args: { label?: string | null; metadata?: Record<string, unknown> | null }): AssignmentChanges {
  const changes: { label?: string | null; metadata?: Record<string, string> | null } = {};
  if (args.label !== undefined) changes.label = args.label === null ? null : checkLabel(args.label);
  if (args.metadata !== undefined) changes.metadata = args.metadata === null ? null : checkMetadata(args.metadata);
  if (changes.label === undefined && changes.metadata === undefined) {
    throw new BadUserInputError('Name label or metadata to change (null clears one).', { argument: 'label' });
  }
  return changes;
}
