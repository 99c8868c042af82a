/**
 * The body of a subscription callback: the seed's two examples (004_a14d1ced807a3306.txt) merged with the
 * current docs' person fields (vendor-apis.md 3.5), without the seed's documentation artefacts (the
 * `"callback:id","DEF123"` typo and the `//deprecated` comments):
 *
 *   {"callback_id": "DEF124", "event_id": "AB234SDFD234",
 *    "callback_type": "subscription_removed", "event_type": "subscription_removed",
 *    "event_date": "2017-03-15T15:42:23Z", "delivery_attempt": "1",
 *    "subscription": {
 *      "person": {"id", "person_key", "external_id"?, "external_person_id"?, "url", "mobile_phone"?: {"mdn"}},
 *      "subscription_list": {"id", "url"},
 *      "opt_in_date": "…Z", "opt_out_date"?: "2017-02-18T15:34:52+0000", "opt_out_reason"?: "user_opt_out",
 *      "acquisition_campaign"?: {"id", "url"}, "url"}}
 *
 * `callback_id` is the registration's id; `delivery_attempt` is a string counting this event's attempts to this
 * registration (seed; the docs list it as not found, the seed wins); the MDN is spelled per the registration's
 * API version. `event_date` is when the subscription changed (opt-in or opt-out time).
 */
import { renderMdn } from './vibes.mdn.js';
import { campaignUrl, isoSeconds, isoSecondsOffset, listUrl, personUrl, subscriptionUrl } from './vibes.model.js';
import type { ApiVersion, StoredPerson, StoredSubscription, SubscriptionCallbackType } from './vibes.model.js';

/** What happened, frozen when it happened (later edits of the person do not change queued deliveries). */
export interface SubscriptionEvent {
  readonly type: SubscriptionCallbackType;
  readonly eventId: string;
  readonly companyKey: string;
  readonly person: Readonly<StoredPerson>;
  readonly subscription: Readonly<StoredSubscription>;
}

export interface CallbackPersonWire {
  id: string;
  person_key: string;
  external_id?: string;
  external_person_id?: string;
  url: string;
  mobile_phone?: { mdn: string };
}

export interface SubscriptionCallbackWire {
  callback_id: string;
  event_id: string;
  callback_type: SubscriptionCallbackType;
  event_type: SubscriptionCallbackType;
  event_date: string;
  delivery_attempt: string;
  subscription: {
    person: CallbackPersonWire;
    subscription_list: { id: string; url: string };
    opt_in_date: string;
    opt_out_date?: string;
    opt_out_reason?: string;
    acquisition_campaign?: { id: string; url: string };
    url: string;
  };
}

/** The event from a store change: snapshots, so the payload is what the state was at that moment. */
export function subscriptionEvent(
  type: SubscriptionCallbackType,
  record: StoredSubscription,
  person: StoredPerson,
  companyKey: string,
): SubscriptionEvent {
  return {
    type,
    eventId: record.eventId,
    companyKey,
    person: { ...person, customFields: structuredClone(person.customFields) },
    subscription: { ...record },
  };
}

/** When the event happened: the opt-out time for a removal, the opt-in time otherwise. */
export function eventDate(event: SubscriptionEvent): number {
  return event.type === 'subscription_removed' && event.subscription.optOutDate !== null
    ? event.subscription.optOutDate
    : event.subscription.optInDate;
}

export function callbackPayload(event: SubscriptionEvent, callbackId: string, apiVersion: ApiVersion, attempt: number): SubscriptionCallbackWire {
  const { person: p, subscription: s, companyKey: ck } = event;
  const person: CallbackPersonWire = {
    id: p.personId,
    person_key: p.personKey,
    ...(p.externalPersonId === null ? {} : { external_id: p.externalPersonId, external_person_id: p.externalPersonId }),
    url: personUrl(ck, p.personId),
    ...(p.mdn === null ? {} : { mobile_phone: { mdn: renderMdn(p.mdn, apiVersion) } }),
  };
  const removed = event.type === 'subscription_removed';
  return {
    callback_id: callbackId,
    event_id: event.eventId,
    callback_type: event.type,
    event_type: event.type,
    event_date: isoSeconds(eventDate(event)),
    delivery_attempt: String(attempt),
    subscription: {
      person,
      subscription_list: { id: s.listId, url: listUrl(ck, s.listId) },
      opt_in_date: isoSeconds(s.optInDate),
      ...(removed && s.optOutDate !== null ? { opt_out_date: isoSecondsOffset(s.optOutDate) } : {}),
      ...(removed && s.optOutReason !== null ? { opt_out_reason: s.optOutReason } : {}),
      ...(s.campaignId === null ? {} : { acquisition_campaign: { id: s.campaignId, url: campaignUrl(ck, s.campaignId) } }),
      url: subscriptionUrl(ck, s.personId, s.listId),
    },
  };
}
