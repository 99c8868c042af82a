/**
 * The Vibes simulator's person, subscription and list API over real HTTP (loopback): every person route and its
 * errors (404, 409 MDN change, 422 validation, 400 bad MDN per API version), versions 1 and 2, Basic auth and the
 * company key, opt-out (twice), add participant, behaviour switches, faults in Vibes' error shape, control
 * routes. The clock is injected, never read.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { basicAuthHeader } from '../../../src/simulators/messagemedia/messagemedia.auth.js';
import { V1_E164_REFUSED, V1_BAD_FORMAT, V2_BAD_FORMAT } from '../../../src/simulators/vibes/vibes.mdn.js';
import { ACCOUNT_LIST_ID, MARKETING_LIST_ID, SEEDED_PERSONS } from '../../../src/simulators/vibes/vibes.seed.js';
import { createVibesSimulator } from '../../../src/simulators/vibes/vibes.simulator.js';
import type { VibesSimulator } from '../../../src/simulators/vibes/vibes.simulator.js';

const AUTH = basicAuthHeader('sim-vibes', 'sim-vibes-password');
const CO = '/companies/simco';
const PERSONS = `${CO}/mobiledb/persons`;
const START = Date.UTC(2026, 0, 15, 12, 0, 0);
const START_ISO = '2026-01-15T12:00:00Z';
const { grace, marcus, tomas, john, prospect } = SEEDED_PERSONS;

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  json: unknown;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

interface CallOptions {
  body?: unknown;
  raw?: string;
  version?: '1' | '2' | string;
  headers?: Record<string, string>;
}

let clockMs = START;
let sim: VibesSimulator;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { authorization: AUTH, ...(options.headers ?? {}) };
  if (options.version !== undefined) headers['x-api-version'] = options.version;
  let body = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const res = await request(`${sim.url}${path}`, { method, headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: text === '' ? undefined : (JSON.parse(text) as unknown), headers: res.headers };
}
const v2 = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Reply> =>
  call(method, path, body === undefined ? { version: '2' } : { version: '2', body });
const errors = (reply: Reply): { message: string; code: number }[] => (reply.json as { errors: { message: string; code: number }[] }).errors;
const messages = (reply: Reply): string[] => errors(reply).map((e) => e.message);

beforeAll(async () => {
  sim = createVibesSimulator({ now: () => clockMs });
  await sim.start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  clockMs = START;
  sim.resetData();
  sim.resetFaults();
  sim.setBehaviour({ putResponse: 'submitted', optOutStatus: 200, repeatOptOut: 'not_found' });
});

const GRACE_V2 = {
  person_id: grace.personId,
  person_key: grace.personKey,
  external_person_id: '1178',
  mobile_phone: { mdn: '+16514737960', carrier_code: '104' },
  custom_fields: { first_name: 'Grace', last_name: 'Lindqvist', preferred_language: { id: '1', name: 'English' } },
  created_at: '2019-07-02T10:15:00Z',
  updated_at: '2024-02-11T09:30:00Z',
  url: `${PERSONS}/${grace.personId}`,
};

describe('reading persons', () => {
  it('by person_key, person_id and external id: the personResponse with both ids (v2: E.164)', async () => {
    for (const path of [`${PERSONS}/${grace.personKey}`, `${PERSONS}/${grace.personId}`, `${PERSONS}/external/1178`]) {
      const reply = await v2('GET', path);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual(GRACE_V2);
    }
    // Docs' field order: ids, external id, phone, custom fields, dates, url.
    expect(Object.keys((await v2('GET', `${PERSONS}/external/1178`)).json as Json)).toEqual(Object.keys(GRACE_V2));
  });

  it('version 1 (the default) spells the MDN as 10 digits', async () => {
    for (const version of [undefined, '1']) {
      const reply = await call('GET', `${PERSONS}/external/1178`, version === undefined ? {} : { version });
      expect(reply.status).toBe(200);
      expect((reply.json as Json)['mobile_phone']).toEqual({ mdn: '6514737960', carrier_code: '104' });
    }
  });

  it('a person without MDN has no mobile_phone; one without external id has no external_person_id', async () => {
    const t = (await v2('GET', `${PERSONS}/external/1183`)).json as Json;
    expect(t['person_key']).toBe(tomas.personKey);
    expect(t).not.toHaveProperty('mobile_phone');
    const p = (await v2('GET', `${PERSONS}/${prospect.personKey}`)).json as Json;
    expect(p).not.toHaveProperty('external_person_id');
    expect(p['mobile_phone']).toEqual({ mdn: '+13125550142', carrier_code: '105' });
  });

  it('404 in Vibes error shape for unknown keys and external ids', async () => {
    for (const path of [`${PERSONS}/no-such-person`, `${PERSONS}/external/999999`]) {
      const reply = await v2('GET', path);
      expect(reply.status).toBe(404);
      expect(errors(reply)).toEqual([{ message: 'Person not found.', code: 1 }]);
    }
  });

  it('by MDN: v2 takes E.164 sent as %2B, v1 takes 10 digits', async () => {
    const byV2 = await v2('GET', `${PERSONS}?mdn=%2B16514737960`);
    expect(byV2.status).toBe(200);
    expect((byV2.json as Json)['person_key']).toBe(grace.personKey);
    const byV1 = await call('GET', `${PERSONS}?mdn=6514737960`, { version: '1' });
    expect(byV1.status).toBe(200);
    expect((byV1.json as Json)['person_key']).toBe(grace.personKey);
    // A trailing slash before the query works too (the spec's paths carry one).
    expect((await v2('GET', `${PERSONS}/?mdn=%2B18012364481`)).status).toBe(200);
  });

  it('by MDN: 400 for the other version\'s spelling, for a raw "+" (read as a space) and for junk', async () => {
    const cases: [string, string, string][] = [
      ['2', 'mdn=6514737960', V2_BAD_FORMAT],
      ['2', 'mdn=+16514737960', V2_BAD_FORMAT],
      ['2', 'mdn=%2B1651473796', V2_BAD_FORMAT],
      ['1', 'mdn=%2B16514737960', V1_E164_REFUSED],
      ['1', 'mdn=16514737960', V1_BAD_FORMAT],
      ['1', 'mdn=651-473-7960', V1_BAD_FORMAT],
    ];
    for (const [version, query, message] of cases) {
      const reply = await call('GET', `${PERSONS}?${query}`, { version });
      expect(reply.status, query).toBe(400);
      expect(messages(reply)).toEqual([message]);
      expect(reply.text).not.toContain('6514737960');
    }
  });

  it('by MDN: 404 for an unknown MDN and when no MDN is given', async () => {
    for (const query of ['?mdn=%2B19995550100', '', '?mdn=']) {
      const reply = await v2('GET', `${PERSONS}${query}`);
      expect(reply.status).toBe(404);
      expect(messages(reply)).toEqual(['MDN not found.']);
    }
  });
});

describe('adding persons (POST …/persons)', () => {
  it('201 creates a person (no subscription), with generated ids and the clock\'s dates', async () => {
    const reply = await v2('POST', `${PERSONS}/`, {
      external_person_id: 'crm-99',
      mobile_phone: { mdn: '+16125550187', carrier_code: '102' },
      custom_fields: { first_name: 'Steve' },
      person_id: 'ignored',
      created_at: '2000-01-01T00:00:00Z',
    });
    expect(reply.status).toBe(201);
    const body = reply.json as Json;
    expect(body).toMatchObject({
      external_person_id: 'crm-99',
      mobile_phone: { mdn: '+16125550187', carrier_code: '102' },
      custom_fields: { first_name: 'Steve' },
      created_at: START_ISO,
      updated_at: START_ISO,
    });
    expect(body['person_id']).toMatch(/^[A-Z0-9]{12}$/);
    expect(body['person_id']).not.toBe('ignored');
    expect(body['person_key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(body['url']).toBe(`${PERSONS}/${String(body['person_id'])}`);
    expect(sim.subscriptionsOf(body['person_key'] as string)).toEqual([]);
    // Readable back by every id.
    expect((await v2('GET', `${PERSONS}/external/crm-99`)).json).toEqual(body);
    expect((await v2('GET', `${PERSONS}?mdn=%2B16125550187`)).json).toEqual(body);
  });

  it('mobile_phone and custom fields are optional; ids are the same after a reset (deterministic)', async () => {
    const first = await v2('POST', PERSONS, { external_person_id: 'crm-100' });
    expect(first.status).toBe(201);
    expect(first.json).not.toHaveProperty('mobile_phone');
    sim.resetData();
    const again = await v2('POST', PERSONS, { external_person_id: 'crm-100' });
    expect((again.json as Json)['person_key']).toBe((first.json as Json)['person_key']);
  });

  it('200 merges into the person holding the MDN ("Vibes will merge"), leaving other fields alone', async () => {
    clockMs = START + 60_000;
    const reply = await call('POST', PERSONS, { version: '1', body: { mobile_phone: { mdn: '6514737960' }, custom_fields: { rewards_id: 'R-1' } } });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({
      person_key: grace.personKey,
      external_person_id: '1178',
      mobile_phone: { mdn: '6514737960', carrier_code: '104' },
      custom_fields: { first_name: 'Grace', last_name: 'Lindqvist', rewards_id: 'R-1' },
      updated_at: '2026-01-15T12:01:00Z',
    });
    // Merging can also set a missing external id.
    const prospectMerge = await v2('POST', PERSONS, { external_person_id: 'crm-7', mobile_phone: { mdn: '+13125550142' } });
    expect(prospectMerge.status).toBe(200);
    expect(sim.getPerson(prospect.personKey)?.externalPersonId).toBe('crm-7');
  });

  it('409 when the MDN belongs to a person with another external id, or the external id to someone else', async () => {
    const mdnTaken = await v2('POST', PERSONS, { external_person_id: 'crm-5', mobile_phone: { mdn: '+16514737960' } });
    expect(mdnTaken.status).toBe(409);
    expect(messages(mdnTaken)).toEqual(['The MDN is already associated with another person record.']);
    const extTaken = await v2('POST', PERSONS, { external_person_id: '1178', mobile_phone: { mdn: '+16125550187' } });
    expect(extTaken.status).toBe(409);
    const extTakenNoMdn = await v2('POST', PERSONS, { external_person_id: '1121' });
    expect(extTakenNoMdn.status).toBe(409);
    expect(sim.findPersonByMdn('+16125550187')).toBeUndefined();
  });

  it('400 for a malformed MDN (checked alone, first), 422 listing every other problem', async () => {
    const badMdn = await v2('POST', PERSONS, { external_person_id: 7, mobile_phone: { mdn: '6125550187' } });
    expect(badMdn.status).toBe(400);
    expect(messages(badMdn)).toEqual([V2_BAD_FORMAT]);
    const v1Plus = await call('POST', PERSONS, { version: '1', body: { mobile_phone: { mdn: '+16125550187' } } });
    expect(v1Plus.status).toBe(400);
    expect(messages(v1Plus)).toEqual([V1_E164_REFUSED]);

    const invalid = await v2('POST', PERSONS, {
      external_person_id: 'x'.repeat(129),
      mobile_phone: { mdn: 5, carrier_code: 'ATT' },
      custom_fields: { shoe_size: '9', first_name: 12 },
    });
    expect(invalid.status).toBe(422);
    expect(errors(invalid)).toEqual([
      { message: 'external_person_id must be at most 128 characters.', code: 1 },
      { message: 'mobile_phone.mdn must be a string or null.', code: 2 },
      { message: 'mobile_phone.carrier_code must be a numeric string.', code: 3 },
      { message: 'Unknown custom field: shoe_size.', code: 4 },
      { message: 'custom_fields.first_name must be a string, an {id, name} option, a list of options, or null.', code: 5 },
    ]);
    for (const body of [[], 'text', { mobile_phone: 'x' }, { custom_fields: [] }, { external_person_id: '' }]) {
      expect((await v2('POST', PERSONS, body)).status).toBe(422);
    }
  });

  it('400 for unparseable JSON, 415 without a JSON content type', async () => {
    const bad = await call('POST', PERSONS, { raw: '{"external_person_id":', version: '2' });
    expect(bad.status).toBe(400);
    expect(messages(bad)).toEqual(['Request body is not valid JSON.']);
    const empty = await call('POST', PERSONS, { raw: '', version: '2' });
    expect(empty.status).toBe(400);
    const text = await call('POST', PERSONS, { raw: '{}', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(messages(text)).toEqual(['Content-Type must be application/json.']);
  });
});

describe('updating persons (PUT, partial)', () => {
  it('200 answers the submitted body (seed); unspecified fields stay unchanged', async () => {
    clockMs = START + 5000;
    const submitted = { custom_fields: { first_name: 'Gracie', birthdate: '1984-09-23T00:00:00Z' } };
    const reply = await v2('PUT', `${PERSONS}/${grace.personKey}`, submitted);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual(submitted);
    const stored = sim.getPerson(grace.personKey);
    expect(stored).toMatchObject({
      externalPersonId: '1178',
      mdn: '+16514737960',
      carrierCode: '104',
      customFields: { first_name: 'Gracie', last_name: 'Lindqvist', birthdate: '1984-09-23T00:00:00Z' },
      updatedAt: START + 5000,
    });
    // null removes a custom field.
    await v2('PUT', `${PERSONS}/external/1178`, { custom_fields: { birthdate: null } });
    expect(sim.getPerson(grace.personKey)?.customFields).not.toHaveProperty('birthdate');
  });

  it('behaviour putResponse=person answers the stored person instead', async () => {
    sim.setBehaviour({ putResponse: 'person' });
    const reply = await v2('PUT', `${PERSONS}/external/1121`, { custom_fields: { rewards_id: '55' } });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ person_key: marcus.personKey, custom_fields: { first_name: 'Marcus', rewards_id: '55' } });
  });

  it('the same MDN is not a change (either spelling); 409 without a body when the MDN would change', async () => {
    expect((await v2('PUT', `${PERSONS}/${grace.personKey}`, { mobile_phone: { mdn: '+16514737960' } })).status).toBe(200);
    expect((await call('PUT', `${PERSONS}/${grace.personKey}`, { version: '1', body: { mobile_phone: { mdn: '6514737960' } } })).status).toBe(200);
    const change = await v2('PUT', `${PERSONS}/${grace.personKey}`, { mobile_phone: { mdn: '+16125550187' } });
    expect(change.status).toBe(409);
    expect(change.text).toBe('');
    expect(sim.getPerson(grace.personKey)?.mdn).toBe('+16514737960');
  });

  it('removing the MDN with null is allowed (mobile_phone null or mdn null); adding one afterwards is too', async () => {
    expect((await v2('PUT', `${PERSONS}/external/1121`, { mobile_phone: { mdn: null } })).status).toBe(200);
    expect(sim.getPerson(marcus.personKey)).toMatchObject({ mdn: null, carrierCode: null });
    expect((await v2('GET', `${PERSONS}?mdn=%2B18012364481`)).status).toBe(404);
    expect((await v2('PUT', `${PERSONS}/external/555`, { mobile_phone: null })).status).toBe(200);
    expect(sim.getPerson(john.personKey)?.mdn).toBeNull();
    // A person without an MDN may get one (that is not "changing" it)...
    expect((await v2('PUT', `${PERSONS}/external/1183`, { mobile_phone: { mdn: '+16785012290' } })).status).toBe(200);
    expect(sim.findPersonByMdn('+16785012290')?.personKey).toBe(tomas.personKey);
    // ...unless someone else holds it: 409, no body.
    const taken = await v2('PUT', `${PERSONS}/external/1121`, { mobile_phone: { mdn: '+16514737960' } });
    expect(taken).toMatchObject({ status: 409, text: '' });
  });

  it('409 when the new external id belongs to another person', async () => {
    const reply = await v2('PUT', `${PERSONS}/${prospect.personKey}`, { external_person_id: '1178' });
    expect(reply).toMatchObject({ status: 409, text: '' });
    expect((await v2('PUT', `${PERSONS}/${prospect.personKey}`, { external_person_id: 'crm-8' })).status).toBe(200);
    expect((await v2('GET', `${PERSONS}/external/crm-8`)).status).toBe(200);
  });

  it('404 without a body for an unknown person; 400 / 422 bodies for bad input', async () => {
    for (const path of [`${PERSONS}/nobody`, `${PERSONS}/external/nobody`]) {
      const reply = await v2('PUT', path, { custom_fields: { first_name: 'X' } });
      expect(reply).toMatchObject({ status: 404, text: '' });
    }
    expect((await v2('PUT', `${PERSONS}/${grace.personKey}`, { mobile_phone: { mdn: '16514737960' } })).status).toBe(400);
    const unknownField = await v2('PUT', `${PERSONS}/${grace.personKey}`, { custom_fields: { nickname: 'G' } });
    expect(unknownField.status).toBe(422);
    expect(messages(unknownField)).toEqual(['Unknown custom field: nickname.']);
  });
});

describe('subscriptions and opt-out', () => {
  it('every record of a person, oldest first; active_only=true keeps the active ones', async () => {
    const all = await v2('GET', `${PERSONS}/external/555/subscriptions`);
    expect(all.status).toBe(200);
    expect(all.json).toEqual([
      {
        person: { id: john.personId, url: `${PERSONS}/${john.personId}` },
        subscription_list: { id: MARKETING_LIST_ID, url: `${CO}/mobiledb/subscription_lists/${MARKETING_LIST_ID}` },
        opt_in_date: '2020-01-10T15:01:30Z',
        opt_out_date: '2020-06-01T11:45:00Z',
        opt_out_reason: 'api_opt_out',
        url: `${PERSONS}/${john.personId}/subscriptions/${MARKETING_LIST_ID}`,
      },
      {
        person: { id: john.personId, url: `${PERSONS}/${john.personId}` },
        subscription_list: { id: MARKETING_LIST_ID, url: `${CO}/mobiledb/subscription_lists/${MARKETING_LIST_ID}` },
        opt_in_date: '2023-08-15T18:22:10Z',
        url: `${PERSONS}/${john.personId}/subscriptions/${MARKETING_LIST_ID}`,
      },
    ]);
    const active = (await v2('GET', `${PERSONS}/${john.personKey}/subscriptions?active_only=true`)).json as Json[];
    expect(active.map((s) => s['opt_in_date'])).toEqual(['2023-08-15T18:22:10Z']);
    const marcusSubs = (await v2('GET', `${PERSONS}/${marcus.personKey}/subscriptions`)).json as Json[];
    expect(marcusSubs.find((s) => (s['subscription_list'] as Json)['id'] === MARKETING_LIST_ID)).toMatchObject({
      opt_out_date: '2023-11-20T21:47:33Z',
      opt_out_reason: 'user_opt_out',
    });
    expect((await v2('GET', `${PERSONS}/external/1183/subscriptions`)).json).toEqual([]);
    expect((await v2('GET', `${PERSONS}/nobody/subscriptions`)).status).toBe(404);
  });

  it('status on one list: the records on it; 404 when there are none or the list is unknown', async () => {
    const onList = await v2('GET', `${PERSONS}/${grace.personKey}/subscriptions/${ACCOUNT_LIST_ID}`);
    expect(onList.status).toBe(200);
    expect((onList.json as Json[]).map((s) => (s['subscription_list'] as Json)['id'])).toEqual([ACCOUNT_LIST_ID]);
    expect(messages(await v2('GET', `${PERSONS}/external/555/subscriptions/${ACCOUNT_LIST_ID}`))).toEqual([
      'Person is not subscribed to the subscription list.',
    ]);
    expect(messages(await v2('GET', `${PERSONS}/external/555/subscriptions/9999`))).toEqual(['Subscription list not found.']);
  });

  it('DELETE opts out (api_opt_out, now) and answers the ended record; a second DELETE is a 404', async () => {
    clockMs = START + 42_000;
    const path = `${PERSONS}/external/1178/subscriptions/${MARKETING_LIST_ID}`;
    const first = await v2('DELETE', path);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      person: { id: grace.personId, url: `${PERSONS}/${grace.personId}` },
      subscription_list: { id: MARKETING_LIST_ID, url: `${CO}/mobiledb/subscription_lists/${MARKETING_LIST_ID}` },
      opt_in_date: '2021-03-04T17:20:11Z',
      opt_out_date: '2026-01-15T12:00:42Z',
      opt_out_reason: 'api_opt_out',
      url: `${PERSONS}/${grace.personId}/subscriptions/${MARKETING_LIST_ID}`,
    });
    const second = await v2('DELETE', `${PERSONS}/${grace.personKey}/subscriptions/${MARKETING_LIST_ID}`);
    expect(second.status).toBe(404);
    expect(messages(second)).toEqual(['Person is not subscribed to the subscription list.']);
    // The record is kept, inactive; the other list is untouched.
    expect(sim.subscriptionsOf(grace.personKey).map((s) => [s.listId, s.optOutReason])).toEqual([
      [MARKETING_LIST_ID, 'api_opt_out'],
      [ACCOUNT_LIST_ID, null],
    ]);
  });

  it('behaviour: repeatOptOut=subscription answers the inactive record; optOutStatus=204 answers no body', async () => {
    sim.setBehaviour({ repeatOptOut: 'subscription', optOutStatus: 204 });
    const again = await v2('DELETE', `${PERSONS}/external/1121/subscriptions/${MARKETING_LIST_ID}`);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ opt_out_reason: 'user_opt_out', opt_out_date: '2023-11-20T21:47:33Z' });
    // Never on the list at all: still 404.
    expect((await v2('DELETE', `${PERSONS}/external/555/subscriptions/${ACCOUNT_LIST_ID}`)).status).toBe(404);
    const removed = await v2('DELETE', `${PERSONS}/external/1121/subscriptions/${ACCOUNT_LIST_ID}`);
    expect(removed).toMatchObject({ status: 204, text: '' });
  });

  it('DELETE: 404 for an unknown person or list', async () => {
    expect(messages(await v2('DELETE', `${PERSONS}/nobody/subscriptions/${MARKETING_LIST_ID}`))).toEqual(['Person not found.']);
    expect(messages(await v2('DELETE', `${PERSONS}/external/1178/subscriptions/1`))).toEqual(['Subscription list not found.']);
  });
});

describe('subscription lists and add participant', () => {
  it('lists, one list, its campaigns', async () => {
    const lists = await v2('GET', `${CO}/mobiledb/subscription_lists`);
    expect(lists.json).toEqual([
      {
        id: '7001',
        name: 'Marketing Alerts',
        url: `${CO}/mobiledb/subscription_lists/7001`,
        subscribers_url: `${CO}/mobiledb/subscription_lists/7001/subscribers`,
        acquisition_campaigns_url: `${CO}/mobiledb/subscription_lists/7001/acquisition_campaigns`,
      },
      {
        id: '7002',
        name: 'Account Alerts',
        url: `${CO}/mobiledb/subscription_lists/7002`,
        subscribers_url: `${CO}/mobiledb/subscription_lists/7002/subscribers`,
        acquisition_campaigns_url: `${CO}/mobiledb/subscription_lists/7002/acquisition_campaigns`,
      },
    ]);
    expect((await v2('GET', `${CO}/mobiledb/subscription_lists/7002`)).json).toMatchObject({ id: '7002', name: 'Account Alerts' });
    expect((await v2('GET', `${CO}/mobiledb/subscription_lists/1`)).status).toBe(404);
    expect((await v2('GET', `${CO}/mobiledb/subscription_lists/7001/acquisition_campaigns`)).json).toEqual([
      { id: '5501', name: 'Marketing SMS opt-in', url: `${CO}/campaigns/acquisition/5501` },
    ]);
  });

  it('subscribers?mdn= / person_key / external_person_id: the person when actively subscribed, else 404', async () => {
    const base = `${CO}/mobiledb/subscription_lists/${MARKETING_LIST_ID}/subscribers`;
    expect(((await v2('GET', `${base}?mdn=%2B16514737960`)).json as Json)['person_key']).toBe(grace.personKey);
    expect((await v2('GET', `${base}?person_key=${john.personKey}`)).status).toBe(200);
    expect((await v2('GET', `${base}?external_person_id=1121`)).status).toBe(404); // opted out
    expect((await v2('GET', `${base}?mdn=6514737960`)).status).toBe(400);
    expect((await v2('GET', base)).status).toBe(404);
  });

  it('add participant subscribes at once (201 SUBSCRIBED), creating an unknown MDN; 409 when already subscribed', async () => {
    const path = `${CO}/campaigns/acquisition/5501/participants`;
    const reply = await v2('POST', path, { mobile_phone: { mdn: '+18012364481' } });
    expect(reply.status).toBe(201);
    expect(reply.json).toEqual({
      person: { person_id: marcus.personId, person_key: marcus.personKey, url: `${PERSONS}/${marcus.personId}` },
      participation_date: START_ISO,
      status: 'SUBSCRIBED',
    });
    // A new record on the list; the opted-out one stays.
    expect(sim.subscriptionsOf(marcus.personKey).filter((s) => s.listId === MARKETING_LIST_ID).map((s) => s.optOutDate)).toEqual([
      Date.parse('2023-11-20T21:47:33Z'),
      null,
    ]);
    expect((await v2('POST', path, { mobile_phone: { mdn: '+18012364481' } })).status).toBe(409);

    const fresh = await v2('POST', path, { mobile_phone: { mdn: '+16125550187' }, external_person_id: 'crm-12' });
    expect(fresh.status).toBe(201);
    const created = sim.findPersonByMdn('+16125550187');
    expect(created?.externalPersonId).toBe('crm-12');
    expect(sim.subscriptionsOf(created?.personKey ?? '').map((s) => [s.listId, s.campaignId])).toEqual([[MARKETING_LIST_ID, '5501']]);
  });

  it('add participant: 404 campaign, 400 MDN, 422 no MDN or external id in use', async () => {
    expect((await v2('POST', `${CO}/campaigns/acquisition/1/participants`, { mobile_phone: { mdn: '+16125550187' } })).status).toBe(404);
    expect((await v2('POST', `${CO}/campaigns/acquisition/5502/participants`, { mobile_phone: { mdn: '6125550187' } })).status).toBe(400);
    const noMdn = await v2('POST', `${CO}/campaigns/acquisition/5502/participants`, { external_person_id: 'x' });
    expect(noMdn.status).toBe(422);
    expect(messages(noMdn)).toEqual(['The MDN field is required']);
    const mismatch = await v2('POST', `${CO}/campaigns/acquisition/5502/participants`, {
      mobile_phone: { mdn: '+16125550187' },
      external_person_id: '1178',
    });
    expect(mismatch.status).toBe(422);
    expect(messages(mismatch)).toEqual(['EXTERNALPERSONIDMISMATCH']);
  });
});

describe('auth, company key, versions', () => {
  it('401 with WWW-Authenticate for missing or wrong credentials, on any path', async () => {
    for (const headers of [{}, { authorization: basicAuthHeader('sim-vibes', 'nope') }, { authorization: 'Bearer sim-vibes' }]) {
      const res = await request(`${sim.url}${PERSONS}/external/1178`, { headers });
      const body = (await res.body.json()) as { errors: unknown[] };
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="Vibes"');
      expect(body.errors).toHaveLength(1);
    }
    const unknownPath = await request(`${sim.url}/nothing/here`);
    await unknownPath.body.dump();
    expect(unknownPath.statusCode).toBe(401);
  });

  it('another company key is a 404, as is a path outside /companies', async () => {
    expect((await v2('GET', '/companies/otherco/mobiledb/persons/external/1178')).status).toBe(404);
    expect(messages(await v2('GET', '/mobiledb/persons'))).toEqual(['Not found.']);
  });

  it('custom credentials and company key', async () => {
    const other = createVibesSimulator({ username: 'u1', password: 'p1', companyKey: 'acme' });
    await other.start();
    try {
      const ok = await request(`${other.url}/companies/acme/mobiledb/persons/external/1178`, { headers: { authorization: basicAuthHeader('u1', 'p1') } });
      await ok.body.dump();
      expect(ok.statusCode).toBe(200);
      const old = await request(`${other.url}/companies/acme/mobiledb/persons/external/1178`, { headers: { authorization: AUTH } });
      await old.body.dump();
      expect(old.statusCode).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('X-API-Version other than 1 or 2 is a 400', async () => {
    for (const version of ['3', 'two', '1.5']) {
      const reply = await call('GET', `${PERSONS}/external/1178`, { version });
      expect(reply.status).toBe(400);
      expect(messages(reply)).toEqual(['X-API-Version must be 1 or 2.']);
    }
  });

  it('405 in Vibes shape for a known path with another method', async () => {
    const reply = await call('PATCH', `${PERSONS}/external/1178`, { body: {} });
    expect(reply.status).toBe(405);
    expect(errors(reply)).toHaveLength(1);
  });
});

describe('faults, log and control routes', () => {
  it('injected errors use errorStatus and the Vibes shape; a dropped DELETE still opts out', async () => {
    sim.setFaults({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 2, routes: 'subscription_lists' });
    const limited = await v2('GET', `${CO}/mobiledb/subscription_lists`);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(messages(limited)).toHaveLength(1);
    expect((await v2('GET', `${PERSONS}/external/1178`)).status).toBe(200);

    sim.setFaults({ errorRate: 0, routes: null, resetAfterRate: 1, methods: ['DELETE'], faultBudget: 1 });
    await expect(v2('DELETE', `${PERSONS}/external/1178/subscriptions/${MARKETING_LIST_ID}`)).rejects.toThrow();
    const entry = await sim.requestLog.waitFor({ method: 'DELETE', fault: 'reset_after' });
    expect(entry.status).toBe(200);
    expect(sim.subscriptionsOf(grace.personKey)[0]?.optOutReason).toBe('api_opt_out');
  });

  it('the request log holds vendor requests only, query digits redacted', async () => {
    sim.requestLog.clear();
    await v2('GET', `${PERSONS}?mdn=%2B16514737960`);
    await request(`${sim.url}/__sim/callbacks`).then((r) => r.body.dump());
    const entries = sim.requestLog.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ method: 'GET', path: PERSONS, status: 200, query: 'mdn=+[redacted]' });
  });

  it('POST /__sim/data/reset restores the seed; GET /__sim/persons/{key} shows a person with event ids', async () => {
    await v2('DELETE', `${PERSONS}/external/1178/subscriptions/${MARKETING_LIST_ID}`);
    const before = await request(`${sim.url}/__sim/persons/${grace.personKey}`);
    const shown = (await before.body.json()) as Json;
    expect(shown['mobile_phone']).toEqual({ mdn: '+16514737960', carrier_code: '104' });
    expect((shown['subscriptions'] as Json[])[0]).toMatchObject({ event_id: 'AB234SDFD234', opt_out_reason: 'api_opt_out' });
    const reset = await request(`${sim.url}/__sim/data/reset`, { method: 'POST' });
    await reset.body.dump();
    expect(reset.statusCode).toBe(204);
    expect(sim.subscriptionsOf(grace.personKey).every((s) => s.optOutDate === null)).toBe(true);
    const missing = await request(`${sim.url}/__sim/persons/nobody`);
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.json()).toEqual({ error: 'unknown person' });
  });

  it('GET/PUT /__sim/behaviour validate and merge', async () => {
    const put = await request(`${sim.url}/__sim/behaviour`, { method: 'PUT', body: JSON.stringify({ optOutStatus: 204 }) });
    expect(await put.body.json()).toEqual({ putResponse: 'submitted', optOutStatus: 204, repeatOptOut: 'not_found' });
    const bad = await request(`${sim.url}/__sim/behaviour`, { method: 'PUT', body: JSON.stringify({ optOutStatus: 201 }) });
    expect(bad.statusCode).toBe(400);
    expect(((await bad.body.json()) as Json)['error']).toMatch(/optOutStatus/);
    expect(sim.getBehaviour().optOutStatus).toBe(204);
  });
});
