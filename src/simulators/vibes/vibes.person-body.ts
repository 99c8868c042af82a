/**
 * The person request body of POST …/persons and PUT …/persons/{key} (sourced: mirror `personRequest`):
 * `{"external_person_id"?: string ≤128, "mobile_phone"?: {"mdn"?: string|null, "carrier_code"?: string|null} | null,
 *   "custom_fields"?: {name: value}}`.
 *
 * Status rules (vendor-apis.md 3.4): a malformed MDN is a 400 (checked first, alone); every other rejection is
 * a 422 listing all problems. `person_id`, `person_key`, `timezone_source`, `created_at`, `updated_at` "are not
 * allowed, and any values will be ignored" (seed); (inferred) other unknown top-level fields are ignored too.
 *
 * (inferred) Stricter than the vendor may be, so a client bug shows: external_person_id must be a non-empty
 * string (null is refused: it cannot be removed), carrier_code a numeric string, custom field values a string,
 * an `{id, name}` option or an array of options (null removes the field), and custom field names must be
 * configured for the company ("If there is custom data you want to store, you need to set up the custom fields
 * ahead of time", seed; the add-participant 422 lists unknown custom fields).
 */
import { isPlainObject } from '../framework/http.js';
import { parseMdn } from './vibes.mdn.js';
import { EXTERNAL_ID_MAX_LENGTH } from './vibes.model.js';
import type { ApiVersion, CustomFieldOption, CustomFieldValue } from './vibes.model.js';
import type { PersonChanges } from './vibes.store.js';

/** A rejected body: the status (400 or 422) and the messages of Vibes' `errors` list. */
export class PersonBodyError extends Error {
  override readonly name = 'PersonBodyError';
  constructor(
    readonly status: 400 | 422,
    readonly messages: readonly string[],
  ) {
    super(messages.join('; '));
  }
}

function isOption(value: unknown): value is CustomFieldOption {
  if (!isPlainObject(value)) return false;
  const { id, name, option_key: optionKey } = value;
  return typeof id === 'string' && typeof name === 'string' && (optionKey === undefined || typeof optionKey === 'string');
}

function customFieldValue(value: unknown): CustomFieldValue | null | undefined {
  if (value === null || typeof value === 'string') return value;
  if (isOption(value)) return value;
  if (Array.isArray(value) && value.every(isOption)) return value;
  return undefined;
}

/** The MDN of a body, as the API version spells it; a PersonBodyError(400) when malformed. */
function readMdn(phone: Record<string, unknown>, version: ApiVersion, problems: string[]): string | null | undefined {
  const raw = phone['mdn'];
  if (raw === undefined || raw === null) return raw;
  if (typeof raw !== 'string') {
    problems.push('mobile_phone.mdn must be a string or null.');
    return undefined;
  }
  const parsed = parseMdn(raw, version);
  if (!parsed.ok) throw new PersonBodyError(400, [parsed.message]);
  return parsed.e164;
}

export function parsePersonBody(body: unknown, version: ApiVersion, customFieldNames: ReadonlySet<string>): PersonChanges {
  if (!isPlainObject(body)) throw new PersonBodyError(422, ['The request body must be a JSON object.']);
  const problems: string[] = [];
  const changes: { -readonly [K in keyof PersonChanges]: PersonChanges[K] } = {};

  const external = body['external_person_id'];
  if (external !== undefined) {
    if (typeof external !== 'string' || external.trim() === '') {
      problems.push('external_person_id must be a non-empty string.');
    } else if (external.length > EXTERNAL_ID_MAX_LENGTH) {
      problems.push(`external_person_id must be at most ${EXTERNAL_ID_MAX_LENGTH} characters.`);
    } else {
      changes.externalPersonId = external;
    }
  }

  const phone = body['mobile_phone'];
  if (phone === null) {
    changes.mdn = null;
  } else if (phone !== undefined) {
    if (!isPlainObject(phone)) {
      problems.push('mobile_phone must be an object or null.');
    } else {
      const mdn = readMdn(phone, version, problems);
      if (mdn !== undefined) changes.mdn = mdn;
      const carrier = phone['carrier_code'];
      if (carrier === null) changes.carrierCode = null;
      else if (carrier !== undefined) {
        if (typeof carrier !== 'string' || !/^\d{1,6}$/.test(carrier)) problems.push('mobile_phone.carrier_code must be a numeric string.');
        else changes.carrierCode = carrier;
      }
    }
  }

  const fields = body['custom_fields'];
  if (fields !== undefined) {
    if (!isPlainObject(fields)) {
      problems.push('custom_fields must be an object.');
    } else {
      const out: Record<string, CustomFieldValue | null> = {};
      for (const [name, raw] of Object.entries(fields)) {
        if (!customFieldNames.has(name)) {
          problems.push(`Unknown custom field: ${name}.`);
          continue;
        }
        const value = customFieldValue(raw);
        if (value === undefined) {
          problems.push(`custom_fields.${name} must be a string, an {id, name} option, a list of options, or null.`);
          continue;
        }
        Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
      }
      changes.customFields = out;
    }
  }

  if (problems.length > 0) throw new PersonBodyError(422, problems);
  return changes;
}
