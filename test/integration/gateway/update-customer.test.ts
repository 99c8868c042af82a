import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateCustomerMutation } from '../../__generated__/operations.js';
import { READER_KEY, startGateway, WRITER_KEY, type TestGateway } from '../../helpers/gateway.js';
import { operation } from '../../helpers/operations.js';

const UPDATE = operation('UpdateCustomer');
const PUT_PATH = '/api/public/api/1/odata.svc/Customers(1121)';

describe('updateCustomer over real HTTP to the LoanPro simulator', () => {
  let gw: TestGateway;
  const update = (id: string, input: Record<string, unknown>, key = WRITER_KEY) =>
    gw.gql<UpdateCustomerMutation>(UPDATE, { id, input }, { key });
  const puts = () => gw.loanproRequests().filter((r) => r.method === 'PUT');

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    gw.simulator.resetData();
    gw.resetRequestLog();
  });

  it('changes scalar fields with one PUT and answers the updated customer with fresh phones', async () => {
    const res = await update('1121', { firstName: 'Renamed', email: 'renamed@example.com' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateCustomer).toMatchObject({ id: '1121', firstName: 'Renamed', email: 'renamed@example.com' });
    expect(res.data!.updateCustomer.phones.map((p) => p.id).sort()).toEqual(['loanpro:738', 'loanpro:739']);
    expect(puts()).toEqual([expect.objectContaining({ path: PUT_PATH, status: 200 })]);
    expect(gw.simulator.getCustomer(1121)).toMatchObject({ firstName: 'Renamed', email: 'renamed@example.com' });
  });

  it('creates, edits and deletes phones in the same PUT, writing national digits', async () => {
    const res = await update('1121', {
      lastName: 'Moved',
      phones: [
        { id: 'loanpro:739', number: '+16789321578', type: 'HOME' },
        { id: '738', delete: true },
        { number: '+14155550123', type: 'MOBILE', isPrimary: true },
      ],
    });
    expect(res.errors).toBeUndefined();
    const phones = res.data!.updateCustomer.phones;
    expect(phones).toHaveLength(2);
    expect(phones.find((p) => p.id === 'loanpro:739')).toMatchObject({ number: '+16789321578', raw: '6789321578', type: 'HOME' });
    const created = phones.find((p) => p.id !== 'loanpro:739')!;
    expect(created).toMatchObject({ number: '+14155550123', raw: '4155550123', type: 'MOBILE', isPrimary: true });
    expect(puts()).toHaveLength(1);
    const stored = gw.simulator.getCustomer(1121)!;
    expect(stored.lastName).toBe('Moved');
    expect(stored.phones.map((p) => p.id).sort()).toEqual([739, Number(created.vendorId)].sort());
  });

  it('sends nothing when nothing changes', async () => {
    const current = gw.simulator.getCustomer(1121)!;
    const res = await update('1121', { firstName: current.firstName, phones: [{ id: '739', number: '+18662506066' }] });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateCustomer.firstName).toBe(current.firstName);
    expect(puts()).toHaveLength(0);
  });

  it('turns a duplicate-phone transaction warning into CONFLICT with the number masked, changing nothing', async () => {
    const before = gw.simulator.getCustomer(1121)!;
    const res = await update('1121', { firstName: 'Should-Not-Stick', phones: [{ number: '+16514737960' }] });
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    const error = res.errors![0]!;
    expect(error.extensions).toMatchObject({ code: 'CONFLICT', vendor: 'LOANPRO' });
    expect(error.message).toMatch(/already found in the system/);
    expect(error.message).toContain('7960');
    expect(error.message).not.toContain('6514737960');
    expect(JSON.stringify(res.errors)).not.toContain('6514737960');
    // The number's holder is someone else's record: neither their id nor their name reaches the client or a log.
    const holder = gw.simulator.getCustomer(1178)!;
    expect(error.message).toContain('(another customer)');
    for (const text of [JSON.stringify(res.errors), gw.logs.join('')]) {
      expect(text).not.toContain('Customer ID');
      expect(text).not.toContain(holder.lastName);
    }
    expect(puts()).toEqual([expect.objectContaining({ status: 409 })]);
    expect(gw.simulator.getCustomer(1121)).toEqual(before);
  });

  it('refuses malformed input with BAD_USER_INPUT before LoanPro sees it', async () => {
    const cases: Array<Record<string, unknown>> = [
      { phones: [{ number: '651-473-7960' }] }, // not E.164
      { phones: [{ number: '+1555' }] },
      { phones: [{ id: '999999', number: '+16789321578' }] }, // not this customer's phone
      { phones: [{ id: 'recoveryconnect:39317578', delete: true }] },
      { birthDate: '31/12/1990' },
      { status: '  ' },
      { ssn: '12-34' },
      {},
    ];
    for (const input of cases) {
      gw.resetRequestLog();
      const res = await update('1121', input);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('BAD_USER_INPUT');
      expect(puts(), JSON.stringify(input)).toHaveLength(0);
      expect(JSON.stringify(res.errors)).not.toMatch(/651.?473.?7960|39317578/);
    }
    const badId = await update('abc', { firstName: 'x' });
    expect(badId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects unknown input fields at validation', async () => {
    const res = await update('1121', { firstName: 'x', favouriteColour: 'blue' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(gw.loanproRequests()).toHaveLength(0);
  });

  it('answers NOT_FOUND for an unknown customer, with no PUT', async () => {
    const res = await update('999999', { firstName: 'x' });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'LOANPRO' });
    expect(puts()).toHaveLength(0);
  });

  it('needs customers:write', async () => {
    const res = await update('1121', { firstName: 'x' }, READER_KEY);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'customers:write' });
    expect(gw.loanproRequests()).toHaveLength(0);
  });

  it('treats accessPassword as write-only: sent, never readable', async () => {
    const res = await update('1121', { accessPassword: 'S3cret-pass!' });
    expect(res.errors).toBeUndefined();
    expect(gw.simulator.getCustomer(1121)!.accessPassword).toBe('S3cret-pass!');
    const introspection = await gw.gql<{ __type: { fields: Array<{ name: string }> } }>('{ __type(name: "Customer") { fields { name } } }');
    expect(introspection.data!.__type.fields.map((f) => f.name)).not.toContain('accessPassword');
    expect(gw.logs.join('')).not.toContain('S3cret-pass!');
  });

  it('never logs an SSN, the vendor token or a full phone number', async () => {
    await update('1121', { ssn: '123-45-6789', phones: [{ number: '+16514737960' }] });
    await update('1121', { phones: [{ number: 'bad' }] });
    // Over GET the variables ride in the query string, which the (debug-level) request log line must not keep.
    const viaGet = await gw.app.fastify.inject({
      method: 'GET',
      url: '/graphql',
      query: { query: UPDATE.query, operationName: UPDATE.operationName, variables: JSON.stringify({ id: '1121', input: { ssn: '123-45-6789' } }) },
      headers: { authorization: `Bearer ${WRITER_KEY}`, 'apollo-require-preflight': 'true' },
    });
    expect(viaGet.statusCode).toBe(405);
    expect(gw.logs.some((line) => line.includes('"url":"/graphql"'))).toBe(true);
    const logs = gw.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toMatch(/123-?45-?6789/);
    expect(logs).not.toContain('6514737960');
    expect(logs).not.toContain(gw.simulator.apiToken);
  });
});
