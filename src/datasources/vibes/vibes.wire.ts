/**
 * Vibes' wire format as the gateway reads it (vendor-apis.md section 3, seed 004; `X-API-Version: 2`, so MDNs are
 * E.164): snake_case JSON, absent fields usually omitted. Every read field is typed as loosely as the vendor may
 * send it; the mapper decides what is readable.
 */

export interface WireMobilePhone {
  mdn?: unknown;
  carrier_code?: unknown;
}

/** personResponse: `person_key` is the preferred id, `person_id` the deprecated one (callbacks still carry it). */
export interface WirePerson {
  person_id?: unknown;
  person_key?: unknown;
  external_person_id?: unknown;
  mobile_phone?: WireMobilePhone | null;
  custom_fields?: unknown;
  created_at?: unknown;
  updated_at?: unknown;
  url?: unknown;
}

/** subscriptionResponse: one record per subscription; active while `opt_out_date` is absent. */
export interface WireSubscription {
  person?: { id?: unknown; url?: unknown } | null;
  subscription_list?: { id?: unknown; url?: unknown } | null;
  opt_in_date?: unknown;
  opt_out_date?: unknown;
  opt_out_reason?: unknown;
  url?: unknown;
}

/** Every 4xx: `{"errors": [{"message": "The MDN field is required", "code": 1}, ...]}` (some answers have no body). */
export interface WireErrors {
  errors?: Array<{ message?: unknown; code?: unknown }>;
}

export interface WireCustomFieldOption {
  id: string;
  name: string;
  option_key?: string;
}

export type WireCustomFieldValue = string | WireCustomFieldOption | WireCustomFieldOption[];

/**
 * personRequest for POST (add) and PUT (partial update): only what changes. `mobile_phone.mdn: null` removes the MDN
 * ("you may remove an MDN by setting the value to null"); a custom field set to null is removed.
 */
export interface WirePersonWrite {
  external_person_id?: string;
  mobile_phone?: { mdn?: string | null; carrier_code?: string | null };
  custom_fields?: Record<string, WireCustomFieldValue | null>;
}
