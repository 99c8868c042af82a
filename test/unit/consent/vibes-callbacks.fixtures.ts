/**
 * Vibes subscription callbacks shaped like seed 004 (the vendor's own article), without the article's
 * documentation artefacts (`//deprecated` comments, the `"callback:id","DEF123"` pair): what Vibes sends.
 */

export const SEED_ADDED = {
  callback_id: 'DEF123',
  event_id: 'AB234SDFD234',
  callback_type: 'subscription_added',
  event_type: 'subscription_added',
  event_date: '2017-02-15T15:42:23Z',
  delivery_attempt: '1',
  subscription: {
    person: { id: 'ABC123', external_id: 'ex1234', url: '/companies/:company_key/mobiledb/persons/ABC123' },
    subscription_list: { id: '1234', url: '/companies/:company_key/mobiledb/subscription_lists/1234' },
    opt_in_date: '2017-01-15T15:34:52Z',
    acquisition_campaign: { id: '2342312', url: '/companies/:company_key/campaigns/acquisition/2342312' },
    url: '/companies/:company_key/mobiledb/persons/ABC123/subscriptions/1234',
  },
} as const;

export const SEED_REMOVED = {
  callback_id: 'DEF124',
  event_id: 'AB234SDFD234',
  callback_type: 'subscription_removed',
  event_type: 'subscription_removed',
  event_date: '2017-03-15T15:42:23Z',
  delivery_attempt: '1',
  subscription: {
    person: { id: 'ABC123', external_id: 'ex1234', url: '/companies/:company_key/mobiledb/persons/ABC123' },
    subscription_list: { id: '1234', url: '/companies/:company_key/mobiledb/subscription_lists/1234' },
    opt_in_date: '2017-01-15T15:34:52Z',
    opt_out_date: '2017-02-18T15:34:52+0000',
    opt_out_reason: 'user_opt_out',
    acquisition_campaign: { id: '2342312', url: '/companies/:company_key/campaigns/acquisition/2342312' },
    url: '/companies/:company_key/mobiledb/persons/ABC123/subscriptions/1234',
  },
} as const;

/** The seed's added example exactly as the article prints it: not JSON (comments, a broken pair). */
export const SEED_ADDED_ARTICLE_TEXT = `{
   "callback:id","DEF123",
   "event_id":"AB234SDFD234",
   "callback_type":"subscription_added",
   "event_type":"subscription_added", //deprecated
   "event_date":"2017-02-15T15:42:23Z",
   "delivery_attempt":"1",
   "subscription":{
      "person":{ "id":"ABC123", "external_id":"ex1234" },
      "subscription_list":{ "id":"1234" },
      "opt_in_date":"2017-01-15T15:34:52Z"
   }
}`;

export interface CallbackSpec {
  readonly type: 'subscription_added' | 'subscription_removed';
  readonly eventId: string;
  /** event_date as Vibes writes it. */
  readonly date: string;
  readonly listId?: string;
  readonly personKey?: string;
  /** Present: mobile_phone.mdn in the callback; absent: the person must be read for it. */
  readonly mdn?: string;
  readonly reason?: string;
  readonly deliveryAttempt?: number;
}

/** A callback body in the documented shape (vendor-apis.md 3.5). */
export function vibesCallback(spec: CallbackSpec): Record<string, unknown> {
  const removed = spec.type === 'subscription_removed';
  return {
    event_id: spec.eventId,
    callback_type: spec.type,
    event_type: spec.type,
    event_date: spec.date,
    delivery_attempt: String(spec.deliveryAttempt ?? 1),
    subscription: {
      person: {
        id: spec.personKey ?? 'ABC123',
        external_id: 'ex1234',
        ...(spec.mdn === undefined ? {} : { mobile_phone: { mdn: spec.mdn } }),
      },
      subscription_list: { id: spec.listId ?? '1234' },
      opt_in_date: '2017-01-15T15:34:52Z',
      ...(removed ? { opt_out_date: spec.date, opt_out_reason: spec.reason ?? 'user_opt_out' } : {}),
    },
  };
}
