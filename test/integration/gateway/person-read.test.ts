/**
 * Vibes person reads over real HTTP to the simulator: the three lookups and their errors, subscriptions, the
 * Customer.person edge (batched per distinct person), scopes, partial data when Vibes fails, and what the logs hold.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  CustomerPersonSubscriptionsQuery,
  CustomersWithPersonsQuery,
  PersonByExternalIdQuery,
  PersonByKeyQuery,
  PersonByMobileQuery,
  PersonLookupQuery,
} from '../../__generated__/operations.js';
import { ADMIN_KEY, READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { ACCOUNT_LIST_ID, MARKETING_LIST_ID, SEEDED_PERSONS } from '../../../src/simulators/vibes/vibes.seed.js';
import { DEFAULT_VIBES_PASSWORD } from '../../../src/simulators/vibes/vibes.simulator.js';

const DOCUMENT = readFileSync(new URL('../../operations/person.graphql', import.meta.url), 'utf8');
const op = (operationName: string) => ({ query: DOCUMENT, operationName });
const PERSONS = '/companies/simco/mobiledb/persons';
const { grace, marcus, tomas, john, prospect } = SEEDED_PERSONS;
/** persons:read without customers:read, and the reverse (READER_KEY). */
const PERSONS_ONLY_KEY = 'persons-reader-key-0123456789';
const ENV = { API_KEYS: `${PERSONS_ONLY_KEY}=persons:read;${READER_KEY}=customers:read;${ADMIN_KEY}=customers:read,persons:read,persons:write` };

describe('Vibes persons over real HTTP to the simulator', () => {
  let gw: TestGateway;
  const vibes = () => gw.simulators.vibes!;
  const vibesRequests = () => gw.requests('vibes').map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`);

  beforeAll(async () => {
    gw = await startGateway({ env: ENV });
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    vibes().resetData();
    vibes().resetFaults();
    gw.resetRequestLog();
  });

  it("reads a person by key: the seed's fields, E.164 MDN, custom fields, dates, and every subscription record", async () => {
    const res = await gw.gql<PersonByKeyQuery>(op('PersonByKey'), { key: grace.personKey }, { key: PERSONS_ONLY_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.person).toEqual({
      key: grace.personKey,
      externalId: '1178',
      mobile: '+16514737960',
      carrierCode: '104',
      customFields: { first_name: 'Grace', last_name: 'Lindqvist', preferred_language: { id: '1', name: 'English' } },
      createdAt: '2019-07-02T10:15:00.000Z',
      updatedAt: '2024-02-11T09:30:00.000Z',
      subscriptions: [
        { listId: MARKETING_LIST_ID, optInDate: '2021-03-04T17:20:11.000Z', optOutDate: null, optOutReason: null, active: true },
        { listId: ACCOUNT_LIST_ID, optInDate: '2019-07-02T10:16:40.000Z', optOutDate: null, optOutReason: null, active: true },
      ],
    });
    expect(vibesRequests()).toEqual([`GET ${PERSONS}/${grace.personKey}`, `GET ${PERSONS}/${grace.personKey}/subscriptions`]);
  });

  it('reads the deprecated person_id too, and a person without an MDN or subscriptions', async () => {
    const byId = await gw.gql<PersonByKeyQuery>(op('PersonByKey'), { key: grace.personId }, { key: PERSONS_ONLY_KEY });
    expect(byId.data!.person!.key).toBe(grace.personKey);
    const none = await gw.gql<PersonByKeyQuery>(op('PersonByKey'), { key: tomas.personKey }, { key: PERSONS_ONLY_KEY });
    expect(none.errors).toBeUndefined();
    expect(none.data!.person).toMatchObject({ externalId: '1183', mobile: null, carrierCode: null, subscriptions: [] });
  });

  it('reads by external id: opt-outs with their reason, several records on one list, activeOnly from the same call', async () => {
    const marcusRes = await gw.gql<PersonByExternalIdQuery>(op('PersonByExternalId'), { externalId: '1121' }, { key: PERSONS_ONLY_KEY });
    expect(marcusRes.errors).toBeUndefined();
    const person = marcusRes.data!.person!;
    expect(person.key).toBe(marcus.personKey);
    expect(person.subscriptions).toEqual([
      { listId: MARKETING_LIST_ID, optInDate: '2022-05-10T14:02:09.000Z', optOutDate: '2023-11-20T21:47:33.000Z', optOutReason: 'user_opt_out', active: false },
      { listId: ACCOUNT_LIST_ID, optInDate: '2018-11-06T12:00:00.000Z', optOutDate: null, optOutReason: null, active: true },
    ]);
    expect(person.active).toEqual([{ listId: ACCOUNT_LIST_ID }]);
    // `subscriptions` and `subscriptions(activeOnly: true)` share one Vibes call.
    expect(vibesRequests()).toEqual([`GET ${PERSONS}/external/1121`, `GET ${PERSONS}/${marcus.personKey}/subscriptions`]);

    const johnRes = await gw.gql<PersonByExternalIdQuery>(op('PersonByExternalId'), { externalId: '555' }, { key: PERSONS_ONLY_KEY });
    expect(johnRes.data!.person!.subscriptions!.map((s) => [s.listId, s.active, s.optOutReason])).toEqual([
      [MARKETING_LIST_ID, false, 'api_opt_out'],
      [MARKETING_LIST_ID, true, null],
    ]);
    expect(johnRes.data!.person!.active).toEqual([{ listId: MARKETING_LIST_ID }]);
  });

  it('reads by MDN, sending the + of E.164 as %2B (a raw + would arrive as a space)', async () => {
    const res = await gw.gql<PersonByMobileQuery>(op('PersonByMobile'), { mobile: prospect.mdn }, { key: PERSONS_ONLY_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.person).toMatchObject({ key: prospect.personKey, externalId: null, mobile: prospect.mdn, customFields: { first_name: 'Ava' } });
    // The simulator's log decodes the query: "%2B" reads "+", a raw "+" would read " " (and Vibes answers 400).
    const [find] = gw.requests('vibes');
    expect(find).toMatchObject({ method: 'GET', path: PERSONS, status: 200 });
    expect(find!.query).toMatch(/^mdn=\+\[redacted\]$/);
  });

  it('answers null, without an error, for a person Vibes does not know (404), however it is asked for', async () => {
    for (const variables of [{ key: 'no-such-person-key' }, { externalId: '999999' }, { mobile: '+16125550100' }]) {
      const res = await gw.gql<PersonLookupQuery>(op('PersonLookup'), variables, { key: PERSONS_ONLY_KEY });
      expect(res.errors, JSON.stringify(variables)).toBeUndefined();
      expect(res.data!.person).toBeNull();
    }
    expect(gw.requests('vibes').map((r) => r.status)).toEqual([404, 404, 404]);
  });

  it('takes exactly one of key, externalId and mobile (null counts as not given), before any Vibes call', async () => {
    for (const variables of [{}, { key: grace.personKey, externalId: '1178' }, { externalId: '1178', mobile: grace.mdn }, { key: null, externalId: null }]) {
      const res = await gw.gql<PersonLookupQuery>(op('PersonLookup'), variables, { key: PERSONS_ONLY_KEY });
      expect(res.data?.person ?? null, JSON.stringify(variables)).toBeNull();
      expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toBe('person takes exactly one of key, externalId and mobile.');
    }
    const one = await gw.gql<PersonLookupQuery>(op('PersonLookup'), { key: null, externalId: '1178' }, { key: PERSONS_ONLY_KEY });
    expect(one.data!.person!.key).toBe(grace.personKey);
    expect(gw.requests('vibes')).toHaveLength(1);
  });

  it('refuses ids that cannot travel in a path, and invalid MDNs, without echoing them and without a call', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ key: 'a/b' }, 'key'],
      [{ externalId: '../1178' }, 'externalId'],
      [{ externalId: 'x'.repeat(129) }, 'externalId'],
      [{ externalId: '   ' }, 'externalId'],
      [{ mobile: '+1651473796' }, 'mobile'],
    ];
    for (const [variables, argument] of cases) {
      const res = await gw.gql<PersonLookupQuery>(op('PersonLookup'), variables, { key: PERSONS_ONLY_KEY });
      const error = res.errors?.[0];
      expect(error?.extensions?.['code'], JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      if (argument !== 'mobile') expect(error?.extensions?.['argument']).toBe(argument);
      expect(JSON.stringify(res)).not.toContain(String(Object.values(variables)[0]).slice(0, 9));
    }
    expect(gw.requests('vibes')).toEqual([]);
  });

  it('needs persons:read for person and Customer.person (FORBIDDEN, no Vibes call); the customer still answers', async () => {
    const person = await gw.gql<PersonByKeyQuery>(op('PersonByKey'), { key: grace.personKey }, { key: READER_KEY });
    expect(person.data!.person).toBeNull();
    expect(person.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'persons:read' });
    const customer = await gw.gql<CustomerPersonSubscriptionsQuery>(op('CustomerPersonSubscriptions'), { id: '1178' }, { key: READER_KEY });
    expect(customer.data!.customer).toMatchObject({ id: '1178', firstName: expect.any(String), person: null });
    expect(customer.errors?.map((e) => [e.path?.join('.'), e.extensions?.['code']])).toEqual([['customer.person', 'FORBIDDEN']]);
    expect(gw.requests('vibes')).toEqual([]);
  });

  it('links customers to their Vibes persons with one call per distinct person, in order, null where Vibes has none', async () => {
    const ids = ['1178', '1121', '1178', '1001', '555', '1121'];
    const res = await gw.gql<CustomersWithPersonsQuery>(op('CustomersWithPersons'), { ids }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers.map((c) => [c!.id, c!.person?.key ?? null])).toEqual([
      ['1178', grace.personKey],
      ['1121', marcus.personKey],
      ['1178', grace.personKey],
      ['1001', null],
      ['555', john.personKey],
      ['1121', marcus.personKey],
    ]);
    expect(res.data!.customers[0]!.person).toMatchObject({ externalId: '1178', mobile: grace.mdn });
    // One call per distinct customer id, nothing else.
    expect(vibesRequests().sort()).toEqual([`GET ${PERSONS}/external/1001`, `GET ${PERSONS}/external/1121`, `GET ${PERSONS}/external/1178`, `GET ${PERSONS}/external/555`]);
  });

  it("nulls only Person.subscriptions when Vibes fails to list them; the person and the customer still answer", async () => {
    vibes().setFaults({ errorRate: 1, errorStatus: 503, routes: '/subscriptions$' });
    const res = await gw.gql<CustomerPersonSubscriptionsQuery>(op('CustomerPersonSubscriptions'), { id: '1178' }, { key: ADMIN_KEY });
    expect(res.data!.customer).toMatchObject({ id: '1178', person: { key: grace.personKey, subscriptions: null } });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['customer', 'person', 'subscriptions'],
      message: 'Vibes answered with a server error.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'VIBES' },
    });
  });

  it('nulls only Customer.person when Vibes cannot be read, each customer on its own', async () => {
    vibes().setFaults({ errorRate: 1, errorStatus: 503, routes: '/external/1121$' });
    const res = await gw.gql<CustomersWithPersonsQuery>(op('CustomersWithPersons'), { ids: ['1178', '1121'] }, { key: ADMIN_KEY });
    expect(res.data!.customers.map((c) => [c!.id, c!.person?.key ?? null])).toEqual([
      ['1178', grace.personKey],
      ['1121', null],
    ]);
    expect(res.errors?.map((e) => [e.path?.join('.'), e.extensions?.['code'], e.extensions?.['vendor']])).toEqual([['customers.1.person', 'UPSTREAM_UNAVAILABLE', 'VIBES']]);
  });

  it("answers a read Vibes refuses (422) as BAD_USER_INPUT with Vibes' own message", async () => {
    vibes().setFaults({ errorRate: 1, errorStatus: 422, routes: '/external/' });
    const res = await gw.gql<PersonLookupQuery>(op('PersonLookup'), { externalId: '1178' }, { key: PERSONS_ONLY_KEY });
    expect(res.errors?.[0]).toMatchObject({ message: 'Vibes refused the request: Unprocessable Entity', extensions: { code: 'BAD_USER_INPUT', vendor: 'VIBES' } });
  });

  it('counts each distinct person once against GRAPHQL_MAX_IDS, and refuses past it before calling Vibes', async () => {
    const small = await startGateway({ env: { ...ENV, GRAPHQL_MAX_IDS: '3' }, vendors: ['loanpro', 'vibes'] });
    try {
      // 2 customers + 2 distinct persons = 4 > 3: the second person is refused, the rest answers.
      const res = await small.gql<CustomersWithPersonsQuery>(op('CustomersWithPersons'), { ids: ['1178', '1121'] }, { key: ADMIN_KEY });
      expect(res.data!.customers[0]!.person!.key).toBe(grace.personKey);
      expect(res.data!.customers[1]!.person).toBeNull();
      expect(res.errors?.map((e) => [e.path?.join('.'), e.extensions?.['code']])).toEqual([['customers.1.person', 'QUERY_TOO_COMPLEX']]);
      expect(small.requests('vibes').map((r) => r.path)).toEqual([`${PERSONS}/external/1178`]);
      // The same customer twice is one person: 2 customers + 1 person fits.
      small.resetRequestLog();
      const twice = await small.gql<CustomersWithPersonsQuery>(op('CustomersWithPersons'), { ids: ['1178', '1178'] }, { key: ADMIN_KEY });
      expect(twice.errors).toBeUndefined();
      expect(small.requests('vibes')).toHaveLength(1);
    } finally {
      await small.close();
    }
  });

  it('writes no MDN, password or Basic credential into the logs', async () => {
    await gw.gql(op('PersonByMobile'), { mobile: grace.mdn }, { key: PERSONS_ONLY_KEY });
    await gw.gql(op('CustomersWithPersons'), { ids: ['1178', '1121', '555'] }, { key: ADMIN_KEY });
    vibes().setFaults({ errorRate: 1, errorStatus: 500 });
    await gw.gql(op('PersonByMobile'), { mobile: marcus.mdn }, { key: PERSONS_ONLY_KEY });
    const text = gw.logs.join('');
    expect(text).toContain('VIBES'); // the failure was logged, so the check below looks at something
    for (const p of [grace, marcus, john, prospect]) expect(text).not.toContain(p.mdn.slice(2));
    expect(text).not.toContain(DEFAULT_VIBES_PASSWORD);
    expect(text).not.toContain(Buffer.from(`sim-vibes:${DEFAULT_VIBES_PASSWORD}`).toString('base64'));
  });
});
