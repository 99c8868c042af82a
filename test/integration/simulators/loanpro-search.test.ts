/**
 * The LoanPro simulator's "who holds this number" routes over real HTTP: the inferred top-level Phones collection
 * (`GET odata.svc/Phones?$filter=...`, switchable to the 410 LoanPro gives deprecated collections) and the documented
 * customer search `POST Customers/Autopal.Search()` (an Elasticsearch DSL subset over flattened index documents).
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { errorOf, ids, results, startLoanPro, summary } from './loanpro.helpers.js';
import type { LoanProHarness, Reply } from './loanpro.helpers.js';

let lp: LoanProHarness;
beforeAll(async () => {
  lp = await startLoanPro();
});
afterAll(async () => {
  await lp.sim.close();
});
beforeEach(() => {
  lp.sim.resetData();
  lp.sim.setBehaviour({ filterOr: 'supported', collectionAccess: 'allowed', phonesCollection: 'allowed' });
  lp.sim.requestLog.clear();
});

const SEARCH = 'Customers/Autopal.Search()';
const search = (body: unknown, query = ''): Promise<Reply> => lp.send('POST', `${SEARCH}${query}`, JSON.stringify(body));
const byPrimaryPhone = (...numbers: string[]) => ({ query: { bool: { should: numbers.map((n) => ({ match: { primaryPhone: n } })) } } });
const phonesWhere = (filter: string, extra: Record<string, string> = {}) => lp.get('odata.svc/Phones', { $filter: filter, nopaging: 'true', ...extra });
const livePhoneCount = () => lp.sim.customerIds().reduce((n, id) => n + lp.sim.getCustomer(id)!.phones.length, 0);

describe('GET odata.svc/Phones (inferred collection)', () => {
  it("finds the phones holding any of several numbers with an or-filter, as Entity.Phone in the collection envelope", async () => {
    for (const path of ['odata.svc/Phones', 'odata.svc/Phones()']) {
      const res = await lp.get(path, { $filter: "phone eq '6514737960' or phone eq '8662506066'", nopaging: 'true' });
      expect(res.status).toBe(200);
      expect(ids(results(res))).toEqual([739, 803]);
      expect(summary(res)).toEqual({ start: 0, pageSize: 50, total: 2 });
    }
    const [, phone803] = results(await phonesWhere("phone eq '6514737960' or phone eq '8662506066'"));
    expect(phone803).toMatchObject({
      __metadata: { uri: 'http://loanpro.simnang.com/api/public/api/1/odata.svc/Phones(id=803)', type: 'Entity.Phone' },
      entityId: 1178,
      phone: '6514737960',
      isPrimary: 1,
      sbtActVerified: 1,
      sbtMktVerified: 1,
      dndEnabled: 0,
    });
  });

  it("never returns a deleted phone or a deleted customer's phone", async () => {
    // 802 is soft-deleted; 993 belongs to the soft-deleted customer 1254.
    expect(results(await phonesWhere("phone eq '6513029714' or phone eq '7732190846'"))).toEqual([]);
    expect(results(await phonesWhere('id eq 802 or id eq 993'))).toEqual([]);
  });

  it('filters on any phone field and finds one number held by two customers', async () => {
    expect(ids(results(await phonesWhere('entityId eq 1121')))).toEqual([738, 739]);
    expect(ids(results(await phonesWhere("entityId eq 1121 and isPrimary eq 1")))).toEqual([738]);
    const put = await lp.put('odata.svc/Customers(555)', { __ignoreWarnings: true, Phones: { results: [{ phone: '6514737960' }] } });
    expect(put.status).toBe(200);
    const holders = results(await phonesWhere("phone eq '6514737960'"));
    // Ordered by phone id: 803, then the phone just added.
    expect(holders.map((p) => p['entityId'])).toEqual([1178, 555]);
  });

  it('pages like the other collections: 50 by default, $top and $skip, nopaging, summary.total', async () => {
    const total = livePhoneCount();
    const first = await lp.get('odata.svc/Phones');
    expect(results(first)).toHaveLength(50);
    expect(summary(first)).toEqual({ start: 0, pageSize: 50, total });
    const page = await lp.get('odata.svc/Phones', { $top: '3', $skip: '2' });
    const all = await lp.get('odata.svc/Phones', 'nopaging');
    expect(results(all)).toHaveLength(total);
    expect(ids(results(page))).toEqual(ids(results(all)).slice(2, 5));
    expect(summary(page)).toEqual({ start: 2, pageSize: 3, total });
    expect(ids(results(all))).toEqual([...ids(results(all))].sort((a, b) => a - b));
  });

  it('answers bad queries with 409 OData errors: $expand, unknown fields, in, or when or-filters are refused', async () => {
    const queries: Record<string, string>[] = [{ $expand: 'Customer' }, { $filter: "number eq '6514737960'" }, { $filter: "phone in ('6514737960')" }];
    for (const query of queries) {
      const res = await lp.get('odata.svc/Phones', query);
      expect(res.status).toBe(409);
      expect(errorOf(res)).toMatchObject({ type: 'ODataException', code: 409 });
    }
    lp.sim.setBehaviour({ filterOr: 'rejected' });
    expect((await phonesWhere("phone eq '6514737960' or phone eq '8662506066'")).status).toBe(409);
    expect(ids(results(await phonesWhere("phone eq '6514737960'")))).toEqual([803]);
  });

  it("phonesCollection 'deprecated' answers LoanPro's 410 for the collection only, switchable over /__sim/behaviour", async () => {
    const put = await request(`${lp.sim.url}/__sim/behaviour`, { method: 'PUT', body: JSON.stringify({ phonesCollection: 'deprecated' }) });
    expect(put.statusCode).toBe(200);
    expect(await put.body.json()).toEqual({ filterOr: 'supported', collectionAccess: 'allowed', phonesCollection: 'deprecated' });
    for (const path of ['odata.svc/Phones', 'odata.svc/Phones()']) {
      const res = await lp.get(path, { $filter: "phone eq '6514737960'" });
      expect(res.status).toBe(410);
      expect(res.json).toEqual({ error: { message: 'Access to retrieve all entities has been deprecated.', type: 'ODataException', code: 410 } });
    }
    expect((await lp.get('odata.svc/Phones(803)')).status).toBe(200);
    expect((await lp.get('odata.svc/Customers()', { $filter: 'id eq 1178' })).status).toBe(200);
    const bad = await request(`${lp.sim.url}/__sim/behaviour`, { method: 'PUT', body: JSON.stringify({ phonesCollection: 'sometimes' }) });
    expect(bad.statusCode).toBe(400);
    await bad.body.dump();
  });
});

describe('POST Customers/Autopal.Search()', () => {
  it("answers the vendor's example query with the customer's flattened index document", async () => {
    const res = await search({ query: { bool: { must: { match: { primaryPhone: '6514737960' } } } } });
    expect(res.status).toBe(200);
    const c = lp.sim.getCustomer(1178)!;
    expect(results(res)).toEqual([
      {
        id: 1178,
        customId: c.customId,
        firstName: c.firstName,
        lastName: c.lastName,
        companyName: c.companyName,
        gender: c.gender,
        ssn: c.ssn,
        primaryPhone: '6514737960',
        primaryPhoneDnd: '0',
      },
    ]);
    expect(summary(res)).toEqual({ start: 0, pageSize: 10, total: 1 });
    expect(lp.sim.requestLog.entries().map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
      'POST /api/public/api/1/Customers/Autopal.Search() 200',
    ]);
  });

  it('matches primary phones only: a should array finds the customers whose primary phone is any of the numbers', async () => {
    // 8662506066 is 1121's secondary phone; 7732190846 the primary of the deleted customer 1254.
    const res = await search(byPrimaryPhone('6514737960', '8662506066', '2124467013', '7732190846'));
    expect(ids(results(res))).toEqual([555, 1178]);
    // Digits are compared, so LoanPro's spelling and a formatted one match alike.
    expect(ids(results(await search(byPrimaryPhone('+1 (651) 473-7960'))))).toEqual([1178]);
  });

  it('reports primaryPhoneDnd from the primary phone, and follows a change of the primary phone', async () => {
    await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ __id: 739, __update: true, isPrimary: 1 }] } });
    const [doc] = results(await search(byPrimaryPhone('8662506066')));
    expect(doc).toMatchObject({ id: 1121, primaryPhone: '8662506066', primaryPhoneDnd: '0' });
    expect(results(await search(byPrimaryPhone('8012364481')))).toEqual([]);
  });

  it('takes must as an array (every clause) and ignores should for filtering when must is present, as Elasticsearch does', async () => {
    const both = { query: { bool: { must: [{ match: { primaryPhone: '6514737960' } }, { match: { id: 1178 } }] } } };
    expect(ids(results(await search(both)))).toEqual([1178]);
    const clash = { query: { bool: { must: [{ match: { primaryPhone: '6514737960' } }, { match: { id: '555' } }] } } };
    expect(results(await search(clash))).toEqual([]);
    const scored = { query: { bool: { must: { match: { id: 555 } }, should: [{ match: { primaryPhone: '6514737960' } }] } } };
    expect(ids(results(await search(scored)))).toEqual([555]);
  });

  it('pages with $top and $start (default 10), summary.total counting every hit', async () => {
    const all = lp.sim.customerIds();
    const first = await search({ query: { match_all: {} } });
    expect(ids(results(first))).toEqual(all.slice(0, 10));
    expect(summary(first)).toEqual({ start: 0, pageSize: 10, total: all.length });
    const page = await search({ query: { match_all: {} } }, '?$top=4&$start=6');
    expect(ids(results(page))).toEqual(all.slice(6, 10));
    expect(summary(page)).toEqual({ start: 6, pageSize: 4, total: all.length });
    expect(ids(results(await search({ query: { match_all: {} }, size: 2 })))).toEqual(all.slice(0, 2));
  });

  it("answers query shapes it does not model with LoanPro's 409 error envelope", async () => {
    const shapes: unknown[] = [
      { query: { term: { primaryPhone: '6514737960' } } },
      { query: { bool: { must_not: { match: { primaryPhone: '6514737960' } } } } },
      { query: { bool: { must: { match: { lastName: 'Doe' } } } } },
      { query: { bool: { must: { match: { primaryPhone: { query: '6514737960' } } } } } },
      { query: { bool: { should: [{ match: { primaryPhone: '6514737960', id: 1178 } }] } } },
      { query: { bool: { should: [{ bool: { must: [] } }] } } },
      { aggs: {} },
      [],
    ];
    for (const body of shapes) {
      const res = await search(body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(errorOf(res)).toMatchObject({ type: 'ODataException', code: 409 });
    }
    expect((await search(byPrimaryPhone('6514737960'), '?$expand=Phones')).status).toBe(409);
    expect((await search(byPrimaryPhone('6514737960'), '?$top=ten')).status).toBe(409);
    expect((await lp.send('POST', SEARCH, '{"query":')).status).toBe(409);
    expect((await lp.get(SEARCH)).status).toBe(405);
  });
});
