import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { d, errorOf, ids, phones, results, startLoanPro } from './loanpro.helpers.js';
import type { LoanProHarness } from './loanpro.helpers.js';

const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const NOW = `/Date(${NOW_MS / 1000})/`;

let lp: LoanProHarness;
beforeAll(async () => {
  lp = await startLoanPro({ now: () => NOW_MS });
});
afterAll(async () => {
  await lp.sim.close();
});
beforeEach(() => {
  lp.sim.resetData();
});

async function phonesOf(customerId: number): Promise<Record<string, unknown>[]> {
  const res = await lp.get(`odata.svc/Customers(${customerId})`, { $expand: 'Phones' });
  expect(res.status).toBe(200);
  return phones(d(res));
}

/** Snapshot everything a PUT could touch, to prove a 409 changed nothing. */
function snapshot(customerId: number): string {
  return JSON.stringify({ customer: lp.sim.getCustomer(customerId), all: lp.sim.customerIds().length });
}

describe('PUT odata.svc/Customers(id): scalar fields', () => {
  it('applies the doc sample body and answers the full entity (nested deferred)', async () => {
    const body = {
      id: 555,
      status: 'Active',
      customerType: 'customer.type.individual',
      customerIdType: 'customer.idType.ssn',
      gender: 'customer.gender.male',
      generationCode: 'customer.generationCode.none',
      CustomFieldValues: {},
      birthDate: '1991-02-03',
      firstName: 'Johnny',
      middleName: '',
      lastName: 'Dow',
      ssn: '855-61-6513',
      driverLicense: '',
      accessUserName: 'none@simnang.com',
      accessPassword: 's3cret',
      email: 'johnny@example.com',
      ofacTested: '0',
      active: true,
      creditLimit: 1500,
      __id: 555,
      __update: true,
    };
    const res = await lp.put('odata.svc/Customers(555)', body);
    expect(res.status).toBe(200);
    const c = d(res);
    expect(c['__metadata']).toEqual({
      uri: 'http://loanpro.simnang.com/api/public/api/1/odata.svc/Customers(id=555)',
      type: 'Entity.Customer',
    });
    expect(c['Phones']).toEqual({ __deferred: { uri: 'Customers(id=555)/Phones' } });
    expect(c).toMatchObject({
      id: 555,
      firstName: 'Johnny',
      email: 'johnny@example.com',
      birthDate: `/Date(${Date.UTC(1991, 1, 3) / 1000})/`,
      ssn: '855616513',
      ofacTested: 0,
      active: 1,
      creditLimit: '1500.00',
      lastUpdate: NOW,
    });
    expect(c).not.toHaveProperty('accessPassword');
    expect(lp.sim.getCustomer(555)?.accessPassword).toBe('s3cret');
    const again = d(await lp.get('odata.svc/Customers(555)'));
    expect(again['firstName']).toBe('Johnny');
    expect(again['lastUpdate']).toBe(NOW);
  });

  it('updates only the fields present', async () => {
    const before = lp.sim.getCustomer(1178);
    const res = await lp.put('odata.svc/Customers(1178)', { middleName: 'Q' });
    expect(res.status).toBe(200);
    const after = lp.sim.getCustomer(1178);
    expect(after).toEqual({ ...before, middleName: 'Q', lastUpdate: NOW_MS / 1000 });
  });

  it('answers $expand=Phones on the PUT response too', async () => {
    const res = await lp.put('odata.svc/Customers(1178)?$expand=Phones', { middleName: 'Q' });
    expect(ids(phones(d(res)))).toEqual([803]);
  });

  it.each([
    ['unknown field', { shoeSize: 44 }],
    ['id mismatch', { id: 1178, firstName: 'X' }],
    ['__id mismatch', { __id: 9, firstName: 'X' }],
    ['bad enum', { gender: 'male' }],
    ['bad ssn', { ssn: '12-34' }],
    ['bad date', { birthDate: 'yesterday' }],
    ['bad boolean', { active: 'yes' }],
    ['unmodelled nested write', { PrimaryAddress: { address1: '1 Main St' } }],
    ['Phones not wrapped in results', { Phones: [{ phone: '6122931847' }] }],
    ['array body', [{ firstName: 'X' }]],
  ])('409 for %s, nothing changed', async (_label, body) => {
    const before = snapshot(555);
    const res = await lp.put('odata.svc/Customers(555)', body);
    expect(res.status).toBe(409);
    expect(errorOf(res)).toMatchObject({ type: 'ODataException', code: 409 });
    expect(snapshot(555)).toBe(before);
  });

  it('409 for invalid JSON, unknown and deleted customers', async () => {
    const bad = await lp.send('PUT', 'odata.svc/Customers(555)', '{"firstName":');
    expect(bad.status).toBe(409);
    expect(errorOf(bad).type).toBe('ODataException');
    expect((await lp.put('odata.svc/Customers(999999)', { firstName: 'X' })).status).toBe(409);
    expect((await lp.put('odata.svc/Customers(1254)', { firstName: 'X' })).status).toBe(409);
  });
});

describe('PUT nested Phones', () => {
  it('an item without __id creates a phone with LoanPro defaults', async () => {
    const res = await lp.put('odata.svc/Customers(1251)', {
      Phones: { results: [{ phone: '6122931847', type: 'customer.phoneType.cell', isPrimary: '1', isLandLine: false }] },
    });
    expect(res.status).toBe(200);
    const list = await phonesOf(1251);
    expect(list).toHaveLength(1);
    const p = list[0] as Record<string, unknown>;
    expect(p['id']).toBeGreaterThan(5463);
    expect(p).toMatchObject({
      entityId: 1251,
      entityType: 'Entity.Customer',
      phone: '6122931847',
      type: 'customer.phoneType.cell',
      isPrimary: 1,
      isSecondary: 0,
      sbtMktVerified: 0,
      sbtActVerified: 0,
      sbtMktVerifyPIN: null,
      isLandLine: 0,
      dndEnabled: 0,
      active: 1,
    });
    expect((p['__metadata'] as { uri: string }).uri).toBe(
      `http://loanpro.simnang.com/api/public/api/1/odata.svc/Phones(id=${String(p['id'])})`,
    );
    expect(lp.sim.getCustomer(1251)?.lastUpdate).toBe(NOW_MS / 1000);
  });

  it('creating needs a phone number', async () => {
    const res = await lp.put('odata.svc/Customers(1251)', { Phones: { results: [{ type: 'customer.phoneType.cell' }] } });
    expect(res.status).toBe(409);
    expect(await phonesOf(1251)).toEqual([]);
  });

  it('__id + __update edits the phone (doc example body)', async () => {
    const res = await lp.put('odata.svc/Customers(1121)', {
      Phones: {
        results: [
          {
            phone: '8662506066',
            isPrimary: '0',
            isSecondary: '1',
            type: 'customer.phoneType.home',
            carrierVerified: 1,
            carrierName: null,
            isLandLine: 1,
            __update: true,
            __id: 739,
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const list = await phonesOf(1121);
    expect(ids(list)).toEqual([738, 739]);
    expect(list[1]).toMatchObject({ id: 739, phone: '8662506066', type: 'customer.phoneType.home', isLandLine: 1, isSecondary: 1 });
  });

  it('setting isPrimary=1 clears the other phones of the customer', async () => {
    expect((await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ __id: 739, __update: true, isPrimary: 1 }] } })).status).toBe(200);
    let list = await phonesOf(1121);
    expect(list.map((p) => [p['id'], p['isPrimary']])).toEqual([
      [738, 0],
      [739, 1],
    ]);
    expect((await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ phone: '8013376612', isPrimary: true }] } })).status).toBe(200);
    list = await phonesOf(1121);
    expect(list.filter((p) => p['isPrimary'] === 1).map((p) => p['phone'])).toEqual(['8013376612']);
  });

  it('__id without __update or __delete creates a new phone instead of editing (as the doc warns)', async () => {
    const res = await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ __id: 739, phone: '8013376612' }] } });
    expect(res.status).toBe(200);
    const list = await phonesOf(1121);
    expect(list).toHaveLength(3);
    expect(list.find((p) => p['id'] === 739)?.['phone']).toBe('8662506066');
    expect(list.find((p) => p['phone'] === '8013376612')?.['id']).toBeGreaterThan(5463);
  });

  it('__id + __delete soft-deletes: gone from every read, kept in storage', async () => {
    expect((await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ __id: 739, __delete: true }] } })).status).toBe(200);
    expect(ids(await phonesOf(1121))).toEqual([738]);
    expect(ids(results(await lp.get('odata.svc/Customers(1121)/Phones')))).toEqual([738]);
    const batch = await lp.get('odata.svc/Customers()', { $filter: 'id eq 1121', $expand: 'Phones' });
    expect(ids(phones(results(batch)[0] as Record<string, unknown>))).toEqual([738]);
    expect(lp.sim.getPhone(739)?.deleted).toBe(1);
    // The SDK sends __update and __delete together for a deletion.
    expect((await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ __id: 738, __update: true, __delete: true }] } })).status).toBe(200);
    expect(await phonesOf(1121)).toEqual([]);
  });

  it('409 when the phone is not this customer’s, already deleted, or __delete lacks __id', async () => {
    const before = snapshot(1121);
    for (const item of [
      { __id: 803, __update: true, isPrimary: 0 },
      { __id: 803, __delete: true },
      { __id: 802, __update: true, isPrimary: 1 }, // 1178's deleted phone
      { __delete: true },
      { __id: 'x', __update: true },
    ]) {
      const res = await lp.put('odata.svc/Customers(1121)', { Phones: { results: [item] } });
      expect(res.status, JSON.stringify(item)).toBe(409);
    }
    expect(snapshot(1121)).toBe(before);
    expect(lp.sim.getPhone(803)).toMatchObject({ entityId: 1178, isPrimary: 1, deleted: 0 });
  });

  it('ignores SBT state and UI props in phone items, rejects unknown phone fields', async () => {
    const res = await lp.put('odata.svc/Customers(1183)', {
      Phones: { results: [{ __id: 5463, __update: true, sbtActVerified: 1, _index: 0, __isDirty: true, dndEnabled: 1 }] },
    });
    expect(res.status).toBe(200);
    expect(lp.sim.getPhone(5463)).toMatchObject({ sbtActVerified: 0, sbtActVerifyPending: 1, dndEnabled: 1 });
    const bad = await lp.put('odata.svc/Customers(1183)', { Phones: { results: [{ __id: 5463, __update: true, colour: 'red' }] } });
    expect(bad.status).toBe(409);
    expect((await lp.put('odata.svc/Customers(1183)', { Phones: { results: [{ phone: '6122931847', type: 'customer.phoneNumber.type.cell' }] } })).status).toBe(409);
  });

  it('changing a phone number drops its SBT verification', async () => {
    expect((await lp.put('odata.svc/Customers(1178)', { Phones: { results: [{ __id: 803, __update: true, phone: '6122931847' }] } })).status).toBe(200);
    expect(lp.sim.getPhone(803)).toMatchObject({ phone: '6122931847', sbtActVerified: 0, sbtMktVerified: 0 });
  });
});

describe('duplicate phone transaction warnings', () => {
  const DOC_WARNING = {
    error: {
      message: 'Transaction warnings found.',
      type: 'TransactionWarningException',
      code: 500,
      warnings: ["(Phones) Phone '4555555555' already found in the system (Customer ID 396: Johnny Test Doe)."],
    },
  };

  it('answers HTTP 409 with the documented body when another customer has the number', async () => {
    const before = snapshot(1121);
    const res = await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ phone: '4555555555' }] } });
    expect(res.status).toBe(409);
    expect(res.json).toEqual(DOC_WARNING);
    expect(snapshot(1121)).toBe(before);
  });

  it('catches the same number written differently and edits to a taken number', async () => {
    const formatted = await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ phone: '+1 (651) 473-7960' }] } });
    expect(formatted.status).toBe(409);
    expect(errorOf(formatted).warnings).toEqual([
      "(Phones) Phone '+1 (651) 473-7960' already found in the system (Customer ID 1178: Grace E Lindqvist).",
    ]);
    const edit = await lp.put('odata.svc/Customers(1121)', { Phones: { results: [{ __id: 738, __update: true, phone: '6514737960' }] } });
    expect(edit.status).toBe(409);
    expect(lp.sim.getPhone(738)?.phone).toBe('8012364481');
  });

  it('does not warn for the customer’s own numbers, deleted phones or deleted customers', async () => {
    for (const [customer, number] of [
      [1121, '8662506066'], // its own
      [1121, '6513029714'], // 1178's deleted phone
      [1121, '7732190846'], // phone of deleted customer 1254
    ] as const) {
      const res = await lp.put(`odata.svc/Customers(${customer})`, { Phones: { results: [{ phone: number }] } });
      expect(res.status, number).toBe(200);
    }
  });

  it('__ignoreWarnings: true at the root lets the write through', async () => {
    const res = await lp.put('odata.svc/Customers(1121)', { __ignoreWarnings: true, Phones: { results: [{ phone: '4555555555' }] } });
    expect(res.status).toBe(200);
    expect((await phonesOf(1121)).map((p) => p['phone'])).toContain('4555555555');
    expect((await phonesOf(396)).map((p) => p['phone'])).toEqual(['4555555555']);
  });

  it('the whole PUT is atomic: valid scalar and phone changes are not applied when one item conflicts', async () => {
    const before = snapshot(1121);
    const warned = await lp.put('odata.svc/Customers(1121)', {
      firstName: 'Changed',
      Phones: {
        results: [
          { __id: 739, __delete: true },
          { __id: 738, __update: true, dndEnabled: 1 },
          { phone: '6122931847' },
          { phone: '4555555555' },
        ],
      },
    });
    expect(warned.status).toBe(409);
    expect(snapshot(1121)).toBe(before);

    const invalid = await lp.put('odata.svc/Customers(1121)', {
      firstName: 'Changed',
      Phones: { results: [{ phone: '6122931847' }, { __id: 738, __update: true, type: 'nope' }] },
    });
    expect(invalid.status).toBe(409);
    expect(snapshot(1121)).toBe(before);
    expect(lp.sim.getCustomer(1121)?.lastUpdate).not.toBe(NOW_MS / 1000);
  });
});

describe('data reset', () => {
  it('POST /__sim/data/reset restores the seed', async () => {
    await lp.put('odata.svc/Customers(1178)', { firstName: 'Changed' });
    expect(lp.sim.getCustomer(1178)?.firstName).toBe('Changed');
    const res = await request(`${lp.sim.url}/__sim/data/reset`, { method: 'POST' });
    expect(res.statusCode).toBe(204);
    await res.body.dump();
    expect(lp.sim.getCustomer(1178)?.firstName).toBe('Grace');
  });
});
