import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomerQuery, CustomerPiiQuery, CustomersQuery } from '../../__generated__/operations.js';
import { NO_SCOPE_KEY, PII_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { operation } from '../../helpers/operations.js';

describe('customers over real HTTP to the LoanPro simulator', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.resetRequestLog());

  it('reads a customer with phones in E.164, with one LoanPro call', async () => {
    const res = await gw.gql<CustomerQuery>(operation('Customer'), { id: '1178' });
    expect(res.errors).toBeUndefined();
    const customer = res.data!.customer!;
    expect(customer).toMatchObject({ id: '1178', customId: 'CUST-1178', type: 'INDIVIDUAL' });
    expect(customer.phones).toEqual([
      {
        id: 'loanpro:803',
        vendor: 'LOANPRO',
        vendorId: '803',
        number: '+16514737960',
        raw: '6514737960',
        extension: null,
        type: 'MOBILE',
        isPrimary: true,
        isLandline: false,
        carrier: null,
        doNotContact: false,
      },
    ]);
    const calls = gw.loanproRequests();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'GET', path: '/api/public/api/1/odata.svc/Customers(1178)' });
    expect(calls[0]!.query).toContain('$expand=Phones');
  });

  it('answers null for an unknown customer and BAD_USER_INPUT for a malformed id, without a vendor call', async () => {
    const unknown = await gw.gql<CustomerQuery>(operation('Customer'), { id: '999999' });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data).toEqual({ customer: null });

    gw.resetRequestLog();
    const bad = await gw.gql<CustomerQuery>(operation('Customer'), { id: 'abc' });
    expect(bad.data).toEqual({ customer: null });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gw.loanproRequests()).toHaveLength(0);
  });

  it('reads 50 customers with their phones in one LoanPro call, in order, null for unknown ids', async () => {
    const ids = Array.from({ length: 48 }, (_, i) => String(1001 + i));
    ids.splice(10, 0, '999998');
    ids.push('1178');
    const res = await gw.gql<CustomersQuery>(operation('Customers'), { ids });
    expect(res.errors).toBeUndefined();
    const customers = res.data!.customers;
    expect(customers).toHaveLength(50);
    expect(customers.map((c) => c?.id ?? null)).toEqual(ids.map((id) => (id === '999998' ? null : id)));
    for (const customer of customers.filter(Boolean)) {
      for (const phone of customer!.phones) {
        expect(phone.number).toMatch(/^\+1\d{10}$/);
      }
    }
    const calls = gw.loanproRequests();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe('/api/public/api/1/odata.svc/Customers()');
    expect(calls[0]!.query).toContain('id eq 1001 or id eq 1002');
  });

  it('fails only the malformed entry of customers(ids)', async () => {
    const res = await gw.gql<CustomersQuery>(operation('Customers'), { ids: ['1001', 'x1', '1002'] });
    expect(res.data!.customers.map((c) => c?.id ?? null)).toEqual(['1001', null, '1002']);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['customers', 1], extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('keeps an unparseable stored number as raw with a null number', async () => {
    const res = await gw.gql<CustomerQuery>(operation('Customer'), { id: '1252' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer!.phones).toEqual([expect.objectContaining({ raw: '12345', number: null })]);
  });

  it('reads a company and a customer without phones', async () => {
    const res = await gw.gql<CustomersQuery>(operation('Customers'), { ids: ['1253', '1251'] });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers[0]).toMatchObject({ type: 'COMPANY', companyName: 'Acme Freight Logistics LLC' });
    expect(res.data!.customers[1]!.phones).toEqual([]);
  });

  it('maps dndEnabled, landlines and phone types from the vendor data', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => String(1001 + i));
    const res = await gw.gql<CustomersQuery>(operation('Customers'), { ids });
    const phones = res.data!.customers.flatMap((c) => c?.phones ?? []);
    const typeOf: Record<string, string> = {
      'customer.phoneType.cell': 'MOBILE',
      'customer.phoneType.cellSmartPhone': 'MOBILE',
      'customer.phoneType.home': 'HOME',
      'customer.phoneType.office': 'WORK',
      'customer.phoneType.fax': 'FAX',
      'customer.phoneType.other': 'OTHER',
    };
    expect(new Set(phones.map((p) => p.type)).size).toBeGreaterThan(2);
    expect(phones.some((p) => p.doNotContact)).toBe(true);
    expect(phones.some((p) => p.isLandline)).toBe(true);
    for (const p of phones) {
      const stored = gw.simulator.getPhone(Number(p.vendorId))!;
      expect(p.doNotContact).toBe(stored.dndEnabled === 1);
      expect(p.isLandline).toBe(stored.isLandLine === 1);
      expect(p.raw).toBe(stored.phone);
      expect(p.type).toBe(typeOf[stored.type]);
    }
    // 200 ids, batch size 50: four calls.
    expect(gw.loanproRequests()).toHaveLength(4);
  });

  describe('scopes', () => {
    it('nulls PII fields with FORBIDDEN without pii:read, but shows ssnLast4', async () => {
      const res = await gw.gql<CustomerPiiQuery>(operation('CustomerPii'), { id: '1178' });
      expect(res.data!.customer).toMatchObject({ id: '1178', ssn: null, birthDate: null, driverLicense: null });
      expect(res.data!.customer!.ssnLast4).toMatch(/^\d{4}$/);
      expect(res.errors?.map((e) => [e.path?.join('.'), e.extensions?.code, e.extensions?.requiredScope]).sort()).toEqual([
        ['customer.birthDate', 'FORBIDDEN', 'pii:read'],
        ['customer.driverLicense', 'FORBIDDEN', 'pii:read'],
        ['customer.ssn', 'FORBIDDEN', 'pii:read'],
      ]);
    });

    it('shows PII with pii:read', async () => {
      const res = await gw.gql<CustomerPiiQuery>(operation('CustomerPii'), { id: '1178' }, { key: PII_KEY });
      expect(res.errors).toBeUndefined();
      expect(res.data!.customer!.ssn).toMatch(/^\d{9}$/);
      expect(res.data!.customer!.ssn!.endsWith(res.data!.customer!.ssnLast4!)).toBe(true);
    });

    it('refuses customers without customers:read and makes no vendor call', async () => {
      const res = await gw.gql<CustomerQuery>(operation('Customer'), { id: '1178' }, { key: NO_SCOPE_KEY });
      expect(res.data).toEqual({ customer: null });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'customers:read' });
      expect(gw.loanproRequests()).toHaveLength(0);
    });

    it('answers 401 UNAUTHENTICATED without credentials', async () => {
      const missing = await gw.gql(operation('Customer'), { id: '1178' }, { key: null });
      expect(missing.status).toBe(401);
      expect(missing.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const wrong = await gw.gql(operation('Customer'), { id: '1178' }, { key: 'not-a-key-not-a-key' });
      expect(wrong.status).toBe(401);
      expect(gw.loanproRequests()).toHaveLength(0);
    });
  });
});

describe('when LoanPro refuses batched reads', () => {
  for (const [label, simulator] of [
    ['or-filters rejected (409)', { filterOr: 'rejected' }],
    ['collection reads deprecated (410)', { collectionAccess: 'deprecated' }],
  ] as const) {
    it(`falls back to one call per id and keeps to it until the reprobe interval: ${label}`, async () => {
      const gw = await startGateway({ simulator });
      try {
        const ids = ['1001', '1002', '999997', '1003'];
        const first = await gw.gql<CustomersQuery>(operation('Customers'), { ids });
        expect(first.errors).toBeUndefined();
        expect(first.data!.customers.map((c) => c?.id ?? null)).toEqual(['1001', '1002', null, '1003']);
        const calls = gw.loanproRequests();
        expect(calls[0]).toMatchObject({ path: '/api/public/api/1/odata.svc/Customers()', status: label.includes('410') ? 410 : 409 });
        expect(calls.slice(1).map((c) => c.path).sort()).toEqual(
          ['1001', '1002', '1003', '999997'].map((id) => `/api/public/api/1/odata.svc/Customers(${id})`).sort(),
        );

        gw.resetRequestLog();
        const second = await gw.gql<CustomersQuery>(operation('Customers'), { ids: ['1004', '1005'] });
        expect(second.data!.customers.map((c) => c?.id)).toEqual(['1004', '1005']);
        expect(gw.loanproRequests().map((c) => c.path)).not.toContain('/api/public/api/1/odata.svc/Customers()');
        expect(gw.loanproRequests()).toHaveLength(2);
        expect(gw.logs.join('')).toContain('reading customers one by one');
      } finally {
        await gw.close();
      }
    });
  }

  it('keeps concurrent wide queries within the vendor bulkhead instead of shedding them', async () => {
    // 20 queries x 20 ids = 400 one-by-one reads; the bulkhead holds 4 in flight and 256 waiting.
    const gw = await startGateway({ simulator: { filterOr: 'rejected' }, env: { LOANPRO_MAX_CONCURRENCY: '4' } });
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, q) =>
          gw.gql<CustomersQuery>(operation('Customers'), { ids: Array.from({ length: 20 }, (_, i) => String(1001 + q * 10 + i)) }),
        ),
      );
      for (const res of results) {
        expect(res.errors).toBeUndefined();
        expect(res.data!.customers.every((c) => c !== null)).toBe(true);
      }
    } finally {
      await gw.close();
    }
  });
});
