/**
 * The MessageMedia (Sinch) Dedicated Numbers simulator's stored records and the constants of the vendor's wire
 * format (vendor-apis.md section 2, seed 001_90a91e3bcc51e662.txt).
 */

/** Every public endpoint lives under this path (NOT `/v1/numbers`, which is the vendor's internal service). */
export const BASE_PATH = '/v1/messaging/numbers/dedicated';

export const NUMBER_TYPES = [
  'MOBILE',
  'LANDLINE',
  'TEN_DLC',
  'TOLL_FREE',
  'SHORT_CODE',
  'HOSTED_TEN_DLC',
  'HOSTED_TOLL_FREE',
] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

export const CLASSIFICATIONS = ['BRONZE', 'SILVER', 'GOLD'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** `service_types` in queries, `capabilities` in bodies. */
export const CAPABILITIES = ['SMS', 'MMS', 'TTS'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** `sort_by` of the assigned-numbers list (copied from the reporting API; accepted and validated, no effect). */
export const ASSIGNMENT_SORT_BY = [
  'ACCOUNT',
  'ACTION',
  'DESTINATION_ADDRESS',
  'DESTINATION_ADDRESS_COUNTRY',
  'FORMAT',
  'SOURCE_ADDRESS',
  'SOURCE_ADDRESS_COUNTRY',
  'TIMESTAMP',
] as const;
export const SORT_DIRECTIONS = ['ASCENDING', 'DESCENDING'] as const;

/** Default `page_size` (sourced: spec "default 50"). */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest accepted `page_size` (inferred: the maximum is UNKNOWN; larger values get 400). */
export const DEFAULT_MAX_PAGE_SIZE = 100;

/** Vendor validation limits (sourced: gateway MutableAssignment.java / UpdateAssignment.java; label inferred 100). */
export const METADATA_MAX_ENTRIES = 5;
export const METADATA_KEY_MAX_LENGTH = 100;
export const METADATA_VALUE_MAX_LENGTH = 256;
export const LABEL_MAX_LENGTH = 100;

/**
 * Days a released number stays out of search (sourced: numbers-service config.properties
 * `numbers.service.availability.graceperiod.days=45`; disassociateAssignment sets available_after = now + 45 days).
 */
export const DEFAULT_RELEASE_GRACE_DAYS = 45;

/** Canonical 8-4-4-4-12 hex UUID, any case (ids and tokens are `java.util.UUID` at the vendor). */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** One number of the inventory. */
export interface StoredNumber {
  /** Lower-case UUID; the inventory is ordered by it (the vendor sorts by id and pages by id). */
  readonly id: string;
  /** E.164 with '+' for long numbers; a SHORT_CODE is its bare 5-6 digits (inferred). */
  readonly phoneNumber: string;
  /** ISO-3166 alpha-2. */
  readonly country: string;
  readonly type: NumberType;
  readonly classification: Classification;
  readonly capabilities: readonly Capability[];
  /**
   * Epoch ms of the earliest assignable time; null = no restriction (omitted on the wire). The vendor nulls it on
   * assignment and sets it to now + grace period on release, so it is mutable.
   */
  availableAfter: number | null;
}

/** An assignment of a number to the simulated account. */
export interface StoredAssignment {
  readonly id: string;
  readonly numberId: string;
  label: string | null;
  metadata: Record<string, string> | null;
}

/** Where a number stands, as the simulator's test helpers describe it. */
export type NumberState = 'available' | 'not_yet_available' | 'assigned' | 'other_account';

/** The seed a simulator starts from (and returns to on resetData()). */
export interface MessageMediaSeedData {
  readonly numbers: readonly StoredNumber[];
  /** Numbers already assigned to the simulated account. */
  readonly assignments: readonly StoredAssignment[];
  /** Numbers assigned to some other account: invisible to search, 409 on assign, 404 on .../assignment. */
  readonly otherAccountNumberIds: readonly string[];
  /** Ids handed to new assignments first, in order; later ones come from a seeded PRNG. */
  readonly firstAssignmentIds: readonly string[];
  /** Seed of the PRNG that mints assignment ids after firstAssignmentIds run out. */
  readonly assignmentIdSeed: number;
}

export type PatchAssignmentStatus = 200 | 204;
export type UnknownTokenMode = 'continue' | 'reject';
export type PhoneNumberFormat = 'e164' | 'digits';

/** Switchable vendor behaviour where the sources disagree or are silent (GET|PUT /__sim/behaviour). */
export interface MessageMediaBehaviour {
  /**
   * PATCH .../assignment: 200 with the Assignment (the seed article shows a body, the gateway code answers 200) or
   * 204 without a body (the OpenAPI spec's status).
   */
  patchAssignmentStatus: PatchAssignmentStatus;
  /**
   * A well-formed token that is no number's id: 'continue' pages on from that position (the vendor's keyset
   * pagination, `id >= token`), 'reject' answers 400 like a malformed one.
   */
  unknownToken: UnknownTokenMode;
  /** 'e164' = "+61439742682" (seed, gateway fixtures); 'digits' = "61439742682" (the newer spec's examples). */
  phoneNumberFormat: PhoneNumberFormat;
  /** Days a released number stays unavailable (0 = searchable again at once). */
  releaseGraceDays: number;
  /** false: the account lacks the Self Serve Dedicated Numbers feature (403 on the feature-gated endpoints). */
  dedicatedNumbersEnabled: boolean;
}

export const DEFAULT_BEHAVIOUR: Readonly<MessageMediaBehaviour> = Object.freeze({
  patchAssignmentStatus: 200,
  unknownToken: 'continue',
  phoneNumberFormat: 'e164',
  releaseGraceDays: DEFAULT_RELEASE_GRACE_DAYS,
  dedicatedNumbersEnabled: true,
});
