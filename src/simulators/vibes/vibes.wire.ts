/**
 * Stored records as Vibes spells them on the wire (vendor-apis.md 3.2-3.3). Absent values are omitted, not null
 * (inferred: the docs' examples never show a null; "The mobile_phone field is optional and can be omitted").
 * Dates: ISO-8601 to the second with `Z`.
 */
import { renderMdn } from './vibes.mdn.js';
import { campaignUrl, isoSeconds, listUrl, personUrl, subscriptionUrl } from './vibes.model.js';
import type {
  AcquisitionCampaign,
  ApiVersion,
  CustomFieldValue,
  StoredPerson,
  StoredSubscription,
  SubscriptionList,
} from './vibes.model.js';

export interface MobilePhoneWire {
  mdn: string;
  carrier_code?: string;
}

/** personResponse: `person_id` (deprecated) and `person_key` (preferred), in the docs' field order. */
export interface PersonWire {
  person_id: string;
  person_key: string;
  external_person_id?: string;
  mobile_phone?: MobilePhoneWire;
  custom_fields: Record<string, CustomFieldValue>;
  created_at: string;
  updated_at: string;
  url: string;
}

export interface SubscriptionWire {
  person: { id: string; url: string };
  subscription_list: { id: string; url: string };
  opt_in_date: string;
  opt_out_date?: string;
  opt_out_reason?: string;
  url: string;
}

export interface SubscriptionListWire {
  id: string;
  name: string;
  url: string;
  subscribers_url: string;
  acquisition_campaigns_url: string;
}

export function mobilePhoneWire(p: StoredPerson, version: ApiVersion): MobilePhoneWire | undefined {
  if (p.mdn === null) return undefined;
  const phone: MobilePhoneWire = { mdn: renderMdn(p.mdn, version) };
  if (p.carrierCode !== null) phone.carrier_code = p.carrierCode;
  return phone;
}

export function personWire(p: StoredPerson, companyKey: string, version: ApiVersion): PersonWire {
  const phone = mobilePhoneWire(p, version);
  return {
    person_id: p.personId,
    person_key: p.personKey,
    ...(p.externalPersonId === null ? {} : { external_person_id: p.externalPersonId }),
    ...(phone === undefined ? {} : { mobile_phone: phone }),
    custom_fields: structuredClone(p.customFields),
    created_at: isoSeconds(p.createdAt),
    updated_at: isoSeconds(p.updatedAt),
    url: personUrl(companyKey, p.personId),
  };
}

/** subscriptionResponse (sourced: mirror). */
export function subscriptionWire(s: StoredSubscription, companyKey: string): SubscriptionWire {
  return {
    person: { id: s.personId, url: personUrl(companyKey, s.personId) },
    subscription_list: { id: s.listId, url: listUrl(companyKey, s.listId) },
    opt_in_date: isoSeconds(s.optInDate),
    ...(s.optOutDate === null ? {} : { opt_out_date: isoSeconds(s.optOutDate) }),
    ...(s.optOutReason === null ? {} : { opt_out_reason: s.optOutReason }),
    url: subscriptionUrl(companyKey, s.personId, s.listId),
  };
}

/** subscriptionListResponse (sourced: mirror field list). */
export function listWire(l: SubscriptionList, companyKey: string): SubscriptionListWire {
  const url = listUrl(companyKey, l.id);
  return { id: l.id, name: l.name, url, subscribers_url: `${url}/subscribers`, acquisition_campaigns_url: `${url}/acquisition_campaigns` };
}

/** (inferred: the mirror's acquisition campaign schema is not in the doc) id, name, url. */
export function campaignWire(c: AcquisitionCampaign, companyKey: string): { id: string; name: string; url: string } {
  return { id: c.id, name: c.name, url: campaignUrl(companyKey, c.id) };
}
