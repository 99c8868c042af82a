/**
 * What the person fields and mutations accept, checked before any Vibes call: the external id's documented bound,
 * ids that fit a path segment, carrier codes, custom fields within the gateway's bounds, and which fields an explicit
 * null may clear. The text rules are the shared ones in src/validation; nothing here echoes a value (nor a custom
 * field's name: it is the client's text).
 */
import { BadUserInputError } from '../../errors/errors.js';
import { isValidE164 } from '../../phone/e164.js';
import type { PersonInput } from '../../schema/person/person.input.js';
import {
  CARRIER_CODE_PATTERN,
  CUSTOM_FIELDS_MAX_ENTRIES,
  CUSTOM_FIELD_NAME_MAX_LENGTH,
  CUSTOM_FIELD_OPTIONS_MAX,
  CUSTOM_FIELD_OPTION_TEXT_MAX_LENGTH,
  CUSTOM_FIELD_TEXT_MAX_LENGTH,
  EXTERNAL_ID_MAX_LENGTH,
  VIBES_ID_MAX_LENGTH,
} from '../../schema/person/person.limits.js';
import { checkText, refuseNull } from '../../validation/input.js';
import type { WireCustomFieldOption, WireCustomFieldValue } from './vibes.wire.js';

function fail(path: string, problem: string): never {
  throw new BadUserInputError(`${path} ${problem}`, { argument: path });
}

const VIBES_ID = new RegExp(`^[A-Za-z0-9_-]{1,${VIBES_ID_MAX_LENGTH}}$`);
const FIELD_NAME = new RegExp(`^[A-Za-z0-9_-]{1,${CUSTOM_FIELD_NAME_MAX_LENGTH}}$`);
const OPTION_KEYS: ReadonlySet<string> = new Set(['id', 'name', 'option_key']);

/** person_key (a UUID) or the deprecated person_id: both address the person in a path. */
export function checkPersonKey(value: string, path = 'key'): string {
  if (!VIBES_ID.test(value)) fail(path, `must be a Vibes person key (1-${VIBES_ID_MAX_LENGTH} letters, digits, "-" or "_").`);
  return value;
}

export function checkListId(value: string, path = 'listId'): string {
  if (!VIBES_ID.test(value)) fail(path, `must be a Vibes list id (1-${VIBES_ID_MAX_LENGTH} letters, digits, "-" or "_").`);
  return value;
}

/**
 * external_person_id: 1-128 characters (the person API's request schema). It is also a path segment
 * (`persons/external/{id}`): a "/" or "\" would be read as a separator by servers and proxies, and "." or ".." as
 * a relative path, so a person written with one could never be read back.
 */
export function checkExternalId(value: string, path = 'externalId'): string {
  checkText(value, path, { max: EXTERNAL_ID_MAX_LENGTH, min: 1 });
  if (value.trim() === '') fail(path, 'must not be blank.');
  if (/[/\\]/.test(value) || value === '.' || value === '..') fail(path, 'must not contain "/" or "\\", nor be "." or "..": Vibes reads it in the URL path.');
  return value;
}

export function checkCarrierCode(value: string, path = 'carrierCode'): string {
  if (!CARRIER_CODE_PATTERN.test(value)) fail(path, 'must be a Vibes carrier code: 1 to 6 digits, e.g. "104".');
  return value;
}

export function checkMobile(value: string, path = 'mobile'): string {
  if (!isValidE164(value)) fail(path, 'must be a valid E.164 number such as +16789321578.');
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The shared text rules, reported at `path` (the field's own name is the client's text: never echoed). */
function text(value: string, path: string, max: number, min = 0): string {
  try {
    return checkText(value, path, { max, min });
  } catch {
    return fail(path, `${min > 0 ? 'option texts' : 'text values'} must be ${min}-${max} characters without control characters.`);
  }
}

function option(value: unknown, path: string): WireCustomFieldOption | undefined {
  if (!isPlainObject(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.some(([key]) => !OPTION_KEYS.has(key))) fail(path, 'options take only id, name and option_key.');
  const { id, name, option_key: optionKey } = value;
  if (typeof id !== 'string' || typeof name !== 'string' || (optionKey !== undefined && typeof optionKey !== 'string')) {
    fail(path, 'options need string id and name (and, optionally, a string option_key).');
  }
  for (const part of [id, name, optionKey]) if (part !== undefined) text(part, path, CUSTOM_FIELD_OPTION_TEXT_MAX_LENGTH, 1);
  return optionKey === undefined ? { id, name } : { id, name, option_key: optionKey };
}

function fieldValue(value: unknown, path: string): WireCustomFieldValue | null {
  if (value === null) return null;
  if (typeof value === 'string') return text(value, path, CUSTOM_FIELD_TEXT_MAX_LENGTH);
  if (Array.isArray(value)) {
    if (value.length > CUSTOM_FIELD_OPTIONS_MAX) fail(path, `lists take at most ${CUSTOM_FIELD_OPTIONS_MAX} options.`);
    return value.map((entry) => option(entry, path) ?? fail(path, 'lists must hold {id, name} options only.'));
  }
  const single = option(value, path);
  if (single !== undefined) return single;
  return fail(path, 'values must be a string, an {id, name} option, a list of options, or null (removes the field).');
}

/**
 * A JSONObject narrowed to what Vibes stores: at most 50 fields named like Vibes names them, each a string, an
 * option, a list of options, or null (Vibes removes that field).
 */
export function checkCustomFields(value: Record<string, unknown>, path = 'input.customFields'): Record<string, WireCustomFieldValue | null> {
  const entries = Object.entries(value);
  if (entries.length > CUSTOM_FIELDS_MAX_ENTRIES) fail(path, `takes at most ${CUSTOM_FIELDS_MAX_ENTRIES} fields.`);
  const out: Record<string, WireCustomFieldValue | null> = {};
  for (const [name, field] of entries) {
    if (!FIELD_NAME.test(name)) fail(path, `names must be 1-${CUSTOM_FIELD_NAME_MAX_LENGTH} letters, digits, "-" or "_".`);
    // defineProperty, not assignment: a "__proto__" name stays an ordinary entry.
    Object.defineProperty(out, name, { value: fieldValue(field, path), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A validated upsert: undefined = unchanged, null = clear. */
export interface PersonChanges {
  readonly externalId?: string;
  readonly mobile?: string | null;
  readonly carrierCode?: string | null;
  readonly customFields?: Readonly<Record<string, WireCustomFieldValue | null>>;
}

export function validatePersonInput(input: PersonInput): PersonChanges {
  const changes: { -readonly [K in keyof PersonChanges]: PersonChanges[K] } = {};
  if (input.externalId === null) {
    refuseNull('input.externalId', 'Vibes keeps an external id once it is set; leave the field out to write a person without one.');
  }
  if (input.externalId !== undefined) changes.externalId = checkExternalId(input.externalId, 'input.externalId');
  if (input.mobile !== undefined) changes.mobile = input.mobile === null ? null : checkMobile(input.mobile, 'input.mobile');
  if (input.carrierCode !== undefined) {
    changes.carrierCode = input.carrierCode === null ? null : checkCarrierCode(input.carrierCode, 'input.carrierCode');
    if (changes.mobile === null && changes.carrierCode !== null) {
      fail('input.carrierCode', 'needs an MDN: removing the MDN removes its carrier code.');
    }
  }
  if (input.customFields === null) refuseNull('input.customFields', 'set each custom field to null to remove it.');
  if (input.customFields !== undefined) changes.customFields = checkCustomFields(input.customFields);
  if (changes.externalId === undefined && typeof changes.mobile !== 'string') {
    throw new BadUserInputError(
      'input needs externalId or mobile: Vibes updates the person with that external id, or merges a new one into the person holding that MDN.',
      { argument: 'input' },
    );
  }
  return changes;
}

export type PersonLookup =
  | { readonly by: 'key'; readonly value: string }
  | { readonly by: 'externalId'; readonly value: string }
  | { readonly by: 'mobile'; readonly value: string };

/** `person(key | externalId | mobile)`: exactly one of them (null counts as not given). */
export function validatePersonLookup(args: { key?: string | null; externalId?: string | null; mobile?: string | null }): PersonLookup {
  const given = (['key', 'externalId', 'mobile'] as const).filter((name) => args[name] !== undefined && args[name] !== null);
  if (given.length !== 1) {
    throw new BadUserInputError('person takes exactly one of key, externalId and mobile.', given.length > 1 ? { argument: given[1] } : {});
  }
  const by = given[0]!;
  const value = args[by]!;
  switch (by) {
    case 'key':
      return { by, value: checkPersonKey(value, 'key') };
    case 'externalId':
      return { by, value: checkExternalId(value, 'externalId') };
    case 'mobile':
      return { by, value: checkMobile(value, 'mobile') };
  }
}
