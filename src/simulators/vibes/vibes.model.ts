/**
 * The Vibes Mobile Engagement Platform simulator's stored records and the constants of the vendor's wire format
 * (vendor-apis.md section 3, seed 004_a14d1ced807a3306.txt; the seed wins).
 */

/** The API versions the `X-API-Version` header selects (sourced: every operation's default is 1). */
export const API_VERSIONS = [1, 2] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
export const DEFAULT_API_VERSION: ApiVersion = 1;

/** `opt_out_reason` values (sourced: Vibes OpenAPI mirror `subscriptionResponse`). */
export const OPT_OUT_REASONS = [
  'user_opt_out',
  'disconnect',
  'list_archived',
  'bulk_opt_out',
  'failed_at_carrier',
  'obsolete_carrier',
  'platform_opt_out',
  'keyword_opt_out',
  'api_opt_out',
  'button_opt_out',
] as const;
export type OptOutReason = (typeof OPT_OUT_REASONS)[number];

/** The subscription callbacks the simulator delivers. */
export const SUBSCRIPTION_CALLBACK_TYPES = ['subscription_added', 'subscription_removed'] as const;
export type SubscriptionCallbackType = (typeof SUBSCRIPTION_CALLBACK_TYPES)[number];

/** Every callback type Vibes registers (sourced: mirror `callbackRequest-*`); only the two above are simulated. */
export const KNOWN_CALLBACK_TYPES = [
  ...SUBSCRIPTION_CALLBACK_TYPES,
  'person_added',
  'person_updated',
  'subscription_list_added',
  'subscription_list_updated',
  'ack_participant_added',
  'ack_participant_changed',
  'company_participant_added',
  'company_participant_changed',
  'unmatched_message_received',
  'device_added',
  'device_updated',
  'device_removed',
  'wallet_item_install',
  'wallet_item_remove',
  'event_processed',
] as const;

/** `external_person_id` is at most 128 characters (sourced: mirror `personRequest`). */
export const EXTERNAL_ID_MAX_LENGTH = 128;
/** A destination URL is at most 1024 characters; a company holds at most 50 (sourced: callback-api page). */
export const CALLBACK_URL_MAX_LENGTH = 1024;
export const MAX_CALLBACK_REGISTRATIONS = 50;

/** Single-select custom field value; multi-select is an array of these (sourced: person page diff). */
export interface CustomFieldOption {
  readonly id: string;
  readonly name: string;
  readonly option_key?: string;
}
export type CustomFieldValue = string | CustomFieldOption | readonly CustomFieldOption[];
export type CustomFields = Readonly<Record<string, CustomFieldValue>>;

export interface StoredPerson {
  /** Deprecated id, still what callbacks and URLs carry (`person.id`, `/persons/{person_id}`). */
  readonly personId: string;
  /** The preferred id (sourced: person-api page). Paths accept either. */
  readonly personKey: string;
  externalPersonId: string | null;
  /** Canonical E.164 (`+16514737960`); rendered per API version on the wire. */
  mdn: string | null;
  carrierCode: string | null;
  customFields: Record<string, CustomFieldValue>;
  readonly createdAt: number;
  updatedAt: number;
}

/**
 * One subscription record. Unsubscribe + resubscribe creates a new record for the same list (sourced: person-api
 * page), so a person can hold several per list; at most one of them is active (optOutDate null).
 */
export interface StoredSubscription {
  /** Internal order of creation. */
  readonly seq: number;
  /**
   * The event id its callbacks carry. (inferred from the seed, whose subscription_added and subscription_removed
   * examples for the same person and list share one event_id): one id per record, shared by its added and removed
   * callbacks, so a receiver must dedupe on (event_id, callback_type).
   */
  readonly eventId: string;
  readonly personId: string;
  readonly listId: string;
  /** The acquisition campaign that brought the subscription in (callbacks carry it, as in the seed). */
  readonly campaignId: string | null;
  readonly optInDate: number;
  optOutDate: number | null;
  optOutReason: OptOutReason | null;
}

export interface SubscriptionList {
  readonly id: string;
  readonly name: string;
}

export interface AcquisitionCampaign {
  readonly id: string;
  readonly name: string;
  /** The list a participant joins. */
  readonly listId: string;
  /** Keyword a person texts to join (documentation only: the control route /__sim/subscriptions plays it). */
  readonly keyword: string;
}

export interface VibesSeedData {
  readonly lists: readonly SubscriptionList[];
  readonly campaigns: readonly AcquisitionCampaign[];
  /** Custom fields configured for the company; a body naming another is a 422 (sourced: add-participant 422s). */
  readonly customFieldNames: readonly string[];
  readonly persons: readonly StoredPerson[];
  readonly subscriptions: readonly Omit<StoredSubscription, 'seq'>[];
}

/** Switches for behaviour the docs leave open. */
export interface VibesBehaviour {
  /**
   * What a successful PUT of a person answers. 'submitted' (default): the body the client sent, as the seed says
   * ("Same Person body you submitted is returned"); 'person': the stored person (the mirror's personResponse).
   */
  putResponse: 'submitted' | 'person';
  /** DELETE …/subscriptions/{list_id}: 200 with the ended subscription record (default) or 204 without a body. */
  optOutStatus: 200 | 204;
  /**
   * DELETE of a list the person is not (or no longer) subscribed to: 'not_found' (default, the mirror: "404 …
   * already not subscribed") or 'subscription' (200 with the latest, inactive record; 404 when there is none).
   */
  repeatOptOut: 'not_found' | 'subscription';
}

export const DEFAULT_BEHAVIOUR: Readonly<VibesBehaviour> = Object.freeze({
  putResponse: 'submitted',
  optOutStatus: 200,
  repeatOptOut: 'not_found',
});

/** Paths under the company (`/companies/{company_key}` + these). */
export const personUrl = (companyKey: string, personId: string): string => `/companies/${companyKey}/mobiledb/persons/${personId}`;
export const listUrl = (companyKey: string, listId: string): string => `/companies/${companyKey}/mobiledb/subscription_lists/${listId}`;
export const subscriptionUrl = (companyKey: string, personId: string, listId: string): string =>
  `${personUrl(companyKey, personId)}/subscriptions/${listId}`;
export const campaignUrl = (companyKey: string, campaignId: string): string =>
  `/companies/${companyKey}/campaigns/acquisition/${campaignId}`;
export const callbackUrl = (companyKey: string, callbackId: string): string => `/companies/${companyKey}/config/callbacks/${callbackId}`;

/** ISO-8601 to the second, `Z` (the docs' examples carry no milliseconds). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The subscription_removed callback's `opt_out_date` spelling in the seed: `2017-02-18T15:34:52+0000` (a basic
 * offset, unlike every other date). Reproduced so a receiver's date parsing meets it.
 */
export function isoSecondsOffset(ms: number): string {
  return isoSeconds(ms).replace(/Z$/, '+0000');
}
