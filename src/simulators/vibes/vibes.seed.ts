/**
 * The Vibes simulator's default mobile database (hand-written; ids are opaque like the vendor's).
 *
 * Subscription lists (each fed by one single-opt-in acquisition campaign):
 *   7001  "Marketing Alerts"  campaign 5501 (keyword DEALS)   -> VIBES_LIST_PURPOSES 7001=MARKETING
 *   7002  "Account Alerts"    campaign 5502 (keyword ALERTS)  -> VIBES_LIST_PURPOSES 7002=ACCOUNT
 *
 * Persons (external_person_id = LoanPro customer id, MDN = that customer's primary phone in loanpro.seed.ts):
 *   1178  Grace Lindqvist  +16514737960  7001 active, 7002 active (the marketing record carries the seed's
 *                                        event_id AB234SDFD234)
 *   1121  Marcus Bell      +18012364481  7001 opted out (user_opt_out, 2023-11-20), 7002 active
 *   1183  Tomas Okafor     no MDN        no subscriptions
 *    555  John Dow         +12124467013  7001: an api_opt_out record, then a newer active one (two records on
 *                                        one list); not on 7002
 *   (none) a keyword prospect +13125550142  7001 active (texted DEALS), no external id
 */
import type { AcquisitionCampaign, StoredPerson, StoredSubscription, SubscriptionList, VibesSeedData } from './vibes.model.js';

export const MARKETING_LIST_ID = '7001';
export const ACCOUNT_LIST_ID = '7002';
export const MARKETING_CAMPAIGN_ID = '5501';
export const ACCOUNT_CAMPAIGN_ID = '5502';

/** The seeded persons' ids, for docs, tests and the launcher's description. */
export const SEEDED_PERSONS = Object.freeze({
  grace: { personId: 'H4TQ9ZK2M7WB', personKey: '2b6f0cc1-7d0e-4f3a-9c8e-5a1d3e7b9f01', externalPersonId: '1178', mdn: '+16514737960' },
  marcus: { personId: 'N8VR3LD6QC2X', personKey: '8e41a7d2-3b9c-4e05-a6f1-c2d7b0e94a12', externalPersonId: '1121', mdn: '+18012364481' },
  tomas: { personId: 'C2JW7PX5RK9E', personKey: 'f03d95b8-6c1e-4a27-8b4d-71e2c9a6d523', externalPersonId: '1183', mdn: null },
  john: { personId: 'T6MB1YF8ZH3Q', personKey: '4c7e2a90-d5f8-4b61-9e3c-08a4f6b1c734', externalPersonId: '555', mdn: '+12124467013' },
  prospect: { personId: 'W9KD4SN2GV7U', personKey: 'a95b3e17-2f4c-4d88-b0a9-6d1f8c3e2845', externalPersonId: null, mdn: '+13125550142' },
});

const at = (iso: string): number => Date.parse(iso);

const LISTS: readonly SubscriptionList[] = [
  { id: MARKETING_LIST_ID, name: 'Marketing Alerts' },
  { id: ACCOUNT_LIST_ID, name: 'Account Alerts' },
];

const CAMPAIGNS: readonly AcquisitionCampaign[] = [
  { id: MARKETING_CAMPAIGN_ID, name: 'Marketing SMS opt-in', listId: MARKETING_LIST_ID, keyword: 'DEALS' },
  { id: ACCOUNT_CAMPAIGN_ID, name: 'Account alerts opt-in', listId: ACCOUNT_LIST_ID, keyword: 'ALERTS' },
];

/** Configured custom fields (the docs' examples: first_name, last_name, birthdate, rewards_id, favorite_stores). */
const CUSTOM_FIELDS: readonly string[] = ['first_name', 'last_name', 'birthdate', 'rewards_id', 'favorite_stores', 'preferred_language'];

function person(
  ids: { personId: string; personKey: string; externalPersonId: string | null; mdn: string | null },
  carrierCode: string | null,
  customFields: StoredPerson['customFields'],
  createdAt: string,
  updatedAt: string,
): StoredPerson {
  return { ...ids, carrierCode, customFields, createdAt: at(createdAt), updatedAt: at(updatedAt) };
}

function subscription(
  eventId: string,
  personId: string,
  listId: string,
  optIn: string,
  optOut?: { date: string; reason: StoredSubscription['optOutReason'] },
): Omit<StoredSubscription, 'seq'> {
  return {
    eventId,
    personId,
    listId,
    campaignId: listId === MARKETING_LIST_ID ? MARKETING_CAMPAIGN_ID : ACCOUNT_CAMPAIGN_ID,
    optInDate: at(optIn),
    optOutDate: optOut === undefined ? null : at(optOut.date),
    optOutReason: optOut === undefined ? null : optOut.reason,
  };
}

export function defaultVibesSeed(): VibesSeedData {
  const { grace, marcus, tomas, john, prospect } = SEEDED_PERSONS;
  const persons: StoredPerson[] = [
    person(
      grace,
      '104',
      { first_name: 'Grace', last_name: 'Lindqvist', preferred_language: { id: '1', name: 'English' } },
      '2019-07-02T10:15:00Z',
      '2024-02-11T09:30:00Z',
    ),
    person(marcus, '102', { first_name: 'Marcus', last_name: 'Bell' }, '2018-11-06T12:00:00Z', '2023-11-20T21:47:33Z'),
    person(tomas, null, { first_name: 'Tomas', last_name: 'Okafor' }, '2020-01-17T08:05:00Z', '2024-06-03T16:40:00Z'),
    person(
      john,
      '105',
      { first_name: 'John', last_name: 'Dow', favorite_stores: [{ id: '4', name: 'My Hardware Store' }] },
      '2020-01-10T15:00:00Z',
      '2023-08-15T18:22:10Z',
    ),
    person(prospect, '105', { first_name: 'Ava' }, '2025-01-05T19:03:44Z', '2025-01-05T19:03:44Z'),
  ];
  const subscriptions: Omit<StoredSubscription, 'seq'>[] = [
    subscription('AB234SDFD234', grace.personId, MARKETING_LIST_ID, '2021-03-04T17:20:11Z'),
    subscription('G5HC8N2RW4PZ', grace.personId, ACCOUNT_LIST_ID, '2019-07-02T10:16:40Z'),
    subscription('M3XE7QJ9TB6K', marcus.personId, MARKETING_LIST_ID, '2022-05-10T14:02:09Z', {
      date: '2023-11-20T21:47:33Z',
      reason: 'user_opt_out',
    }),
    subscription('R1ZU5VF3LA8D', marcus.personId, ACCOUNT_LIST_ID, '2018-11-06T12:00:00Z'),
    subscription('Y7PN2KC4HS9W', john.personId, MARKETING_LIST_ID, '2020-01-10T15:01:30Z', {
      date: '2020-06-01T11:45:00Z',
      reason: 'api_opt_out',
    }),
    subscription('E4LQ6BT8XM1J', john.personId, MARKETING_LIST_ID, '2023-08-15T18:22:10Z'),
    subscription('U2DG9WR5NF3C', prospect.personId, MARKETING_LIST_ID, '2025-01-05T19:03:44Z'),
  ];
  return deepFreeze({ lists: LISTS, campaigns: CAMPAIGNS, customFieldNames: CUSTOM_FIELDS, persons, subscriptions });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
