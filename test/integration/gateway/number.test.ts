/**
 * MessageMedia dedicated numbers through the gateway, over real HTTP to the simulator: the seed article's whole
 * flow, the cursors over the vendor's token pages, E.164 numbers and short codes, batching, scopes and the
 * vendor's 409. Verdicts come from answers and the simulator's request log, never from timing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  AssignDedicatedNumberMutation,
  AvailableNumbersQuery,
  DedicatedNumberQuery,
  DedicatedNumbersQuery,
  ReleaseDedicatedNumberMutation,
  UpdateNumberAssignmentMutation,
} from '../../__generated__/operations.js';
import { ADMIN_KEY, NO_SCOPE_KEY, READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';

const DOCUMENT = readFileSync(new URL('../../operations/number.graphql', import.meta.url), 'utf8');
const op = (operationName: string) => ({ query: DOCUMENT, operationName });
const BASE = '/v1/messaging/numbers/dedicated';
const START = Date.UTC(2026, 0, 15, 12, 0, 0);

/** The seed article's first page, next token and the number it buys (seed 001_90a91e3bcc51e662.txt). */
const ARTICLE_PAGE = ['06edf0e7-5856-43b7-b1f7-ddd1ba5a7431', '0707e86b-efa2-45f7-a5aa-9ac8cb84eb15', '073fb6bd-f054-4644-aada-8fb204145d77'];
const ARTICLE_NEXT = '074b8bfd-f420-4168-a9f0-530cf1ba2523';
const ARTICLE_NUMBER = '073fb6bd-f054-4644-aada-8fb204145d77';
const ARTICLE_ASSIGNMENT = 'b06387c0-f4d9-4333-8657-c819bede79c3';
/** Seeded: assigned to the account (the docs' example), not yet available, another account's. */
const HELD = 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985';
const NOT_YET = '08b473de-1a8f-4212-a7a7-3793e94c5f12';
const OTHERS = '32a188ad-ae27-407d-83ea-fa81dd1480bb';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let gw: TestGateway;
const sim = () => gw.simulators.messagemedia!;
const calls = () => gw.requests('messagemedia');
let keySeq = 0;
const key = () => `number-test-${++keySeq}`;

beforeAll(async () => {
  gw = await startGateway({ simulators: { messagemedia: { now: () => START } } });
});
afterAll(() => gw.close());
beforeEach(() => {
  sim().resetData();
  sim().resetFaults();
  sim().setBehaviour({ patchAssignmentStatus: 200, phoneNumberFormat: 'e164' });
  gw.resetRequestLog();
});

describe("the seed article's flow", () => {
  it('searches AU SMS numbers, pages with the token, assigns one, relabels it, lists it, releases it', async () => {
    const page1 = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { country: 'AU', capabilities: ['SMS'], first: 3 }, { key: ADMIN_KEY });
    expect(page1.errors).toBeUndefined();
    const first = page1.data!.availableNumbers!;
    expect(first.edges.map((e) => e.node!.id)).toEqual(ARTICLE_PAGE);
    expect(first.edges[2]!.node).toEqual({
      id: ARTICLE_NUMBER,
      phoneNumber: '+61438851616',
      raw: '+61438851616',
      country: 'AU',
      type: 'MOBILE',
      classification: 'BRONZE',
      availableAfter: '2019-08-06T23:56:58.186Z',
      capabilities: ['SMS'],
      assignment: null,
    });
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[2]!.cursor });
    // Search lists unassigned numbers only: their assignment needs no call.
    expect(calls()).toEqual([{ method: 'GET', path: BASE, query: 'country=AU&service_types=SMS&page_size=3', status: 200 }]);

    gw.resetRequestLog();
    const page2 = await gw.gql<AvailableNumbersQuery>(
      op('AvailableNumbers'),
      { country: 'AU', capabilities: ['SMS'], first: 3, after: first.pageInfo.endCursor },
      { key: ADMIN_KEY },
    );
    expect(page2.errors).toBeUndefined();
    expect(page2.data!.availableNumbers!.edges[0]!.node!.id).toBe(ARTICLE_NEXT);
    expect(calls()).toEqual([{ method: 'GET', path: BASE, query: `country=AU&service_types=SMS&page_size=3&token=${ARTICLE_NEXT}`, status: 200 }]);

    gw.resetRequestLog();
    const assigned = await gw.gql<AssignDedicatedNumberMutation>(op('AssignDedicatedNumber'), { numberId: ARTICLE_NUMBER, idempotencyKey: key() }, { key: ADMIN_KEY });
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data!.assignDedicatedNumber).toMatchObject({
      id: ARTICLE_NUMBER,
      phoneNumber: '+61438851616',
      availableAfter: null,
      assignment: { id: ARTICLE_ASSIGNMENT, numberId: ARTICLE_NUMBER, label: null, metadata: null },
    });
    expect(calls().map((c) => [c.method, c.path, c.status])).toEqual([
      ['GET', `${BASE}/${ARTICLE_NUMBER}`, 200],
      ['POST', `${BASE}/${ARTICLE_NUMBER}/assignment`, 201],
    ]);

    gw.resetRequestLog();
    const relabelled = await gw.gql<UpdateNumberAssignmentMutation>(
      op('UpdateNumberAssignment'),
      { numberId: ARTICLE_NUMBER, label: 'Representative-Fred', metadata: { State: 'Vic', Region: 'SE' } },
      { key: ADMIN_KEY },
    );
    expect(relabelled.errors).toBeUndefined();
    expect(relabelled.data!.updateNumberAssignment.assignment).toEqual({
      id: ARTICLE_ASSIGNMENT,
      numberId: ARTICLE_NUMBER,
      label: 'Representative-Fred',
      metadata: { State: 'Vic', Region: 'SE' },
    });
    expect(calls().filter((c) => c.method === 'PATCH')).toHaveLength(1);
    expect(sim().getAssignment(ARTICLE_NUMBER)).toMatchObject({ label: 'Representative-Fred', metadata: { State: 'Vic', Region: 'SE' } });

    gw.resetRequestLog();
    const listed = await gw.gql<DedicatedNumbersQuery>(op('DedicatedNumbers'), {}, { key: ADMIN_KEY });
    expect(listed.errors).toBeUndefined();
    const mine = listed.data!.dedicatedNumbers!.edges.map((e) => e.node!);
    expect(mine.map((n) => n.id)).toEqual(sim().assignedIds());
    expect(mine.find((n) => n.id === ARTICLE_NUMBER)?.assignment).toMatchObject({ label: 'Representative-Fred', metadata: { State: 'Vic', Region: 'SE' } });
    expect(mine.find((n) => n.id === HELD)?.assignment).toEqual({
      id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179',
      numberId: HELD,
      label: 'LabelTest0',
      metadata: { key1: 'value1' },
    });
    // Each row carried its assignment: one call for the page, none per row.
    expect(calls()).toEqual([{ method: 'GET', path: `${BASE}/assignments`, query: 'page_size=50', status: 200 }]);

    gw.resetRequestLog();
    const released = await gw.gql<ReleaseDedicatedNumberMutation>(op('ReleaseDedicatedNumber'), { numberId: ARTICLE_NUMBER, idempotencyKey: key() }, { key: ADMIN_KEY });
    expect(released.errors).toBeUndefined();
    expect(released.data).toEqual({ releaseDedicatedNumber: true });
    expect(calls().map((c) => [c.method, c.path, c.status])).toEqual([['DELETE', `${BASE}/${ARTICLE_NUMBER}/assignment`, 204]]);
    expect(sim().getAssignment(ARTICLE_NUMBER)).toBeUndefined();

    const after = await gw.gql<DedicatedNumbersQuery>(op('DedicatedNumbers'), { label: 'Fred' }, { key: ADMIN_KEY });
    expect(after.data!.dedicatedNumbers!.edges).toEqual([]);
    expect(after.data!.dedicatedNumbers!.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});

describe('cursors over the vendor token pages', () => {
  const AU_SMS = { country: 'AU', capabilities: ['SMS'] };

  it('pages through every available AU SMS number once, one call per page, and ends where the vendor omits next_token', async () => {
    const expected = sim().findNumberIds({ state: 'available', country: 'AU', capability: 'SMS' });
    expect(expected.length).toBeGreaterThan(50);
    const seen: string[] = [];
    let after: string | null | undefined;
    let pages = 0;
    for (;;) {
      const res = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { ...AU_SMS, first: 50, after }, { key: ADMIN_KEY });
      expect(res.errors).toBeUndefined();
      const conn = res.data!.availableNumbers!;
      seen.push(...conn.edges.map((e) => e.node!.id));
      pages++;
      if (!conn.pageInfo.hasNextPage) {
        expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)!.cursor);
        break;
      }
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(calls()).toHaveLength(pages);
    expect(calls().every((c) => c.path === BASE)).toBe(true);
  });

  it('after a mid-page edge, re-reads that page (same token, enough rows) and skips past the edge', async () => {
    const page = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { ...AU_SMS, first: 3 }, { key: ADMIN_KEY });
    const p1 = page.data!.availableNumbers!;
    const next = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { ...AU_SMS, first: 3, after: p1.pageInfo.endCursor }, { key: ADMIN_KEY });
    const p2 = next.data!.availableNumbers!;
    gw.resetRequestLog();

    // After the first edge of page 2: page 2 again (its token), 1 + 3 rows, the first skipped.
    const mid = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { ...AU_SMS, first: 3, after: p2.edges[0]!.cursor }, { key: ADMIN_KEY });
    expect(mid.errors).toBeUndefined();
    const all = sim().findNumberIds({ state: 'available', country: 'AU', capability: 'SMS' });
    expect(mid.data!.availableNumbers!.edges.map((e) => e.node!.id)).toEqual(all.slice(4, 7));
    expect(calls()).toEqual([{ method: 'GET', path: BASE, query: `country=AU&service_types=SMS&page_size=4&token=${ARTICLE_NEXT}`, status: 200 }]);

    // After a first-page edge: no token, and the page is re-read from its start.
    gw.resetRequestLog();
    const fromFirst = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { ...AU_SMS, first: 2, after: p1.edges[0]!.cursor }, { key: ADMIN_KEY });
    expect(fromFirst.data!.availableNumbers!.edges.map((e) => e.node!.id)).toEqual(ARTICLE_PAGE.slice(1, 3));
    expect(calls()[0]!.query).toBe('country=AU&service_types=SMS&page_size=3');
    // Its last edge is the last of that vendor page, which had more: the cursor knows the vendor's token.
    expect(fromFirst.data!.availableNumbers!.pageInfo.hasNextPage).toBe(true);
  });

  it('refuses a cursor from another filter, another connection or no cursor at all, before any call', async () => {
    const au = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { ...AU_SMS, first: 2 }, { key: ADMIN_KEY });
    const cursor = au.data!.availableNumbers!.pageInfo.endCursor!;
    const mine = await gw.gql<DedicatedNumbersQuery>(op('DedicatedNumbers'), { first: 2 }, { key: ADMIN_KEY });
    const dedicatedCursor = mine.data!.dedicatedNumbers!.pageInfo.endCursor!;
    gw.resetRequestLog();
    const attempts = [
      gw.gql(op('AvailableNumbers'), { country: 'GB', capabilities: ['SMS'], after: cursor }, { key: ADMIN_KEY }),
      gw.gql(op('AvailableNumbers'), { ...AU_SMS, after: dedicatedCursor }, { key: ADMIN_KEY }),
      gw.gql(op('DedicatedNumbers'), { after: cursor }, { key: ADMIN_KEY }),
      gw.gql(op('AvailableNumbers'), { ...AU_SMS, after: 'not-a-cursor' }, { key: ADMIN_KEY }),
      gw.gql(op('AvailableNumbers'), { ...AU_SMS, after: Buffer.from('[1,"a","x",null,500]').toString('base64url') }, { key: ADMIN_KEY }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    }
    expect(calls()).toEqual([]);
  });

  it('keeps the filter on every page: capabilities in any order read as the same search', async () => {
    const a = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { country: 'au', capabilities: ['SMS', 'MMS'], first: 2 }, { key: ADMIN_KEY });
    const b = await gw.gql<AvailableNumbersQuery>(
      op('AvailableNumbers'),
      { country: 'AU', capabilities: ['MMS', 'SMS'], first: 2, after: a.data!.availableNumbers!.pageInfo.endCursor },
      { key: ADMIN_KEY },
    );
    expect(b.errors).toBeUndefined();
    expect(calls().map((c) => c.query)).toEqual([
      'country=AU&service_types=MMS,SMS&page_size=2',
      expect.stringMatching(/^country=AU&service_types=MMS,SMS&page_size=2&token=[0-9a-f-]{36}$/),
    ]);
  });

  it('sends every filter in snake_case and bounds first to 1..100', async () => {
    const res = await gw.gql<AvailableNumbersQuery>(
      op('AvailableNumbers'),
      { country: 'US', types: ['TOLL_FREE', 'MOBILE'], matching: '+1', classification: 'GOLD', first: 100 },
      { key: ADMIN_KEY },
    );
    expect(res.errors).toBeUndefined();
    expect(calls()[0]!.query).toBe('country=US&types=MOBILE,TOLL_FREE&matching=+1&classification=GOLD&page_size=100');
    for (const node of res.data!.availableNumbers!.edges.map((e) => e.node!)) {
      expect(['MOBILE', 'TOLL_FREE']).toContain(node.type);
      expect(node.classification).toBe('GOLD');
    }
    gw.resetRequestLog();
    for (const first of [0, 101, -1]) {
      const bad = await gw.gql(op('AvailableNumbers'), { country: 'AU', first }, { key: ADMIN_KEY });
      expect(bad.errors?.[0]).toMatchObject({ message: 'first must be between 1 and 100.', extensions: { code: 'BAD_USER_INPUT' } });
    }
    const nullFirst = await gw.gql<DedicatedNumbersQuery>(op('DedicatedNumbers'), { first: null }, { key: ADMIN_KEY });
    expect(nullFirst.errors).toBeUndefined();
    expect(calls()).toEqual([{ method: 'GET', path: `${BASE}/assignments`, query: 'page_size=50', status: 200 }]);
  });
});

describe('phone numbers', () => {
  it('answers E.164 whether MessageMedia sends "+61..." or "61...", and keeps its spelling in raw', async () => {
    sim().setBehaviour({ phoneNumberFormat: 'digits' });
    const res = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { country: 'AU', capabilities: ['SMS'], first: 3 }, { key: ADMIN_KEY });
    const nodes = res.data!.availableNumbers!.edges.map((e) => e.node!);
    expect(nodes.map((n) => [n.phoneNumber, n.raw])).toEqual([
      ['+61439742682', '61439742682'],
      ['+61438824240', '61438824240'],
      ['+61438851616', '61438851616'],
    ]);
    const us = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { country: 'US', types: ['MOBILE', 'TOLL_FREE'], first: 20 }, { key: ADMIN_KEY });
    for (const n of us.data!.availableNumbers!.edges.map((e) => e.node!)) expect(n.phoneNumber).toBe(`+${n.raw}`);
  });

  it('answers US short codes with a null phoneNumber and their digits in raw', async () => {
    const res = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { country: 'US', types: ['SHORT_CODE'] }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    const codes = res.data!.availableNumbers!.edges.map((e) => e.node!);
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) {
      expect(code).toMatchObject({ type: 'SHORT_CODE', phoneNumber: null, country: 'US' });
      expect(code.raw).toMatch(/^\d{5,6}$/);
    }
  });
});

describe('dedicatedNumber(id) and batching', () => {
  it('reads each distinct number and its assignment once, however many fields ask', async () => {
    const query = `query($a: ID!, $b: ID!, $c: ID!, $A: ID!) {
      one: dedicatedNumber(id: $a) { id phoneNumber assignment { id label metadata } }
      again: dedicatedNumber(id: $A) { id assignment { label } }
      two: dedicatedNumber(id: $b) { id assignment { id } }
      unknown: dedicatedNumber(id: $c) { id assignment { id } }
    }`;
    const res = await gw.gql<Record<string, { id: string; assignment: { label?: string | null } | null } | null>>(
      query,
      { a: HELD, A: HELD.toUpperCase(), b: ARTICLE_NUMBER, c: UNKNOWN },
      { key: NO_SCOPE_KEY },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      one: { id: HELD, phoneNumber: '+61400000000', assignment: { id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179', label: 'LabelTest0', metadata: { key1: 'value1' } } },
      again: { id: HELD, assignment: { label: 'LabelTest0' } },
      two: { id: ARTICLE_NUMBER, assignment: null },
      unknown: null,
    });
    const seen = calls().map((c) => `${c.method} ${c.path} ${c.status}`).sort();
    expect(seen).toEqual(
      [
        `GET ${BASE}/${HELD} 200`,
        `GET ${BASE}/${HELD}/assignment 200`,
        `GET ${BASE}/${ARTICLE_NUMBER} 200`,
        `GET ${BASE}/${ARTICLE_NUMBER}/assignment 404`,
        `GET ${BASE}/${UNKNOWN} 404`,
      ].sort(),
    );
  });

  it('reads no assignment when none is asked for', async () => {
    const res = await gw.gql<DedicatedNumberQuery>(op('DedicatedNumberOnly'), { id: HELD }, { key: NO_SCOPE_KEY });
    expect(res.errors).toBeUndefined();
    expect(calls().map((c) => c.path)).toEqual([`${BASE}/${HELD}`]);
  });

  it('a failing list nulls only its own field', async () => {
    sim().setFaults({ errorRate: 1, errorStatus: 503, routes: `^${BASE}/?$` });
    const res = await gw.gql<{ availableNumbers: unknown; dedicatedNumbers: { edges: unknown[] } | null }>(
      `{ availableNumbers(country: "AU") { edges { cursor } } dedicatedNumbers(first: 2) { edges { cursor } } }`,
      {},
      { key: ADMIN_KEY },
    );
    expect(res.data!.availableNumbers).toBeNull();
    expect(res.data!.dedicatedNumbers!.edges).toHaveLength(2);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['availableNumbers'], extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'MESSAGEMEDIA' } });
  });
});

describe('writes', () => {
  it('assigns with a label and metadata, and answers the number with its assignment', async () => {
    const id = sim().findNumberIds({ state: 'available', country: 'GB', limit: 1 })[0]!;
    const res = await gw.gql<AssignDedicatedNumberMutation>(
      op('AssignDedicatedNumber'),
      { numberId: id.toUpperCase(), label: 'Collections', metadata: { team: 'north', 'cost centre': '42' }, idempotencyKey: key() },
      { key: ADMIN_KEY },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.assignDedicatedNumber).toMatchObject({ id, country: 'GB', assignment: { numberId: id, label: 'Collections', metadata: { team: 'north', 'cost centre': '42' } } });
    expect(sim().getAssignment(id)).toMatchObject({ label: 'Collections', metadata: { team: 'north', 'cost centre': '42' } });
  });

  it('a vendor 409 is CONFLICT with a plain message, and the key stays free for a corrected retry', async () => {
    for (const numberId of [NOT_YET, OTHERS, HELD]) {
      gw.resetRequestLog();
      const k = key();
      const res = await gw.gql<AssignDedicatedNumberMutation>(op('AssignDedicatedNumber'), { numberId, idempotencyKey: k }, { key: ADMIN_KEY });
      expect(res.data).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({
        message: 'MessageMedia cannot assign that number: it is assigned already or not available yet (see availableAfter).',
        extensions: { code: 'CONFLICT', vendor: 'MESSAGEMEDIA' },
      });
      expect(calls().filter((c) => c.method === 'POST').map((c) => c.status)).toEqual([409]);
      // A refusal changed nothing: the same key runs again (and is refused again).
      const again = await gw.gql(op('AssignDedicatedNumber'), { numberId, idempotencyKey: k }, { key: ADMIN_KEY });
      expect(again.errors![0]!.extensions!.code).toBe('CONFLICT');
      expect(calls().filter((c) => c.method === 'POST')).toHaveLength(2);
    }
  });

  it('NOT_FOUND for an unknown number (nothing bought) and for releasing or relabelling a number the account does not hold', async () => {
    const assign = await gw.gql(op('AssignDedicatedNumber'), { numberId: UNKNOWN, idempotencyKey: key() }, { key: ADMIN_KEY });
    expect(assign.errors![0]).toMatchObject({ message: 'MessageMedia has no number with that id.', extensions: { code: 'NOT_FOUND' } });
    expect(calls().map((c) => c.method)).toEqual(['GET']);
    gw.resetRequestLog();
    const update = await gw.gql(op('UpdateNumberAssignment'), { numberId: ARTICLE_NUMBER, label: 'x' }, { key: ADMIN_KEY });
    expect(update.errors![0]).toMatchObject({ message: 'The account does not hold that number at MessageMedia.', extensions: { code: 'NOT_FOUND' } });
    expect(calls().some((c) => c.method === 'PATCH')).toBe(false);
    const release = await gw.gql(op('ReleaseDedicatedNumber'), { numberId: ARTICLE_NUMBER, idempotencyKey: key() }, { key: ADMIN_KEY });
    expect(release.errors![0]).toMatchObject({ message: 'The account does not hold that number at MessageMedia.', extensions: { code: 'NOT_FOUND' } });
  });

  it('update: absent is unchanged, explicit null clears, metadata is replaced whole', async () => {
    const cleared = await gw.gql<UpdateNumberAssignmentMutation>(op('UpdateNumberAssignment'), { numberId: HELD, label: null }, { key: ADMIN_KEY });
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data!.updateNumberAssignment.assignment).toMatchObject({ label: null, metadata: { key1: 'value1' } });
    expect(sim().getAssignment(HELD)).toMatchObject({ label: null, metadata: { key1: 'value1' } });

    const replaced = await gw.gql<UpdateNumberAssignmentMutation>(op('UpdateNumberAssignment'), { numberId: HELD, metadata: { key2: 'v' } }, { key: ADMIN_KEY });
    expect(replaced.data!.updateNumberAssignment.assignment).toMatchObject({ label: null, metadata: { key2: 'v' } });

    const none = await gw.gql<UpdateNumberAssignmentMutation>(op('UpdateNumberAssignment'), { numberId: HELD, metadata: null, label: 'L' }, { key: ADMIN_KEY });
    expect(none.data!.updateNumberAssignment.assignment).toMatchObject({ label: 'L', metadata: null });
    expect(sim().getAssignment(HELD)).toMatchObject({ label: 'L', metadata: null });
  });

  it('update: a 204 without a body (what the docs say) answers the same as the 200 with one (what the vendor code does)', async () => {
    sim().setBehaviour({ patchAssignmentStatus: 204 });
    const res = await gw.gql<UpdateNumberAssignmentMutation>(op('UpdateNumberAssignment'), { numberId: HELD, label: 'Relabelled' }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateNumberAssignment).toMatchObject({
      id: HELD,
      phoneNumber: '+61400000000',
      assignment: { id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179', numberId: HELD, label: 'Relabelled', metadata: { key1: 'value1' } },
    });
    expect(calls().filter((c) => c.method === 'PATCH').map((c) => c.status)).toEqual([204]);
    expect(calls()).toHaveLength(3);
  });

  it('update names label or metadata', async () => {
    const res = await gw.gql(op('UpdateNumberAssignment'), { numberId: HELD }, { key: ADMIN_KEY });
    expect(res.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(calls()).toEqual([]);
  });
});

describe('validation before any call, with the vendor limits', () => {
  const long = (n: number) => 'x'.repeat(n);
  const cases: Array<[string, string, Record<string, unknown>, string]> = [
    ['six metadata entries', 'AssignDedicatedNumber', { numberId: ARTICLE_NUMBER, metadata: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' } }, 'metadata takes at most 5 entries.'],
    ['a 101-character key', 'AssignDedicatedNumber', { numberId: ARTICLE_NUMBER, metadata: { [long(101)]: 'v' } }, 'metadata keys must be 1 to 100 characters.'],
    ['a 257-character value', 'AssignDedicatedNumber', { numberId: ARTICLE_NUMBER, metadata: { k: long(257) } }, 'metadata values must be at most 256 characters.'],
    ['a value that is no string', 'AssignDedicatedNumber', { numberId: ARTICLE_NUMBER, metadata: { k: 5 } }, 'metadata values must be strings.'],
    ['a 101-character label', 'AssignDedicatedNumber', { numberId: ARTICLE_NUMBER, label: long(101) }, 'label must be at most 100 characters.'],
    // MessageMedia counts UTF-16 units: 51 emoji are 102 of them.
    ['a label of 51 emoji', 'AssignDedicatedNumber', { numberId: ARTICLE_NUMBER, label: '📞'.repeat(51) }, 'label must be at most 100 characters.'],
    ['a number id that is no UUID', 'AssignDedicatedNumber', { numberId: '+61438851616' }, 'numberId must be a MessageMedia number id (a UUID).'],
    ['an empty idempotency key', 'AssignDedicatedNumber', { numberId: ARTICLE_NUMBER, idempotencyKey: '' }, 'The idempotency key must be 1 to 255 printable ASCII characters.'],
    ['a label too long on update', 'UpdateNumberAssignment', { numberId: HELD, label: long(101) }, 'label must be at most 100 characters.'],
    ['a release of a non-UUID', 'ReleaseDedicatedNumber', { numberId: 'abc' }, 'numberId must be a MessageMedia number id (a UUID).'],
    ['a three-letter country', 'AvailableNumbers', { country: 'AUS' }, 'country must be an ISO-3166 alpha-2 country code, such as AU.'],
    ['a country that is no country', 'AvailableNumbers', { country: 'QQ' }, 'country must be an ISO-3166 alpha-2 country code, such as AU.'],
    ['a matching that is no digits', 'AvailableNumbers', { country: 'AU', matching: '.*' }, 'matching must be up to 15 digits, optionally after a "+".'],
    ['a by-id read of a non-UUID', 'DedicatedNumber', { id: '1234' }, 'id must be a MessageMedia number id (a UUID).'],
  ];
  it.each(cases)('refuses %s', async (_name, operation, variables, message) => {
    const vars = operation === 'AssignDedicatedNumber' || operation === 'ReleaseDedicatedNumber' ? { idempotencyKey: key(), ...variables } : variables;
    const res = await gw.gql(op(operation), vars, { key: ADMIN_KEY });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(calls()).toEqual([]);
  });
});

describe('scopes', () => {
  it('reads need numbers:read, writes numbers:write too', async () => {
    const read = await gw.gql(op('AvailableNumbers'), { country: 'AU' }, { key: READER_KEY });
    expect(read.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'numbers:read' });
    for (const [operation, variables] of [
      ['AssignDedicatedNumber', { numberId: ARTICLE_NUMBER, idempotencyKey: key() }],
      ['UpdateNumberAssignment', { numberId: HELD, label: 'x' }],
      ['ReleaseDedicatedNumber', { numberId: HELD, idempotencyKey: key() }],
    ] as const) {
      const res = await gw.gql(op(operation), variables, { key: NO_SCOPE_KEY });
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'numbers:write' });
    }
    expect(calls()).toEqual([]);
  });
});
