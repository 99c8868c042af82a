import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CUSTOMER_NAVIGATIONS } from '../../../src/simulators/loanpro/loanpro.model.js';
import { d, errorOf, ids, INSTANCE, phones, results, startLoanPro, summary, TOKEN } from './loanpro.helpers.js';
import type { LoanProHarness } from './loanpro.helpers.js';

let lp: LoanProHarness;
beforeAll(async () => {
  lp = await startLoanPro();
});
afterAll(async () => {
  await lp.sim.close();
});

const DATE_RE = /^\/Date\(-?\d+\)\/$/;
const CUSTOMER_SCALARS = [
  'id', 'customId', 'mcId', 'customerType', 'status', 'firstName', 'lastName', 'middleName', 'birthDate', 'gender',
  'generationCode', 'email', 'ssn', 'driverLicense', 'companyName', 'contactName', 'customerIdType', 'customerId',
  'creditLimit', 'accessUserName', 'active', 'ofacMatch', 'ofacTested', 'hasAvatar', 'created', 'lastUpdate',
  'creditScoreId',
];

/** The phone of the SBT "register phone number" doc example, verbatim. */
const DOC_PHONE_803 = {
  __metadata: { uri: 'http://loanpro.simnang.com/api/public/api/1/odata.svc/Phones(id=803)', type: 'Entity.Phone' },
  id: 803,
  entityId: 1178,
  entityType: 'Entity.Customer',
  phone: '6514737960',
  type: 'customer.phoneType.cell',
  isPrimary: 1,
  isSecondary: 0,
  sbtMktVerifyPIN: null,
  sbtActVerifyPIN: null,
  sbtMktVerifyPending: 0,
  sbtActVerifyPending: 0,
  sbtMktVerified: 1,
  sbtActVerified: 1,
  carrierName: null,
  carrierVerified: 1,
  isLandLine: 0,
  dndEnabled: 0,
  active: 1,
};

describe('LoanPro auth', () => {
  const UNAUTHORIZED = {
    error: { message: "We couldn't validate your API key, tenant ID, or both.", type: 'UnauthorizedException', code: 401 },
  };

  it.each([
    ['no headers', {}],
    ['token without the word Bearer', { Authorization: TOKEN, 'Autopal-Instance-ID': INSTANCE }],
    ['wrong token', { Authorization: 'Bearer nope', 'Autopal-Instance-ID': INSTANCE }],
    ['wrong instance id', { Authorization: `Bearer ${TOKEN}`, 'Autopal-Instance-ID': '5000000' }],
    ['missing instance id', { Authorization: `Bearer ${TOKEN}` }],
    ['missing token', { 'Autopal-Instance-ID': INSTANCE }],
  ])('401 with LoanPro body: %s', async (_label, headers) => {
    const res = await lp.get('odata.svc/Customers(1178)', undefined, headers);
    expect(res.status).toBe(401);
    expect(res.json).toEqual(UNAUTHORIZED);
  });

  it('accepts the instance header in any casing (docs and SDK spell it differently)', async () => {
    for (const name of ['Autopal-Instance-ID', 'Autopal-Instance-Id', 'AUTOPAL-INSTANCE-ID', 'autopal-instance-id']) {
      const res = await lp.get('odata.svc/Customers(1178)', undefined, { AUTHORIZATION: `Bearer ${TOKEN}`, [name]: INSTANCE });
      expect(res.status, name).toBe(200);
    }
  });

  it('checks auth before routing under the base path, and honours custom credentials', async () => {
    expect((await lp.get('odata.svc/Nope', undefined, {})).status).toBe(401);
    const custom = await startLoanPro({ apiToken: 'tok-2', instanceId: '5000000' });
    try {
      expect((await custom.get('odata.svc/Customers(1178)')).status).toBe(401);
      const ok = await custom.get('odata.svc/Customers(1178)', undefined, {
        Authorization: 'Bearer tok-2',
        'Autopal-Instance-ID': '5000000',
      });
      expect(ok.status).toBe(200);
    } finally {
      await custom.sim.close();
    }
  });
});

describe('GET odata.svc/Customers(id)', () => {
  it('returns the OData v2 envelope with __metadata, __deferred nested entities, /Date()/ and 0/1', async () => {
    const res = await lp.get('odata.svc/Customers(1178)');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const c = d(res);
    expect(c['__metadata']).toEqual({
      uri: 'http://loanpro.simnang.com/api/public/api/1/odata.svc/Customers(id=1178)',
      type: 'Entity.Customer',
    });
    for (const nav of CUSTOMER_NAVIGATIONS) {
      expect(c[nav]).toEqual({ __deferred: { uri: `Customers(id=1178)/${nav}` } });
    }
    expect(Object.keys(c).sort()).toEqual(['__metadata', ...CUSTOMER_NAVIGATIONS, ...CUSTOMER_SCALARS].sort());
    expect(c).not.toHaveProperty('accessPassword');
    expect(c['id']).toBe(1178);
    expect(c['birthDate']).toBe(`/Date(${Date.UTC(1984, 8, 23) / 1000})/`);
    for (const f of ['birthDate', 'created', 'lastUpdate']) expect(c[f]).toMatch(DATE_RE);
    for (const f of ['active', 'ofacMatch', 'ofacTested', 'hasAvatar']) expect([0, 1]).toContain(c[f]);
    expect(c['creditLimit']).toBe('0.00');
    expect(c['ssn']).toMatch(/^\d{9}$/);
    expect(c['customerType']).toBe('customer.type.individual');
  });

  it('accepts the Customers(id=N) key form too', async () => {
    expect(d(await lp.get('odata.svc/Customers(id=1178)'))['id']).toBe(1178);
  });

  it('$expand=Phones inlines phones as a bare array of Entity.Phone (SDK shape), deleted phones omitted', async () => {
    const res = await lp.get('odata.svc/Customers(1178)', { $expand: 'Phones', nopaging: 'true' });
    expect(res.status).toBe(200);
    const c = d(res);
    expect(phones(c)).toEqual([DOC_PHONE_803]);
    expect(c['Loans']).toEqual({ __deferred: { uri: 'Customers(id=1178)/Loans' } });
    const none = d(await lp.get('odata.svc/Customers(1251)', { $expand: 'Phones' }));
    expect(phones(none)).toEqual([]);
    const garbage = d(await lp.get('odata.svc/Customers(1252)', { $expand: 'Phones' }));
    expect(phones(garbage).map((p) => p['phone'])).toEqual(['12345']);
  });

  it('rejects unknown or unmodelled $expand names with 409', async () => {
    const unknown = await lp.get('odata.svc/Customers(1178)', { $expand: 'Phones,Bogus' });
    expect(unknown.status).toBe(409);
    expect(errorOf(unknown)).toMatchObject({ type: 'ODataException', code: 409 });
    expect(errorOf(unknown).message).toContain('Bogus');
    expect((await lp.get('odata.svc/Customers(1178)', { $expand: 'Phones, Loans' })).status).toBe(409);
    expect((await lp.get('odata.svc/Customers(1178)', { $expand: 'PrimaryAddress' })).status).toBe(409);
  });

  it('answers 409 (not 404) for unknown, deleted and malformed ids', async () => {
    for (const path of ['odata.svc/Customers(999999)', 'odata.svc/Customers(1254)', 'odata.svc/Customers(abc)', 'odata.svc/Customers(0)']) {
      const res = await lp.get(path);
      expect(res.status, path).toBe(409);
      expect(Object.keys(res.json as object)).toEqual(['error']);
      expect(errorOf(res)).toMatchObject({ type: 'ODataException', code: 409 });
    }
  });
});

describe('GET odata.svc/Customers(id)/Phones', () => {
  it('returns d.results with summary', async () => {
    const res = await lp.get('odata.svc/Customers(1178)/Phones');
    expect(res.status).toBe(200);
    expect(results(res)).toEqual([DOC_PHONE_803]);
    expect(summary(res)).toEqual({ start: 0, pageSize: 50, total: 1 });
  });

  it('supports $filter on phone fields and empty lists', async () => {
    const primary = await lp.get('odata.svc/Customers(1121)/Phones', { $filter: 'isPrimary eq 1' });
    expect(ids(results(primary))).toEqual([738]);
    const all = await lp.get('odata.svc/Customers(1121)/Phones');
    expect(ids(results(all))).toEqual([738, 739]);
    const empty = await lp.get('odata.svc/Customers(1251)/Phones');
    expect(results(empty)).toEqual([]);
    expect(summary(empty).total).toBe(0);
    expect((await lp.get('odata.svc/Customers(999999)/Phones')).status).toBe(409);
    expect((await lp.get('odata.svc/Customers(1121)/Phones', { $filter: 'ssn eq 1' })).status).toBe(409);
  });
});

describe('routing', () => {
  it('404s invalid endpoints and unmodelled navigations; 405s wrong methods', async () => {
    const nope = await lp.get('odata.svc/Nope');
    expect(nope.status).toBe(404);
    expect(errorOf(nope).code).toBe(404);
    expect((await lp.get('odata.svc/Customers(1178)/Loans')).status).toBe(404);
    expect((await lp.get('Customers/Foo')).status).toBe(404);
    const del = await lp.send('DELETE', 'odata.svc/Customers(1178)');
    expect(del.status).toBe(405);
    expect(errorOf(del).code).toBe(405);
  });
});

describe('GET odata.svc/Customers collection', () => {
  it('pages 50 by default, ordered by id, with summary.total; both Customers and Customers()', async () => {
    const all = lp.sim.customerIds();
    expect(all.length).toBeGreaterThanOrEqual(250);
    for (const path of ['odata.svc/Customers', 'odata.svc/Customers()']) {
      const res = await lp.get(path);
      expect(res.status).toBe(200);
      expect(ids(results(res))).toEqual(all.slice(0, 50));
      expect(summary(res)).toEqual({ start: 0, pageSize: 50, total: all.length });
      expect(results(res)[0]?.['Phones']).toEqual({ __deferred: { uri: `Customers(id=${all[0]})/Phones` } });
    }
  });

  it('$top caps the page and $skip offsets it', async () => {
    const all = lp.sim.customerIds();
    const res = await lp.get('odata.svc/Customers()', { $top: '5', $skip: '10' });
    expect(ids(results(res))).toEqual(all.slice(10, 15));
    expect(summary(res)).toEqual({ start: 10, pageSize: 5, total: all.length });
    const tail = await lp.get('odata.svc/Customers()', { $skip: String(all.length - 2) });
    expect(ids(results(tail))).toEqual(all.slice(-2));
    expect((await lp.get('odata.svc/Customers()', { $top: 'ten' })).status).toBe(409);
    expect((await lp.get('odata.svc/Customers()', { $skip: '-1' })).status).toBe(409);
  });

  it('nopaging (bare or =true) removes the cap but leaves summary.pageSize alone', async () => {
    const all = lp.sim.customerIds();
    for (const q of ['nopaging', 'nopaging=true']) {
      const res = await lp.get('odata.svc/Customers()', q);
      expect(ids(results(res))).toEqual(all);
      expect(summary(res)).toEqual({ start: 0, pageSize: 50, total: all.length });
    }
    const paged = await lp.get('odata.svc/Customers()', 'nopaging=false');
    expect(results(paged)).toHaveLength(50);
  });

  it('$orderby sorts by a field asc|desc and rejects unknown fields', async () => {
    const res = await lp.get('odata.svc/Customers()', { $orderby: 'lastName desc', nopaging: 'true' });
    const names = results(res).map((c) => c['lastName'] as string);
    expect(names).toEqual([...names].sort().reverse());
    const asc = await lp.get('odata.svc/Customers()', { $orderby: 'birthDate asc', $top: '10' });
    const births = results(asc).map((c) => Number(/-?\d+/.exec(c['birthDate'] as string)?.[0]));
    expect(births).toEqual([...births].sort((a, b) => a - b));
    expect((await lp.get('odata.svc/Customers()', { $orderby: 'shoeSize' })).status).toBe(409);
  });

  it('an or-filter batch returns exactly the requested existing ids, phones expanded as bare arrays', async () => {
    const wanted = [1178, 555, 1003, 999999, 1254, 1121];
    const filter = wanted.map((id) => `id eq ${id}`).join(' or ');
    for (const query of [
      new URLSearchParams({ $filter: filter, $expand: 'Phones', nopaging: 'true' }).toString(), // spaces as '+'
      `$filter=${encodeURIComponent(filter)}&$expand=Phones&nopaging=true`, // spaces as %20
    ]) {
      const res = await lp.get('odata.svc/Customers()', query);
      expect(res.status).toBe(200);
      const list = results(res);
      expect(ids(list)).toEqual([555, 1003, 1121, 1178]);
      for (const c of list) {
        const ps = phones(c);
        for (const p of ps) expect(p['entityId']).toBe(c['id']);
      }
      expect(phones(list[3] as Record<string, unknown>)).toEqual([DOC_PHONE_803]);
      expect(summary(res).total).toBe(4);
    }
    const log = lp.sim.requestLog.entries({ path: '/api/public/api/1/odata.svc/Customers()' });
    expect(log.at(-1)?.query).toContain('$filter=id eq 1178 or id eq 555');
  });

  it('evaluates real filters against the stored data', async () => {
    const q = async (filter: string): Promise<number[]> => {
      const res = await lp.get('odata.svc/Customers()', { $filter: filter, nopaging: 'true' });
      expect(res.status, filter).toBe(200);
      return ids(results(res));
    };
    expect(await q("customerType eq 'customer.type.company'")).toEqual([1253]);
    expect(await q("lastName eq 'Dow' and firstName eq 'John'")).toEqual([555]);
    expect(await q("(id eq 1178 or id eq 555) and gender eq 'customer.gender.female'")).toEqual([1178]);
    expect(await q('id ge 1001 and id le 1003')).toEqual([1001, 1002, 1003]);
    const cutoff = Date.UTC(1960, 0, 1) / 1000;
    const expected = lp.sim
      .customerIds()
      .filter((id) => (lp.sim.getCustomer(id)?.birthDate ?? 0) < cutoff && (lp.sim.getCustomer(id)?.birthDate ?? 0) !== -62169984000);
    expect(expected.length).toBeGreaterThan(0);
    expect(await q("birthDate lt datetime'1960-01-01T00:00:00' and birthDate gt datetime'1900-01-01T00:00:00'")).toEqual(expected);
    const names = await q("lastName eq 'O''Brien'");
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual(lp.sim.customerIds().filter((id) => lp.sim.getCustomer(id)?.lastName === "O'Brien"));
  });

  it('rejects in (OData v4), unknown fields and syntax errors with 409 OData errors', async () => {
    const inList = await lp.get('odata.svc/Customers()', { $filter: 'id in (1178,555)' });
    expect(inList.status).toBe(409);
    expect(errorOf(inList)).toMatchObject({ type: 'ODataException', code: 409 });
    expect(errorOf(inList).message).toMatch(/'in'/);
    const unknown = await lp.get('odata.svc/Customers()', { $filter: 'accessPassword eq 1' });
    expect(unknown.status).toBe(409);
    expect(errorOf(unknown).message).toContain('accessPassword');
    expect((await lp.get('odata.svc/Customers()', { $filter: 'id eq' })).status).toBe(409);
  });
});

describe('vendor behaviour switches', () => {
  it("filterOr: 'rejected' refuses any $filter using or (409), still serves the rest", async () => {
    const h = await startLoanPro({ filterOr: 'rejected' });
    try {
      const res = await h.get('odata.svc/Customers()', { $filter: 'id eq 1178 or id eq 555' });
      expect(res.status).toBe(409);
      expect(errorOf(res)).toMatchObject({ type: 'ODataException', code: 409 });
      expect((await h.get('odata.svc/Customers()', { $filter: '(id eq 1178) and not (id eq 1 or id eq 2)' })).status).toBe(409);
      const single = await h.get('odata.svc/Customers()', { $filter: 'id eq 1178' });
      expect(ids(results(single))).toEqual([1178]);
      // "or" inside a string literal is not the operator.
      expect((await h.get('odata.svc/Customers()', { $filter: "lastName eq 'Taylor or Moore'" })).status).toBe(200);
      expect((await h.get('odata.svc/Customers(1178)')).status).toBe(200);
      h.sim.setBehaviour({ filterOr: 'supported' });
      expect((await h.get('odata.svc/Customers()', { $filter: 'id eq 1178 or id eq 555' })).status).toBe(200);
    } finally {
      await h.sim.close();
    }
  });

  it("collectionAccess: 'deprecated' answers 410 on collection reads only", async () => {
    const h = await startLoanPro({ collectionAccess: 'deprecated' });
    try {
      const body = {
        error: { message: 'Access to retrieve all entities has been deprecated.', type: 'ODataException', code: 410 },
      };
      for (const path of ['odata.svc/Customers', 'odata.svc/Customers()']) {
        const res = await h.get(path);
        expect(res.status).toBe(410);
        expect(res.json).toEqual(body);
      }
      expect((await h.get('odata.svc/Customers()', { $filter: 'id eq 1178 or id eq 555' })).status).toBe(410);
      expect((await h.get('odata.svc/Customers(1178)')).status).toBe(200);
      expect((await h.get('odata.svc/Customers(1178)/Phones')).status).toBe(200);
    } finally {
      await h.sim.close();
    }
  });

  it('switches behaviour at runtime over /__sim/behaviour', async () => {
    const h = await startLoanPro();
    try {
      const origin = h.sim.url;
      const put = await request(`${origin}/__sim/behaviour`, { method: 'PUT', body: JSON.stringify({ collectionAccess: 'deprecated' }) });
      expect(put.statusCode).toBe(200);
      expect(await put.body.json()).toEqual({ filterOr: 'supported', collectionAccess: 'deprecated', phonesCollection: 'allowed' });
      expect((await h.get('odata.svc/Customers')).status).toBe(410);
      const bad = await request(`${origin}/__sim/behaviour`, { method: 'PUT', body: JSON.stringify({ filterOr: 'maybe' }) });
      expect(bad.statusCode).toBe(400);
      await bad.body.dump();
      expect(h.sim.getBehaviour()).toEqual({ filterOr: 'supported', collectionAccess: 'deprecated', phonesCollection: 'allowed' });
    } finally {
      await h.sim.close();
    }
  });
});

describe('LoanPro faults', () => {
  it('errorRate=1 answers errorStatus with a LoanPro-shaped error body', async () => {
    const h = await startLoanPro({ errorRate: 1, errorStatus: 503 });
    try {
      const res = await h.get('odata.svc/Customers(1178)');
      expect(res.status).toBe(503);
      expect(errorOf(res)).toMatchObject({ code: 503, type: 'ServerException' });
      expect(h.sim.requestLog.entries()[0]).toMatchObject({ status: 503, fault: 'error' });
      h.sim.setFaults({ errorRate: 0 });
      expect((await h.get('odata.svc/Customers(1178)')).status).toBe(200);
    } finally {
      await h.sim.close();
    }
  });

  it('takes the methods filter at creation: errorRate=1 for PUT only leaves GETs alone', async () => {
    const h = await startLoanPro({ errorRate: 1, errorStatus: 500, methods: ['PUT'] });
    try {
      expect(h.sim.getFaults().methods).toEqual(['PUT']);
      expect((await h.get('odata.svc/Customers(1178)')).status).toBe(200);
      expect((await h.put('odata.svc/Customers(1178)', { firstName: 'X' })).status).toBe(500);
    } finally {
      await h.sim.close();
    }
  });
});
