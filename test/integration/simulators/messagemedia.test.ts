/**
 * The MessageMedia Dedicated Numbers simulator over real HTTP (loopback): the seed article's flow with its exact
 * envelopes, pagination, search rules, assignments, validation, auth, behaviour switches, faults, control routes
 * and the launcher. The clock is injected, never read.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { basicAuthHeader } from '../../../src/simulators/messagemedia/messagemedia.auth.js';
import { BAD_REQUEST_MESSAGE, FEATURE_NOT_ENABLED_MESSAGE } from '../../../src/simulators/messagemedia/messagemedia.errors.js';
import { messageMediaLauncher } from '../../../src/simulators/messagemedia/messagemedia.launcher.js';
import { createMessageMediaSimulator } from '../../../src/simulators/messagemedia/messagemedia.simulator.js';
import type { MessageMediaSimulator } from '../../../src/simulators/messagemedia/messagemedia.simulator.js';

const KEY = 'sim-messagemedia-key';
const SECRET = 'sim-messagemedia-secret';
const AUTH = { authorization: basicAuthHeader(KEY, SECRET), accept: 'application/json;charset=UTF-8' };
const BASE = '/v1/messaging/numbers/dedicated';
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 15, 12, 0, 0);

type Json = Record<string, unknown>;
interface Reply {
  status: number;
  json: unknown;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

async function call(
  sim: MessageMediaSimulator,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.headers ?? AUTH) };
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const res = await request(`${sim.url}${path}`, { method, headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, text, json: text === '' ? undefined : (JSON.parse(text) as unknown), headers: res.headers };
}

function data(reply: Reply): Json[] {
  const d = (reply.json as Json)['data'];
  if (!Array.isArray(d)) throw new Error('data is not an array');
  return d as Json[];
}
function pagination(reply: Reply): Json {
  return (reply.json as Json)['pagination'] as Json;
}
const idsOf = (list: Json[]): string[] => list.map((x) => x['id'] as string);

let clockMs = START;
let sim: MessageMediaSimulator;
const get = (path: string, headers?: Record<string, string>): Promise<Reply> =>
  call(sim, 'GET', path, headers === undefined ? {} : { headers });

beforeAll(async () => {
  sim = createMessageMediaSimulator({ now: () => clockMs });
  await sim.start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  clockMs = START;
  sim.resetData();
  sim.resetFaults();
  sim.setBehaviour({ patchAssignmentStatus: 200, unknownToken: 'continue', phoneNumberFormat: 'e164', releaseGraceDays: 45, dedicatedNumbersEnabled: true });
});

const ARTICLE_PAGE = {
  data: [
    {
      id: '06edf0e7-5856-43b7-b1f7-ddd1ba5a7431',
      phone_number: '+61439742682',
      country: 'AU',
      type: 'MOBILE',
      classification: 'BRONZE',
      available_after: '2019-08-06T23:56:01.263Z',
      capabilities: ['SMS'],
    },
    {
      id: '0707e86b-efa2-45f7-a5aa-9ac8cb84eb15',
      phone_number: '+61438824240',
      country: 'AU',
      type: 'MOBILE',
      classification: 'BRONZE',
      available_after: '2019-08-06T23:57:15.213Z',
      capabilities: ['SMS'],
    },
    {
      id: '073fb6bd-f054-4644-aada-8fb204145d77',
      phone_number: '+61438851616',
      country: 'AU',
      type: 'MOBILE',
      classification: 'BRONZE',
      available_after: '2019-08-06T23:56:58.186Z',
      capabilities: ['SMS'],
    },
  ],
  pagination: { page_size: 3, next_token: '074b8bfd-f420-4168-a9f0-530cf1ba2523' },
};
const CHOSEN = '073fb6bd-f054-4644-aada-8fb204145d77';
const AU_SMS = `${BASE}?country=AU&service_types=SMS`;

describe('the seed article flow, envelope for envelope', () => {
  it('search, page on, assign, relabel, list assigned, release', async () => {
    // 1. Search Australian SMS numbers: the article's first page, byte for byte (and the vendor's content type).
    const first = await get(`${AU_SMS}&page_size=3`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(first.json).toEqual(ARTICLE_PAGE);
    expect(first.text.indexOf('"data"')).toBeLessThan(first.text.indexOf('"pagination"'));

    // 2. The next page starts at the token.
    const second = await get(`${AU_SMS}&page_size=3&token=074b8bfd-f420-4168-a9f0-530cf1ba2523`);
    expect(second.status).toBe(200);
    const page2 = data(second);
    expect(page2).toHaveLength(3);
    expect(page2[0]?.['id']).toBe('074b8bfd-f420-4168-a9f0-530cf1ba2523');
    for (const n of page2) {
      expect(n['country']).toBe('AU');
      expect(n['capabilities']).toContain('SMS');
    }
    expect(pagination(second)['page_size']).toBe(3);

    // 3. Assign the chosen number (no label or metadata yet): the article's exact answer.
    const created = await call(sim, 'POST', `${BASE}/${CHOSEN}/assignment`, { body: {} });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: 'b06387c0-f4d9-4333-8657-c819bede79c3', number_id: CHOSEN });

    // 4. PATCH by number id with label and metadata: the updated assignment comes back (the article's body; it
    //    prints the label as "HouseElf-Fred", a slip in the article, the request said "Representative-Fred").
    const patched = await call(sim, 'PATCH', `${BASE}/${CHOSEN}/assignment`, {
      body: { label: 'Representative-Fred', metadata: { State: 'Vic', Region: 'SE' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toEqual({
      metadata: { Region: 'SE', State: 'Vic' },
      label: 'Representative-Fred',
      id: 'b06387c0-f4d9-4333-8657-c819bede79c3',
      number_id: CHOSEN,
    });

    // 5. View the assignment and all assigned numbers: the same state everywhere.
    expect((await get(`${BASE}/${CHOSEN}/assignment`)).json).toEqual(patched.json);
    const assigned = await get(`${BASE}/assignments`);
    expect(assigned.status).toBe(200);
    const entry = data(assigned).find((x) => (x['number'] as Json)['id'] === CHOSEN);
    expect(entry).toEqual({
      number: {
        id: CHOSEN,
        phone_number: '+61438851616',
        country: 'AU',
        type: 'MOBILE',
        classification: 'BRONZE',
        capabilities: ['SMS'],
      },
      assignment: patched.json,
    });
    expect(data(assigned).map((x) => (x['number'] as Json)['id'])).toEqual(sim.assignedIds());
    expect(pagination(assigned)).toEqual({ page_size: 50 });
    expect(sim.getAssignment(CHOSEN)).toEqual({
      id: 'b06387c0-f4d9-4333-8657-c819bede79c3',
      numberId: CHOSEN,
      label: 'Representative-Fred',
      metadata: { State: 'Vic', Region: 'SE' },
    });

    // The assigned number left the search.
    expect(idsOf(data(await get(`${AU_SMS}&page_size=3`)))).toEqual([
      '06edf0e7-5856-43b7-b1f7-ddd1ba5a7431',
      '0707e86b-efa2-45f7-a5aa-9ac8cb84eb15',
      '074b8bfd-f420-4168-a9f0-530cf1ba2523',
    ]);

    // 6. Release: 204 without a body; the assignment is gone from every endpoint.
    const released = await call(sim, 'DELETE', `${BASE}/${CHOSEN}/assignment`);
    expect(released.status).toBe(204);
    expect(released.text).toBe('');
    expect(await get(`${BASE}/${CHOSEN}/assignment`)).toMatchObject({ status: 404, json: { message: 'Not found' } });
    expect(data(await get(`${BASE}/assignments`)).map((x) => (x['number'] as Json)['id'])).not.toContain(CHOSEN);
    expect(sim.getAssignment(CHOSEN)).toBeUndefined();
  });

  it('a released number stays out of search for the 45-day grace period, then comes back', async () => {
    expect((await call(sim, 'POST', `${BASE}/${CHOSEN}/assignment`, { body: {} })).status).toBe(201);
    expect((await call(sim, 'DELETE', `${BASE}/${CHOSEN}/assignment`)).status).toBe(204);
    const releasedAt = clockMs;
    const one = await get(`${BASE}/${CHOSEN}`);
    expect((one.json as Json)['available_after']).toBe(new Date(releasedAt + 45 * DAY).toISOString());
    expect(idsOf(data(await get(`${AU_SMS}&page_size=3`)))).not.toContain(CHOSEN);
    expect((await call(sim, 'POST', `${BASE}/${CHOSEN}/assignment`, { body: {} })).status).toBe(409);

    clockMs = releasedAt + 45 * DAY;
    expect(idsOf(data(await get(`${AU_SMS}&page_size=3`)))).toContain(CHOSEN);
    expect((await call(sim, 'POST', `${BASE}/${CHOSEN}/assignment`, { body: {} })).status).toBe(201);
  });
});

describe('search: only unassigned numbers available now', () => {
  it('lists exactly the available numbers, never assigned, other-account or future ones', async () => {
    const expected = sim.findNumberIds({ state: 'available', country: 'AU', capability: 'SMS' });
    const seen: string[] = [];
    let token: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const res = await get(`${AU_SMS}&page_size=7${token === undefined ? '' : `&token=${token}`}`);
      expect(res.status).toBe(200);
      seen.push(...idsOf(data(res)));
      token = pagination(res)['next_token'] as string | undefined;
      if (token === undefined) break;
    }
    expect(seen).toEqual(expected);
    for (const state of ['not_yet_available', 'assigned', 'other_account'] as const) {
      const held = sim.findNumberIds({ state, country: 'AU', capability: 'SMS' });
      expect(held.length, state).toBeGreaterThan(0);
      for (const id of held) expect(seen, state).not.toContain(id);
    }
  });

  it('shows a not-yet-available number once the clock passes its available_after', async () => {
    const [future] = sim.findNumberIds({ state: 'not_yet_available', country: 'AU', capability: 'SMS', limit: 1 });
    if (future === undefined) throw new Error('no future AU SMS number');
    const availableAfter = sim.getNumber(future)?.availableAfter ?? 0;
    const all = async (): Promise<string[]> => idsOf(data(await get(`${AU_SMS}&page_size=100`)));
    clockMs = availableAfter - 1;
    expect(await all()).not.toContain(future);
    clockMs = availableAfter;
    expect(await all()).toContain(future);
  });

  it('omits available_after for numbers without one, and still lists them', async () => {
    const res = await get(`${BASE}?page_size=100`);
    const withoutDate = data(res).filter((n) => !('available_after' in n));
    expect(withoutDate.length).toBeGreaterThan(0);
    for (const n of withoutDate) expect(sim.getNumber(n['id'] as string)?.state).toBe('available');
  });

  it('filters by type (repeated or comma list), classification, matching, country in any case, exact service types', async () => {
    const check = async (query: string, pred: (n: Json) => boolean): Promise<Json[]> => {
      const res = await get(`${BASE}?page_size=100&${query}`);
      expect(res.status, query).toBe(200);
      const list = data(res);
      expect(list.length, query).toBeGreaterThan(0);
      for (const n of list) expect(pred(n), `${query} ${JSON.stringify(n)}`).toBe(true);
      return list;
    };
    await check('country=us&types=TOLL_FREE&types=HOSTED_TOLL_FREE', (n) => n['country'] === 'US' && String(n['type']).endsWith('TOLL_FREE'));
    await check('types=TEN_DLC,HOSTED_TEN_DLC', (n) => n['type'] === 'TEN_DLC' || n['type'] === 'HOSTED_TEN_DLC');
    await check('country=GB&classification=GOLD', (n) => n['country'] === 'GB' && n['classification'] === 'GOLD');
    await check('service_types=MMS,TTS', (n) => (n['capabilities'] as string[]).some((c) => c === 'MMS' || c === 'TTS'));
    await check('service_types=SMS&exact_service_types=true', (n) => JSON.stringify(n['capabilities']) === '["SMS"]');
    const matched = await check('matching=9742', (n) => String(n['phone_number']).includes('9742'));
    expect(idsOf(matched)).toContain('06edf0e7-5856-43b7-b1f7-ddd1ba5a7431');
    expect(data(await get(`${BASE}?country=AU&types=SHORT_CODE`))).toEqual([]);
  });

  it('answers 400 in the vendor shape for bad filters', async () => {
    expect(await get(`${BASE}?country=AUS&service_types=TEXT&types=PAGER&classification=PLATINUM`)).toMatchObject({
      status: 400,
      json: {
        message: BAD_REQUEST_MESSAGE,
        details: [
          'types: must be one of MOBILE, LANDLINE, TEN_DLC, TOLL_FREE, SHORT_CODE, HOSTED_TEN_DLC, HOSTED_TOLL_FREE',
          'country: must be an ISO-3166 alpha-2 country code',
          'service_types: must be one of SMS, MMS, TTS',
          'classification: must be one of BRONZE, SILVER, GOLD',
        ],
      },
    });
  });
});

describe('token pagination edges', () => {
  it('defaults to 50 per page; the last page has no next_token, even when it is exactly full', async () => {
    const dflt = await get(BASE);
    expect(data(dflt)).toHaveLength(50);
    expect(pagination(dflt)['page_size']).toBe(50);
    expect(typeof pagination(dflt)['next_token']).toBe('string');

    const total = sim.findNumberIds({ state: 'available', country: 'AU', capability: 'SMS' }).length;
    const exact = await get(`${AU_SMS}&page_size=${total}`);
    expect(data(exact)).toHaveLength(total);
    expect(pagination(exact)).toEqual({ page_size: total });

    const almost = await get(`${AU_SMS}&page_size=${total - 1}`);
    const token = pagination(almost)['next_token'] as string;
    const last = await get(`${AU_SMS}&page_size=${total - 1}&token=${token}`);
    expect(idsOf(data(last))).toEqual([token]);
    expect(pagination(last)).toEqual({ page_size: total - 1 });
  });

  it('next_token is always the id of the first number of the next page', async () => {
    let res = await get(`${AU_SMS}&page_size=4`);
    for (let i = 0; i < 3; i++) {
      const token = pagination(res)['next_token'] as string;
      res = await get(`${AU_SMS}&page_size=4&token=${token}`);
      expect(data(res)[0]?.['id']).toBe(token);
    }
  });

  it('page_size must be 1..100', async () => {
    for (const bad of ['0', '101', '-5', 'abc', '2.5']) {
      expect(await get(`${BASE}?page_size=${bad}`), bad).toMatchObject({
        status: 400,
        json: { message: BAD_REQUEST_MESSAGE, details: ['page_size: must be an integer between 1 and 100'] },
      });
    }
    expect(data(await get(`${BASE}?page_size=1`))).toHaveLength(1);
    expect(data(await get(`${BASE}?page_size=100`))).toHaveLength(100);
  });

  it('a malformed token is a 400; an unknown well-formed one continues from its position unless set to reject', async () => {
    for (const path of [`${BASE}?token=eyJwYWdlIjoyfQ`, `${BASE}/assignments?token=123`]) {
      expect(await get(path), path).toMatchObject({ status: 400, json: { message: BAD_REQUEST_MESSAGE, details: ['token: must be a UUID'] } });
    }
    const unknown = '07000000-0000-4000-8000-000000000000';
    const cont = await get(`${AU_SMS}&page_size=2&token=${unknown}`);
    expect(cont.status).toBe(200);
    expect(idsOf(data(cont))).toEqual(['0707e86b-efa2-45f7-a5aa-9ac8cb84eb15', '073fb6bd-f054-4644-aada-8fb204145d77']);

    sim.setBehaviour({ unknownToken: 'reject' });
    expect(await get(`${AU_SMS}&token=${unknown}`)).toMatchObject({ status: 400, json: { details: ['token: unknown pagination token'] } });
    // A real number's id stays a valid token, even when that number has since been assigned.
    expect((await call(sim, 'POST', `${BASE}/074b8bfd-f420-4168-a9f0-530cf1ba2523/assignment`, { body: {} })).status).toBe(201);
    const afterAssign = await get(`${AU_SMS}&page_size=1&token=074b8bfd-f420-4168-a9f0-530cf1ba2523`);
    expect(afterAssign.status).toBe(200);
    expect(idsOf(data(afterAssign))[0]! > '074b8bfd-f420-4168-a9f0-530cf1ba2523').toBe(true);
  });

  it('pages the assigned list the same way, and filters it', async () => {
    const toAssign = sim.findNumberIds({ state: 'available', country: 'US', limit: 5 });
    for (const [i, id] of toAssign.entries()) {
      const res = await call(sim, 'POST', `${BASE}/${id}/assignment`, { body: { label: i % 2 === 0 ? `Team-Even-${i}` : `Team-Odd-${i}` } });
      expect(res.status).toBe(201);
    }
    const all = sim.assignedIds();
    const seen: string[] = [];
    let token: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const res = await get(`${BASE}/assignments?page_size=2${token === undefined ? '' : `&token=${token}`}`);
      expect(res.status).toBe(200);
      const page = data(res);
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((x) => (x['number'] as Json)['id'] as string));
      token = pagination(res)['next_token'] as string | undefined;
      if (token === undefined) break;
    }
    expect(seen).toEqual(all);

    const even = data(await get(`${BASE}/assignments?label=Team-Even`));
    expect(even.map((x) => (x['assignment'] as Json)['label'])).toEqual(['Team-Even-0', 'Team-Even-2', 'Team-Even-4']);
    const one = data(await get(`${BASE}/assignments?number_id=${toAssign[1] ?? ''}`));
    expect(one.map((x) => (x['number'] as Json)['id'])).toEqual([toAssign[1]]);
    const us = data(await get(`${BASE}/assignments?country=US&page_size=100`));
    expect(us).toHaveLength(sim.assignedIds().filter((id) => sim.getNumber(id)?.country === 'US').length);
    // `types` wins over `type`.
    const typeOf = (x: Json): unknown => (x['number'] as Json)['type'];
    const mobiles = data(await get(`${BASE}/assignments?type=MOBILE&page_size=100`));
    expect(mobiles.map((x) => (x['number'] as Json)['id'])).toContain('b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985');
    expect(new Set(mobiles.map(typeOf))).toEqual(new Set(['MOBILE']));
    const tenDlc = data(await get(`${BASE}/assignments?type=MOBILE&types=TEN_DLC,HOSTED_TEN_DLC&page_size=100`));
    const expectedTenDlc = sim.assignedIds().filter((id) => ['TEN_DLC', 'HOSTED_TEN_DLC'].includes(sim.getNumber(id)?.type ?? ''));
    expect(expectedTenDlc.length).toBeGreaterThan(0);
    expect(tenDlc.map((x) => (x['number'] as Json)['id'])).toEqual(expectedTenDlc);
  });
});

describe('numbers and assignments', () => {
  it('GET one number: any number by id; 404 unknown; 400 for a non-UUID id', async () => {
    const [other] = sim.findNumberIds({ state: 'other_account', limit: 1 });
    const res = await get(`${BASE}/${other ?? ''}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json as Json)).toEqual(['id', 'phone_number', 'country', 'type', 'classification', 'capabilities']);
    expect((await get(`${BASE}/B9EE3FE8-2C20-47B1-96E9-C5D12D7ED985`)).json).toMatchObject({ id: 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985' });
    expect(await get(`${BASE}/00000000-0000-4000-8000-000000000000`)).toMatchObject({ status: 404, json: { message: 'Not found' } });
    for (const path of [`${BASE}/61438851616`, `${BASE}/not-a-uuid/assignment`]) {
      expect(await get(path), path).toMatchObject({ status: 400, json: { message: BAD_REQUEST_MESSAGE, details: ['numberId: must be a UUID'] } });
    }
  });

  it('409 when the number is already assigned (here or elsewhere) or not yet available; 404 when unknown', async () => {
    const [free] = sim.findNumberIds({ state: 'available', country: 'GB', limit: 1 });
    const [future] = sim.findNumberIds({ state: 'not_yet_available', limit: 1 });
    const [other] = sim.findNumberIds({ state: 'other_account', limit: 1 });
    const post = (id: string | undefined): Promise<Reply> => call(sim, 'POST', `${BASE}/${id ?? ''}/assignment`, { body: { label: 'x' } });
    expect((await post(free)).status).toBe(201);
    expect(await post(free)).toMatchObject({ status: 409, json: { message: 'Conflict' } });
    expect(await post(future)).toMatchObject({ status: 409, json: { message: 'Conflict' } });
    expect(await post(other)).toMatchObject({ status: 409, json: { message: 'Conflict' } });
    expect(await post('b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985')).toMatchObject({ status: 409 });
    expect(await post('00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404, json: { message: 'Not found' } });
    expect(sim.getNumber(future ?? '')?.state).toBe('not_yet_available');
  });

  it('POST with label and metadata answers both; the number loses its available_after', async () => {
    const [id] = sim.findNumberIds({ state: 'available', country: 'US', capability: 'SMS', limit: 1 });
    const res = await call(sim, 'POST', `${BASE}/${id ?? ''}/assignment`, { body: { label: 'LabelTest0', metadata: { key1: 'value1' } } });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ metadata: { key1: 'value1' }, label: 'LabelTest0', id: expect.stringMatching(/^[0-9a-f-]{36}$/), number_id: id });
    expect(Object.keys(res.json as Json)).toEqual(['metadata', 'label', 'id', 'number_id']);
    expect((await get(`${BASE}/${id ?? ''}`)).json).not.toHaveProperty('available_after');
  });

  it('PATCH: absent fields unchanged, explicit null clears, metadata replaced whole; 404 when not assigned', async () => {
    const path = `${BASE}/b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985/assignment`;
    expect((await get(path)).json).toEqual({
      metadata: { key1: 'value1' },
      label: 'LabelTest0',
      id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179',
      number_id: 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985',
    });
    expect((await call(sim, 'PATCH', path, { body: { label: 'Renamed' } })).json).toMatchObject({ label: 'Renamed', metadata: { key1: 'value1' } });
    expect((await call(sim, 'PATCH', path, { body: { metadata: { a: '1' } } })).json).toMatchObject({ label: 'Renamed', metadata: { a: '1' } });
    const cleared = await call(sim, 'PATCH', path, { body: { label: null, metadata: null } });
    expect(cleared.json).toEqual({ id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179', number_id: 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985' });
    expect(sim.getAssignment('b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985')).toMatchObject({ label: null, metadata: null });
    expect(await call(sim, 'PATCH', path, { body: {} })).toMatchObject({
      status: 400,
      json: { message: BAD_REQUEST_MESSAGE, details: ['request body is invalid: neither label nor metadata given'] },
    });

    const [free, other] = [...sim.findNumberIds({ state: 'available', limit: 1 }), ...sim.findNumberIds({ state: 'other_account', limit: 1 })];
    for (const id of [free, other, '00000000-0000-4000-8000-000000000000']) {
      const p = `${BASE}/${id ?? ''}/assignment`;
      expect((await call(sim, 'PATCH', p, { body: { label: 'x' } })).status, id).toBe(404);
      expect((await get(p)).status, id).toBe(404);
      expect((await call(sim, 'DELETE', p)).status, id).toBe(404);
    }
  });
});

describe('validation with the vendor limits', () => {
  const path = `${BASE}/06edf0e7-5856-43b7-b1f7-ddd1ba5a7431/assignment`;
  const six = Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`k${i}`, 'v']));

  it.each([
    ['6 metadata entries', { metadata: six }, 'metadata: size must be between 0 and 5'],
    ['a 101-character key', { metadata: { ['k'.repeat(101)]: 'v' } }, 'metadata: Invalid map keys'],
    ['a 257-character value', { metadata: { k: 'v'.repeat(257) } }, 'metadata: Invalid map values'],
    ['a 101-character label', { label: 'l'.repeat(101) }, 'label: size must be between 0 and 100'],
  ])('POST and PATCH refuse %s with 400 and change nothing', async (_label, body, detail) => {
    const before = sim.assignedIds();
    expect(await call(sim, 'POST', path, { body })).toMatchObject({ status: 400, json: { message: BAD_REQUEST_MESSAGE, details: [detail] } });
    expect(sim.assignedIds()).toEqual(before);
    const assigned = `${BASE}/b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985/assignment`;
    expect(await call(sim, 'PATCH', assigned, { body })).toMatchObject({ status: 400, json: { details: [detail] } });
    expect(sim.getAssignment('b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985')).toMatchObject({ label: 'LabelTest0', metadata: { key1: 'value1' } });
  });

  it('accepts every limit exactly', async () => {
    const metadata = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`${'k'.repeat(99)}${i}`, 'v'.repeat(256)]));
    const res = await call(sim, 'POST', path, { body: { label: 'l'.repeat(100), metadata } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ label: 'l'.repeat(100), metadata });
  });

  it('bad JSON and unbindable bodies are parse failures; a non-JSON content type is 415', async () => {
    const parseFailure = { status: 400, json: { message: BAD_REQUEST_MESSAGE, details: ['Failed to parse message body.'] } };
    expect(await call(sim, 'POST', path, { raw: '{"label": ' })).toMatchObject(parseFailure);
    expect(await call(sim, 'POST', path, { raw: '' })).toMatchObject(parseFailure);
    expect(await call(sim, 'POST', path, { body: ['label'] })).toMatchObject(parseFailure);
    expect(await call(sim, 'POST', path, { body: { metadata: { k: 1 } } })).toMatchObject(parseFailure);
    expect(await call(sim, 'POST', path, { raw: 'label=x', headers: { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' } })).toMatchObject({
      status: 415,
      json: { message: 'Unsupported Media Type' },
    });
    expect(await call(sim, 'POST', path, { headers: AUTH })).toMatchObject({ status: 415 });
    expect(sim.getAssignment('06edf0e7-5856-43b7-b1f7-ddd1ba5a7431')).toBeUndefined();
  });

  it('answers 405 and 406 in the vendor shape', async () => {
    const res = await call(sim, 'PUT', path, { body: {} });
    expect(res).toMatchObject({ status: 405, json: { message: 'Method Not Allowed' } });
    expect(res.headers['allow']).toBe('DELETE, GET, PATCH, POST');
    expect(await get(BASE, { ...AUTH, accept: 'text/html' })).toMatchObject({ status: 406, json: { message: 'Not Acceptable' } });
    for (const accept of ['application/json', '*/*', 'text/html, application/*;q=0.8']) {
      expect((await get(`${BASE}?page_size=1`, { ...AUTH, accept })).status, accept).toBe(200);
    }
  });
});

describe('HTTP Basic auth', () => {
  it('401 without usable Basic credentials, 403 for wrong ones, checked before routing', async () => {
    const noCreds = { status: 401, json: { message: 'No valid authentication details were provided' } };
    const missing = await get(BASE, {});
    expect(missing).toMatchObject(noCreds);
    expect(missing.headers['www-authenticate']).toBe('Basic realm="MessageMedia"');
    expect(await get(BASE, { authorization: `Bearer ${SECRET}` })).toMatchObject(noCreds);
    expect(await get('/v1/numbers', {})).toMatchObject(noCreds);
    const invalid = { status: 403, json: { message: 'Invalid authentication credentials' } };
    expect(await get(BASE, { authorization: basicAuthHeader(KEY, 'wrong') })).toMatchObject(invalid);
    expect(await get(BASE, { authorization: basicAuthHeader('wrong', SECRET) })).toMatchObject(invalid);
    expect(await get('/v1/numbers')).toMatchObject({ status: 404, json: { message: 'Not found' } });
  });

  it('honours configured credentials', async () => {
    const custom = createMessageMediaSimulator({ apiKey: 'k2', apiSecret: 's2' });
    await custom.start();
    try {
      expect((await call(custom, 'GET', BASE)).status).toBe(403);
      expect((await call(custom, 'GET', `${BASE}?page_size=1`, { headers: { authorization: basicAuthHeader('k2', 's2') } })).status).toBe(200);
    } finally {
      await custom.close();
    }
  });
});

describe('behaviour switches (GET|PUT /__sim/behaviour)', () => {
  const put = (body: unknown): Promise<Reply> => call(sim, 'PUT', '/__sim/behaviour', { body, headers: {} });
  const path = `${BASE}/b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985/assignment`;

  it('PATCH answers 200 with the assignment by default, 204 without a body when switched', async () => {
    expect((await get('/__sim/behaviour', {})).json).toMatchObject({ patchAssignmentStatus: 200 });
    expect((await call(sim, 'PATCH', path, { body: { label: 'A' } })).status).toBe(200);
    expect((await put({ patchAssignmentStatus: 204 })).json).toMatchObject({ patchAssignmentStatus: 204 });
    const res = await call(sim, 'PATCH', path, { body: { label: 'B' } });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(sim.getAssignment('b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985')?.label).toBe('B');
    expect(await put({ patchAssignmentStatus: 201 })).toMatchObject({ status: 400 });
    expect(await put({ surprise: true })).toMatchObject({ status: 400 });
    expect(sim.getBehaviour().patchAssignmentStatus).toBe(204);
  });

  it('phone numbers without "+" (the newer spec examples) when switched to digits', async () => {
    await put({ phoneNumberFormat: 'digits' });
    expect((await get(`${AU_SMS}&page_size=1`)).json).toMatchObject({ data: [{ phone_number: '61439742682' }] });
    const assigned = data(await get(`${BASE}/assignments?number_id=b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985`));
    expect((assigned[0]?.['number'] as Json)['phone_number']).toBe('61400000000');
  });

  it('an account without the feature gets 403 on the gated endpoints; the assigned list is not gated', async () => {
    await put({ dedicatedNumbersEnabled: false });
    const forbidden = { status: 403, json: { message: FEATURE_NOT_ENABLED_MESSAGE } };
    expect(await get(BASE)).toMatchObject(forbidden);
    expect(await get(`${BASE}/b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985`)).toMatchObject(forbidden);
    expect(await get(path)).toMatchObject(forbidden);
    expect(await call(sim, 'POST', `${BASE}/06edf0e7-5856-43b7-b1f7-ddd1ba5a7431/assignment`, { body: {} })).toMatchObject(forbidden);
    expect(await call(sim, 'PATCH', path, { body: { label: 'x' } })).toMatchObject(forbidden);
    expect(await call(sim, 'DELETE', path)).toMatchObject(forbidden);
    expect((await get(`${BASE}/assignments`)).status).toBe(200);
    expect(sim.assignedIds()).toContain('b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985');
  });
});

describe('faults, latency, request log and control routes', () => {
  it('renders injected errors in the vendor shape, per status, and logs them', async () => {
    const since = sim.requestLog.lastSeq();
    for (const [status, message] of [
      [500, 'Something went wrong'],
      [503, 'Service Unavailable'],
      [504, 'Request to numbers service timed out, please try again later'],
      [429, 'Too Many Requests'],
    ] as const) {
      sim.setFaults({ errorRate: 1, errorStatus: status });
      expect(await get(BASE), String(status)).toMatchObject({ status, json: { message } });
    }
    expect(sim.requestLog.count({ since, fault: 'error' })).toBe(4);
  });

  it('targets faults by method, so reads still work while writes fail', async () => {
    sim.setFaults({ errorRate: 1, errorStatus: 503, methods: ['POST'], retryAfterSeconds: 2 });
    const res = await call(sim, 'POST', `${BASE}/06edf0e7-5856-43b7-b1f7-ddd1ba5a7431/assignment`, { body: {} });
    expect(res).toMatchObject({ status: 503, json: { message: 'Service Unavailable' } });
    expect(res.headers['retry-after']).toBe('2');
    expect(sim.getAssignment('06edf0e7-5856-43b7-b1f7-ddd1ba5a7431')).toBeUndefined();
    expect((await get(`${BASE}?page_size=1`)).status).toBe(200);
  });

  it('applies configured latency through the injected sleeper (recorded, not timed)', async () => {
    const waits: number[] = [];
    const slow = createMessageMediaSimulator({
      faults: { latencyMs: 250 },
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    await slow.start();
    try {
      expect((await call(slow, 'GET', `${BASE}?page_size=1`)).status).toBe(200);
      expect(waits).toEqual([250]);
      expect(slow.requestLog.entries().map((e) => e.delayMs)).toEqual([250]);
    } finally {
      await slow.close();
    }
  });

  it('logs API calls with 7+ digit runs redacted, not control calls; POST /__sim/data/reset restores the seed', async () => {
    sim.requestLog.clear();
    await get(`${BASE}?matching=61438851616&page_size=1`);
    await get(`${BASE}?matching=4398&page_size=1`);
    await call(sim, 'POST', `${BASE}/06edf0e7-5856-43b7-b1f7-ddd1ba5a7431/assignment`, { body: {} });
    await get('/__sim/behaviour', {});
    expect(sim.requestLog.entries().map((e) => [e.method, e.path, e.query, e.status])).toEqual([
      ['GET', BASE, 'matching=[redacted]&page_size=1', 200],
      ['GET', BASE, 'matching=4398&page_size=1', 200],
      ['POST', `${BASE}/06edf0e7-5856-43b7-b1f7-ddd1ba5a7431/assignment`, '', 201],
    ]);

    expect(sim.assignedIds()).toContain('06edf0e7-5856-43b7-b1f7-ddd1ba5a7431');
    expect((await call(sim, 'POST', '/__sim/data/reset', { headers: {} })).status).toBe(204);
    expect(sim.assignedIds()).not.toContain('06edf0e7-5856-43b7-b1f7-ddd1ba5a7431');
    expect((await get(`${AU_SMS}&page_size=3`)).json).toEqual(ARTICLE_PAGE);
  });
});

describe('launcher (npm run simulators)', () => {
  const launch = (env: Record<string, string>): ReturnType<typeof messageMediaLauncher.launch> =>
    messageMediaLauncher.launch({ host: '127.0.0.1', port: 0, faults: {}, faultSeed: 1, logCapacity: 100, env });

  it('prints the origin as MESSAGEMEDIA_BASE_URL, the key, and the secret only when it is the public default', async () => {
    expect(messageMediaLauncher).toMatchObject({ name: 'messagemedia', envPrefix: 'MESSAGEMEDIA', defaultPort: 4012 });
    const dflt = await launch({});
    try {
      const lines = dflt.describe();
      expect(lines).toContain(`MESSAGEMEDIA_BASE_URL=${dflt.origin}`);
      expect(lines).toContain('MESSAGEMEDIA_API_KEY=sim-messagemedia-key');
      expect(lines).toContain('MESSAGEMEDIA_API_SECRET=sim-messagemedia-secret');
      expect(lines.join('\n')).toMatch(/^data: \d+ numbers \((AU|US|GB) \d+, (AU|US|GB) \d+, (AU|US|GB) \d+\); \d+ available now; \d+ assigned/m);
      expect(lines.join('\n')).toContain('/__sim/behaviour');
      expect(lines.join('\n')).toContain('06edf0e7-5856-43b7-b1f7-ddd1ba5a7431');
      const res = await request(`${dflt.origin}${BASE}?page_size=1`, { headers: { authorization: basicAuthHeader(KEY, SECRET) } });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      await dflt.close();
    }

    const custom = await launch({ MESSAGEMEDIA_SIM_API_KEY: 'team-key', MESSAGEMEDIA_SIM_API_SECRET: 'very-private-secret-123', MESSAGEMEDIA_SIM_PATCH_STATUS: '204' });
    try {
      const text = custom.describe().join('\n');
      expect(text).toContain('MESSAGEMEDIA_API_KEY=team-key');
      expect(text).not.toContain('very-private-secret-123');
      expect(text).toContain('MESSAGEMEDIA_API_SECRET=<the value of MESSAGEMEDIA_SIM_API_SECRET>');
      expect(text).toContain('patchAssignmentStatus=204');
      const res = await request(`${custom.origin}${BASE}?page_size=1`, { headers: { authorization: basicAuthHeader('team-key', 'very-private-secret-123') } });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    } finally {
      await custom.close();
    }
    await expect(launch({ MESSAGEMEDIA_SIM_PATCH_STATUS: '202' })).rejects.toThrow('MESSAGEMEDIA_SIM_PATCH_STATUS must be 200 or 204');
  });
});
