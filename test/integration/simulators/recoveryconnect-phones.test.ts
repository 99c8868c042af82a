/**
 * RecoveryConnect simulator: borrowers and the five phone operations over loopback HTTP, checked against the
 * bodies of seeds/003_c0057283a7c329bb.txt and vendor-apis.md 4.4 verbatim.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
  BENCH_BORROWER_COUNT,
  BENCH_ORDER_ID,
  DECEASED_BORROWER_ID,
  DOC_BORROWER_ID,
  DOC_DELETED_PHONE_ID,
  DOC_ORDER_ID,
  EDGE_BORROWER_ID,
  EDGE_ORDER_ID,
  EDGE_PHONE_IDS,
  EMPTY_ORDER_ID,
  NO_PHONES_BORROWER_ID,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';
import {
  createRecoveryConnectSimulator,
  DEFAULT_RECOVERYCONNECT_PASSWORD,
  DEFAULT_RECOVERYCONNECT_USERNAME,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.simulator.js';
import type { RecoveryConnectSimulator } from '../../../src/simulators/recoveryconnect/recoveryconnect.simulator.js';

interface Reply {
  status: number;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

let sim: RecoveryConnectSimulator;
let token: string;
/** The simulator's clock; writes stamp created_at / updated_at from it. */
let nowMs = Date.UTC(2026, 2, 7, 14, 18, 7);

async function send(method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', path: string, body?: unknown, raw?: string): Promise<Reply> {
  const text = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const res = await request(`${sim.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: text,
  });
  const out = await res.body.text();
  return { status: res.statusCode, json: out === '' ? undefined : (JSON.parse(out) as unknown), headers: res.headers };
}

const ORDER = `/api/v140/orders/${DOC_ORDER_ID}`;
const BORROWER = `${ORDER}/borrowers/${DOC_BORROWER_ID}`;
const PHONES = `${BORROWER}/phones`;

/** Seed: "Retrieve Borrower Phone Details" meta, verbatim. */
const SHOW_META = {
  fixme: {
    message: 'GenericResource: create specific resource object',
    source: {
      file: '/var/www/mobile_dev/releases/20210210171746/versions/v140/app/Http/Controllers/Api/Mixins/Actions/Get/ShowSingleOrderBorrowerPhoneInfo.php',
      line: 35,
      function: '__construct',
      class: 'App\\Http\\Resources\\GenericResource',
      type: '->',
    },
  },
};

/** The seed's create example body. */
const CREATE_BODY = { type: 6, mobile_carrier_id: 1, number: '6789321578', extension: '22', memo: 'home', valid: 1, no_contact: 0 };
/** The seed's create answer `data` (the clock is set to its created_at). */
const CREATED = {
  id: 39317581,
  type: 6,
  mobile_carrier_id: 1,
  number: '678-932-1578',
  extension: '22',
  memo: 'home',
  valid: 1,
  no_contact: 0,
  created_at: '2026-03-07 14:18:07',
  updated_at: '2026-03-07 14:18:07',
  deleted_at: null,
  migration: null,
  address_with_number: 'No address',
};

const LIST_KEYS = ['id', 'type', 'mobile_carrier_id', 'number', 'extension', 'memo', 'valid', 'no_contact', 'created_at', 'updated_at'];
const DETAIL_KEYS = [...LIST_KEYS, 'deleted_at', 'migration', 'address_with_number'];
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DASHED_RE = /^\d{3}-\d{3}-\d{4}$/;

function data(reply: Reply): unknown {
  return (reply.json as { data: unknown }).data;
}

function list(reply: Reply): Record<string, unknown>[] {
  const d = data(reply);
  if (!Array.isArray(d)) throw new Error('data is not an array');
  return d as Record<string, unknown>[];
}

function item(reply: Reply): Record<string, unknown> {
  return data(reply) as Record<string, unknown>;
}

async function createDocPhone(): Promise<Record<string, unknown>> {
  const res = await send('POST', PHONES, CREATE_BODY);
  expect(res.status).toBe(200);
  return item(res);
}

beforeAll(async () => {
  // Tokens outlive every clock move in this file (expiry has its own tests).
  sim = createRecoveryConnectSimulator({ now: () => nowMs, tokenTtlSeconds: 30 * 86_400 });
  await sim.start();
  const res = await request(`${sim.baseUrl}/api/v140/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: DEFAULT_RECOVERYCONNECT_USERNAME, password: DEFAULT_RECOVERYCONNECT_PASSWORD }),
  });
  token = ((await res.body.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.resetData();
  nowMs = Date.UTC(2026, 2, 7, 14, 18, 7);
});

describe('RecoveryConnect borrowers', () => {
  it('lists the borrowers of an order with the record of section 4.4 verbatim, embedded phones always empty', async () => {
    const res = await send('GET', `${ORDER}/borrowers`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json as object)).toEqual(['data']);
    const borrowers = list(res);
    expect(borrowers.map((b) => b['id'])).toEqual([DOC_BORROWER_ID, NO_PHONES_BORROWER_ID]);
    expect(borrowers[0]).toEqual({
      id: 124927241, parent_id: 124927240, order_id: 57062885, person_id: 136781282,
      role: 'borrower', is_violent: 0, is_primary: 1, active_military: 0, is_deceased: 0, is_fraud: 0,
      created_at: '2026-02-17 10:45:03', updated_at: '2026-02-17 10:45:03', deleted_at: null, bankruptcy: null,
      firstname: 'A_Toney', middle_initial: '', lastname: 'Spencer', birthday: null,
      license_no: null, license_state: null, validated: 1, migration: null, phones: [], ssn: null,
    });
    // Field order as in the docs.
    expect(Object.keys(borrowers[1] as object)).toEqual(Object.keys(borrowers[0] as object));
    // The doc borrower has phones on the phones endpoint, yet its embedded list is empty (as in the sample).
    expect(list(await send('GET', PHONES)).length).toBeGreaterThan(0);
  });

  it('answers an order without borrowers with an empty list, and an unknown order with 404', async () => {
    expect((await send('GET', `/api/v140/orders/${EMPTY_ORDER_ID}/borrowers`)).json).toEqual({ data: [] });
    const res = await send('GET', '/api/v140/orders/99999999/borrowers');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: 'No query results for model [App\\Models\\Order] 99999999' });
  });

  it('serves the benchmark order: 20 borrowers, each with 1-3 phones in the vendor spelling', async () => {
    const borrowers = list(await send('GET', `/api/v140/orders/${BENCH_ORDER_ID}/borrowers`));
    expect(borrowers).toHaveLength(BENCH_BORROWER_COUNT);
    expect(borrowers.filter((b) => b['is_primary'] === 1)).toHaveLength(1);
    const lists = await Promise.all(
      borrowers.map((b) => send('GET', `/api/v140/orders/${BENCH_ORDER_ID}/borrowers/${String(b['id'])}/phones`)),
    );
    for (const res of lists) {
      expect(res.status).toBe(200);
      const phones = list(res);
      expect(phones.length).toBeGreaterThanOrEqual(1);
      expect(phones.length).toBeLessThanOrEqual(3);
      for (const p of phones) {
        expect(Object.keys(p)).toEqual(LIST_KEYS);
        expect(p['number']).toMatch(DASHED_RE);
        expect(p['created_at']).toMatch(TIMESTAMP_RE);
      }
    }
  });
});

describe('RecoveryConnect phone reads', () => {
  it('lists a borrower\'s phones exactly as the seed article does', async () => {
    const res = await send('GET', PHONES);
    expect(res.status).toBe(200);
    // Verbatim from the seed; the soft-deleted 39317580 is not listed.
    expect(res.json).toEqual({
      data: [
        { id: 39317578, type: 5, mobile_carrier_id: null, number: '678-932-1578', extension: null, memo: null, valid: 1, no_contact: 0, created_at: '2026-03-07 14:03:51', updated_at: '2026-03-07 14:03:51' },
        { id: 39317579, type: 6, mobile_carrier_id: null, number: '887-213-6744', extension: null, memo: null, valid: 1, no_contact: 0, created_at: '2026-03-07 14:03:51', updated_at: '2026-03-07 14:03:51' },
      ],
    });
    expect(Object.keys(list(res)[0] as object)).toEqual(LIST_KEYS);
  });

  it('reads one phone with the meta.fixme oddity and the three extra fields', async () => {
    const res = await send('GET', `${PHONES}/39317578`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.json as object)).toEqual(['data', 'meta']);
    expect((res.json as { meta: unknown }).meta).toEqual(SHOW_META);
    expect(Object.keys(item(res))).toEqual(DETAIL_KEYS);
    expect(item(res)).toMatchObject({ id: 39317578, number: '678-932-1578', deleted_at: null, migration: null, address_with_number: 'No address' });
  });

  it('carries the seeded edge cases: no_contact, invalid, unknown type 9 with extension and memo', async () => {
    const phones = list(await send('GET', `/api/v140/orders/${EDGE_ORDER_ID}/borrowers/${EDGE_BORROWER_ID}/phones`));
    const byId = new Map(phones.map((p) => [p['id'], p]));
    expect(byId.get(EDGE_PHONE_IDS.noContact)).toMatchObject({ no_contact: 1, mobile_carrier_id: 2 });
    expect(byId.get(EDGE_PHONE_IDS.invalid)).toMatchObject({ valid: 0 });
    expect(byId.get(EDGE_PHONE_IDS.unknownType)).toMatchObject({ type: 9, extension: '22', memo: 'work - ask for Dolores' });
    expect(byId.get(EDGE_PHONE_IDS.sharedWithLoanPro)).toMatchObject({ number: '651-473-7960' });
    const none = await send('GET', `${ORDER}/borrowers/${NO_PHONES_BORROWER_ID}/phones`);
    expect(none.json).toEqual({ data: [] });
  });

  it.each([
    ['an unknown borrower of a known order', `${ORDER}/borrowers/1/phones`, 'OrderBorrower', '1'],
    ['a borrower of another order', `/api/v140/orders/${EDGE_ORDER_ID}/borrowers/${DOC_BORROWER_ID}/phones`, 'OrderBorrower', String(DOC_BORROWER_ID)],
    ['an unknown order', `/api/v140/orders/1/borrowers/${DOC_BORROWER_ID}/phones`, 'Order', '1'],
    ['an unknown phone', `${PHONES}/1`, 'OrderBorrowerPhone', '1'],
    ['a phone of another borrower', `${PHONES}/${EDGE_PHONE_IDS.noContact}`, 'OrderBorrowerPhone', String(EDGE_PHONE_IDS.noContact)],
    ['a soft-deleted phone', `${PHONES}/${DOC_DELETED_PHONE_ID}`, 'OrderBorrowerPhone', String(DOC_DELETED_PHONE_ID)],
    ['a phone under a borrower of another order', `/api/v140/orders/${EDGE_ORDER_ID}/borrowers/${DOC_BORROWER_ID}/phones/39317578`, 'OrderBorrower', String(DOC_BORROWER_ID)],
  ])('404 for %s', async (_label, path, model, id) => {
    const res = await send('GET', path);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ message: `No query results for model [App\\Models\\${model}] ${id}` });
  });
});

describe('RecoveryConnect phone writes', () => {
  it('creates a phone exactly as the seed example answers, and reads it back', async () => {
    const res = await send('POST', PHONES, CREATE_BODY);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: CREATED, status: 'success' });
    expect(Object.keys(item(res))).toEqual(DETAIL_KEYS);

    const read = await send('GET', `${PHONES}/39317581`);
    expect(read.json).toEqual({ data: CREATED, meta: SHOW_META });
    expect(list(await send('GET', PHONES)).map((p) => p['id'])).toEqual([39317578, 39317579, 39317581]);
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317581)).toMatchObject({ borrower_id: DOC_BORROWER_ID, number: '678-932-1578' });
  });

  it('fills the optional fields with defaults when only type and number are sent', async () => {
    const res = await send('POST', PHONES, { type: 5, number: '4045550123' });
    expect(item(res)).toMatchObject({ type: 5, mobile_carrier_id: null, number: '404-555-0123', extension: null, memo: null, valid: 1, no_contact: 0 });
  });

  it.each([
    ['6789321578'],
    ['678-932-1578'],
    ['(678) 932-1578'],
    ['678.932.1578'],
    ['678 932 1578'],
    ['+1 678 932 1578'],
    ['16789321578'],
    ['  (678)932-1578  '],
  ])('stores %j as 678-932-1578 on create and on update', async (spelling) => {
    const created = item(await send('POST', PHONES, { type: 5, number: spelling }));
    expect(created['number']).toBe('678-932-1578');
    const updated = await send('PUT', `${PHONES}/39317579`, { number: spelling });
    expect(item(updated)['number']).toBe('678-932-1578');
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317579)?.number).toBe('678-932-1578');
  });

  it('updates as the seed example answers: given fields change, created_at stays, updated_at moves', async () => {
    await createDocPhone();
    nowMs = Date.UTC(2026, 2, 7, 17, 9, 58);
    const res = await send('PUT', `${PHONES}/39317581`, {
      type: 6, mobile_carrier_id: 2, number: '678-932-1578', extension: '44', memo: 'Personal', valid: 1, no_contact: 0,
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      data: { ...CREATED, mobile_carrier_id: 2, extension: '44', memo: 'Personal', updated_at: '2026-03-07 17:09:58' },
      status: 'success',
    });
  });

  it('is a partial update: absent fields stay unchanged, null clears a nullable field', async () => {
    await createDocPhone();
    nowMs += 60_000;
    const memoOnly = item(await send('PUT', `${PHONES}/39317581`, { memo: 'Evenings only' }));
    expect(memoOnly).toEqual({ ...CREATED, memo: 'Evenings only', updated_at: '2026-03-07 14:19:07' });

    nowMs += 60_000;
    const flags = item(await send('PUT', `${PHONES}/39317581`, { no_contact: true, valid: '0', extension: null }));
    expect(flags).toEqual({ ...CREATED, memo: 'Evenings only', no_contact: 1, valid: 0, extension: null, updated_at: '2026-03-07 14:20:07' });
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317581)).toMatchObject({ no_contact: 1, valid: 0, extension: null, type: 6 });
  });

  it('leaves updated_at alone when nothing actually changes (an empty body, or the same values)', async () => {
    await createDocPhone();
    nowMs += 3_600_000;
    expect(item(await send('PUT', `${PHONES}/39317581`, {}))).toEqual(CREATED);
    // Same values in another spelling, plus read-only and unknown fields, which are ignored.
    const same = await send('PUT', `${PHONES}/39317581`, { number: '(678) 932-1578', type: '6', id: 1, created_at: 'x', colour: 'red' });
    expect(item(same)).toEqual(CREATED);
  });

  it('deletes as the seed answers; the phone is then 404 everywhere and gone from the list', async () => {
    const res = await send('DELETE', `${PHONES}/39317579`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      data: { success: true },
      meta: {
        fixme: {
          message: 'GenericResource: create specific resource object',
          source: {
            file: '/var/www/mobile_dev/releases/20210210171746/versions/v130/app/Http/Controllers/Api/Mixins/Actions/Delete/DeleteOrderBorrowerInfo.php',
            line: 51,
            function: '__construct',
            class: 'App\\Http\\Resources\\GenericResource',
            type: '->',
          },
        },
      },
    });
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const again = await send(method, `${PHONES}/39317579`, method === 'PUT' ? { memo: 'x' } : undefined);
      expect(again.status, method).toBe(404);
    }
    expect(list(await send('GET', PHONES)).map((p) => p['id'])).toEqual([39317578]);
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317579)?.deleted_at).toBe('2026-03-07 14:18:07');
  });

  it('never reuses the id of a deleted phone', async () => {
    await createDocPhone();
    expect((await send('DELETE', `${PHONES}/39317581`)).status).toBe(200);
    expect(item(await send('POST', PHONES, CREATE_BODY))['id']).toBe(39317582);
  });

  it('writes to a borrower of another order are 404 and change nothing', async () => {
    const path = `/api/v140/orders/${EDGE_ORDER_ID}/borrowers/${DOC_BORROWER_ID}/phones`;
    expect((await send('POST', path, CREATE_BODY)).status).toBe(404);
    expect((await send('PUT', `${path}/39317578`, { memo: 'x' })).status).toBe(404);
    expect((await send('DELETE', `${path}/39317578`)).status).toBe(404);
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317578)).toMatchObject({ memo: null, deleted_at: null });
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317581)).toBeUndefined();
  });

  it('answers a create without the mandatory fields with a Laravel-style 422 and stores nothing', async () => {
    const res = await send('POST', PHONES, { memo: 'home' });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({
      message: 'The given data was invalid.',
      errors: { type: ['The type field is required.'], number: ['The number field is required.'] },
    });
    expect(list(await send('GET', PHONES))).toHaveLength(2);
  });

  it.each([
    [{ type: 'mobile', number: '6789321578' }, 'type', 'The type must be an integer.'],
    [{ type: 0, number: '6789321578' }, 'type', 'The type must be at least 1.'],
    [{ type: 5, number: '678932157' }, 'number', 'The number format is invalid.'],
    [{ type: 5, number: '+44 20 7946 0958' }, 'number', 'The number format is invalid.'],
    [{ type: 5, number: '678-932-1578 ext 22' }, 'number', 'The number format is invalid.'],
    [{ type: 5, number: 6789321578 }, 'number', 'The number must be a string.'],
    [{ type: 5, number: '   ' }, 'number', 'The number field is required.'],
    [{ type: 5, number: '6789321578', mobile_carrier_id: 'att' }, 'mobile_carrier_id', 'The mobile carrier id must be an integer.'],
    [{ type: 5, number: '6789321578', extension: 22 }, 'extension', 'The extension must be a string.'],
    [{ type: 5, number: '6789321578', extension: '12345678901' }, 'extension', 'The extension must not be greater than 10 characters.'],
    [{ type: 5, number: '6789321578', memo: 'm'.repeat(256) }, 'memo', 'The memo must not be greater than 255 characters.'],
    [{ type: 5, number: '6789321578', valid: 2 }, 'valid', 'The valid field must be true or false.'],
    [{ type: 5, number: '6789321578', no_contact: 'yes' }, 'no_contact', 'The no contact field must be true or false.'],
  ])('422 on create for %j', async (body, field, message) => {
    const res = await send('POST', PHONES, body);
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ message: 'The given data was invalid.', errors: { [field]: [message] } });
  });

  it('rejects an update that would null a mandatory field or send a bad value, leaving the phone unchanged', async () => {
    for (const [body, field] of [
      [{ number: null }, 'number'],
      [{ type: null }, 'type'],
      [{ valid: null }, 'valid'],
      [{ number: 'call me' }, 'number'],
    ] as const) {
      const res = await send('PUT', `${PHONES}/39317578`, { memo: 'changed', ...body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(Object.keys((res.json as { errors: object }).errors)).toEqual([field]);
    }
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317578)).toMatchObject({ memo: null, number: '678-932-1578', type: 5, valid: 1 });
  });

  it('answers a body that is not a JSON object with 422, and malformed JSON with 400', async () => {
    const arr = await send('POST', PHONES, [CREATE_BODY]);
    expect(arr.status).toBe(422);
    expect(arr.json).toEqual({ message: 'The given data was invalid.', errors: { body: ['The request body must be a JSON object.'] } });
    const bad = await send('PUT', `${PHONES}/39317578`, undefined, '{"memo": ');
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ message: 'Request body is not valid JSON.' });
  });

  it('answers a wrong method with Laravel\'s 405 text and an Allow header', async () => {
    const res = await send('PATCH', `${PHONES}/39317578`, { memo: 'x' });
    expect(res.status).toBe(405);
    expect(res.json).toEqual({ message: 'The PATCH method is not supported for this route. Supported methods: DELETE, GET, PUT.' });
    expect(res.headers['allow']).toBe('DELETE, GET, PUT');
    expect((await send('DELETE', `${ORDER}/borrowers`)).status).toBe(405);
  });

  it('keeps the not-NANP seeded number as stored, dashes and all', async () => {
    const res = await send('GET', `/api/v140/orders/${EDGE_ORDER_ID}/borrowers/${DECEASED_BORROWER_ID}/phones/${EDGE_PHONE_IDS.notNanp}`);
    expect(item(res)['number']).toBe('123-456-7890');
  });

  it('resets to the seed data on resetData()', async () => {
    await createDocPhone();
    await send('DELETE', `${PHONES}/39317578`);
    sim.resetData();
    expect(list(await send('GET', PHONES)).map((p) => p['id'])).toEqual([39317578, 39317579]);
    expect((await send('POST', PHONES, CREATE_BODY)).json).toEqual({ data: CREATED, status: 'success' });
  });
});
