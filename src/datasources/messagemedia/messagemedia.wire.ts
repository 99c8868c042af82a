/**
 * MessageMedia's Dedicated Numbers wire format, as the gateway reads it (vendor-apis.md section 2 and seed
 * 001_90a91e3bcc51e662.txt): snake_case JSON, null fields usually omitted. Every field is typed as loosely as
 * the vendor may send it; the mapper decides what is readable.
 */

/** Every path starts here (never `/v1/numbers`: that is the vendor's internal service). */
export const DEDICATED_PATH = 'v1/messaging/numbers/dedicated';

export interface WireDedicatedNumber {
  id?: unknown;
  /** "+61436489205" (seed, gateway fixtures) or "61436489205" (the newer spec); a US short code's bare digits. */
  phone_number?: unknown;
  country?: unknown;
  type?: unknown;
  classification?: unknown;
  /** ISO date-time; omitted when null (every assigned number). */
  available_after?: unknown;
  capabilities?: unknown;
}

export interface WireAssignment {
  id?: unknown;
  number_id?: unknown;
  label?: unknown;
  metadata?: unknown;
}

export interface WireAssignedNumber {
  number?: WireDedicatedNumber;
  assignment?: WireAssignment;
}

export interface WirePagination {
  page_size?: unknown;
  /** "Omit or null when there are no further pages." */
  next_token?: unknown;
}

export interface WireList<T> {
  data?: T[];
  pagination?: WirePagination;
}

/** The body of POST and PATCH .../{numberId}/assignment. PATCH: absent = unchanged, null = cleared. */
export interface WireAssignmentWrite {
  label?: string | null;
  metadata?: Record<string, string> | null;
}

/** `GET /dedicated` parameters (snake_case; lists as comma lists, which the vendor accepts). */
export interface WireSearchQuery {
  country: string;
  service_types?: string;
  types?: string;
  matching?: string;
  classification?: string;
  page_size: number;
  token?: string;
  [key: string]: string | number | undefined;
}

/** `GET /dedicated/assignments` parameters. */
export interface WireAssignmentsQuery {
  page_size: number;
  token?: string;
  label?: string;
  [key: string]: string | number | undefined;
}
