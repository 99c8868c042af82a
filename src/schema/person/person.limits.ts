/**
 * Bounds of what the person fields and mutations accept. Plain constants, no decorators: the Vibes datasource reads
 * them too, and `npm run simulators` loads the datasource without reflect-metadata.
 *
 * Vibes documents only the external id's (`external_person_id` at most 128 characters, the person API's request
 * schema). The custom-field bounds are the gateway's: Vibes custom fields are configured per company (names such as
 * `first_name`), so these keep abuse out and every real record in (docs/decisions.md).
 */
export const EXTERNAL_ID_MAX_LENGTH = 128;
/** person_key (a UUID), the deprecated person_id, and list ids: short tokens; 128 leaves room. */
export const VIBES_ID_MAX_LENGTH = 128;
/** Vibes carrier codes are numeric strings ("104" AT&T, "105" T-Mobile). */
export const CARRIER_CODE_PATTERN = /^\d{1,6}$/;
export const CUSTOM_FIELDS_MAX_ENTRIES = 50;
export const CUSTOM_FIELD_NAME_MAX_LENGTH = 64;
export const CUSTOM_FIELD_TEXT_MAX_LENGTH = 1000;
/** A multi-select value is a list of `{id, name}` options. */
export const CUSTOM_FIELD_OPTIONS_MAX = 50;
/** Each of an option's `id`, `name` and `option_key`. */
export const CUSTOM_FIELD_OPTION_TEXT_MAX_LENGTH = 256;
