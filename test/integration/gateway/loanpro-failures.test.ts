/**
 * A failure nulls only what it feeds (the contract's first convention), over real HTTP: the LoanPro simulator
 * behind a programmable proxy, so one chunk of a batch or one read-back can fail while the rest answers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CustomersQuery, UpdateCustomerMutation } from '../../__generated__/operations.js';
import { startGateway, WRITER_KEY, type TestGateway } from '../../helpers/gateway.js';
import { operation } from '../../helpers/operations.js';
import { startProxy, type ProxyDecision, type ProxiedRequest, type TestProxy } from '../../helpers/proxy.js';

const CUSTOMERS = operation('Customers');
const UPDATE = operation('UpdateCustomer');
const BATCH_PATH = '/api/public/api/1/odata.svc/Customers()';

let gw: TestGateway | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await gw?.close();
  await proxy?.close();
  gw = undefined;
  proxy = undefined;
});

/** A gateway whose LoanPro calls go through a proxy deciding each request. */
async function behindProxy(decide: (req: ProxiedRequest) => ProxyDecision, env: Record<string, string> = {}): Promise<TestGateway> {
  gw = await startGateway({
    vendors: ['loanpro'],
    env,
    baseUrlFor: {
      loanpro: async (sim) => {
        proxy = await startProxy(sim.url, decide);
        return new URL(sim.baseUrl).pathname.replace(/^/, proxy.origin);
      },
    },
  });
  return gw;
}

const filterOf = (req: ProxiedRequest) => new URL(req.url, 'http://x').searchParams.get('$filter') ?? '';

describe('batched LoanPro reads fail only what they carried', () => {
  it('one failed chunk fails only the ids it carried; the other chunk answers', async () => {
    gw = await behindProxy((req) => (filterOf(req).includes('id eq 1003') ? { status: 503, body: { error: 'down' } } : 'forward'), {
      LOANPRO_BATCH_SIZE: '2',
    });
    const res = await gw.gql<CustomersQuery>(CUSTOMERS, { ids: ['1001', '1002', '1003', '1004'] });
    expect(res.data!.customers.map((c) => c?.id ?? null)).toEqual(['1001', '1002', null, null]);
    expect(res.errors!.map((e) => e.path)).toEqual([
      ['customers', 2],
      ['customers', 3],
    ]);
    for (const e of res.errors!) expect(e.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' });
  });

  it('one unreadable record fails only its own entry', async () => {
    gw = await startGateway({ vendors: ['loanpro'] });
    // Junk where LoanPro's record should hold text: the mapper cannot read it.
    (gw.simulator.store.customer(1002) as unknown as Record<string, unknown>).ssn = { junk: true };
    const res = await gw.gql<CustomersQuery>(CUSTOMERS, { ids: ['1001', '1002', '1003'] });
    expect(res.data!.customers.map((c) => c?.id ?? null)).toEqual(['1001', null, '1003']);
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['customers', 1],
        message: 'LoanPro sent a customer record the gateway cannot read.',
        extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' }),
      }),
    ]);
    expect(gw.loanproRequests()).toHaveLength(1);
  });

  for (const status of [408, 422, 429, 500]) {
    it(`a ${status} on a batched read fails that call only and leaves batching on`, async () => {
      let failed = false;
      gw = await behindProxy((req) => {
        if (!failed && req.url.startsWith(BATCH_PATH)) {
          failed = true;
          return { status, body: { error: { message: 'transient' } } };
        }
        return 'forward';
      });
      const first = await gw.gql<CustomersQuery>(CUSTOMERS, { ids: ['1001', '1002'] });
      expect(first.data!.customers).toHaveLength(2);
      gw.resetRequestLog();
      const second = await gw.gql<CustomersQuery>(CUSTOMERS, { ids: ['1003', '1004'] });
      expect(second.errors).toBeUndefined();
      expect(gw.loanproRequests().map((r) => r.path)).toEqual([BATCH_PATH]);
    });
  }

  it('a 414 halves the chunk and still answers every id', async () => {
    gw = await behindProxy((req) => (req.url.startsWith(BATCH_PATH) && filterOf(req).split(' or ').length > 2 ? { status: 414 } : 'forward'));
    const ids = ['1001', '1002', '1003', '1004', '1005'];
    const res = await gw.gql<CustomersQuery>(CUSTOMERS, { ids });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers.map((c) => c?.id)).toEqual(ids);
    // Every forwarded batch carried at most two ids; the next query starts at the halved size.
    gw.resetRequestLog();
    await gw.gql<CustomersQuery>(CUSTOMERS, { ids: ['1006', '1007', '1008'] });
    const batches = gw.loanproRequests().filter((r) => r.path === BATCH_PATH);
    expect(batches.every((r) => r.query.split(' or ').length <= 2)).toBe(true);
  });
});

describe('a committed write is never reported as failed', () => {
  const input = { email: 'after@example.com', phones: [{ id: 'loanpro:739', type: 'HOME' }] };

  it('answers from the write and the phones it knew when the read-back fails', async () => {
    let putSeen = false;
    gw = await behindProxy((req) => {
      if (req.method === 'PUT') putSeen = true;
      else if (putSeen) return { status: 503, body: { error: 'down' } };
      return 'forward';
    });
    const res = await gw.gql<UpdateCustomerMutation>(UPDATE, { id: '1121', input }, { key: WRITER_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateCustomer).toMatchObject({ id: '1121', email: 'after@example.com' });
    const phones = res.data!.updateCustomer.phones;
    expect(phones.find((p) => p.id === 'loanpro:739')).toMatchObject({ type: 'HOME' });
    expect(phones.map((p) => p.id).sort()).toEqual(['loanpro:738', 'loanpro:739']);
    expect(gw.simulator.getCustomer(1121)!.email).toBe('after@example.com');
  });

  it('says committed: true when the answer cannot be built (a phone was created)', async () => {
    let putSeen = false;
    gw = await behindProxy((req) => {
      if (req.method === 'PUT') putSeen = true;
      else if (putSeen) return { status: 503, body: { error: 'down' } };
      return 'forward';
    });
    const res = await gw.gql(UPDATE, { id: '1121', input: { phones: [{ number: '+14155550199' }] } }, { key: WRITER_KEY });
    expect(res.data).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO', committed: true });
    expect(gw.simulator.getCustomer(1121)!.phones.map((p) => p.phone)).toContain('4155550199');
  });
});

describe('update inputs: absent is unchanged, null clears where LoanPro can', () => {
  it('clears email with an explicit null and leaves absent fields alone', async () => {
    gw = await startGateway({ vendors: ['loanpro'] });
    const before = gw.simulator.getCustomer(1121)!;
    const res = await gw.gql<UpdateCustomerMutation>(UPDATE, { id: '1121', input: { email: null, middleName: null } }, { key: WRITER_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateCustomer.email).toBeNull();
    const after = gw.simulator.getCustomer(1121)!;
    expect(after.email).toBe('');
    expect(after.firstName).toBe(before.firstName);
  });

  it('refuses null where LoanPro cannot clear the field, naming it, with no vendor call', async () => {
    gw = await startGateway({ vendors: ['loanpro'] });
    const res = await gw.gql(UPDATE, { id: '1121', input: { firstName: null } }, { key: WRITER_KEY });
    expect(res.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'input.firstName' } });
    expect(res.errors![0]!.message).toMatch(/^input\.firstName cannot be cleared/);
    expect(gw.loanproRequests()).toHaveLength(0);
  });

  it('refuses a 10,000-character firstName before LoanPro sees it', async () => {
    gw = await startGateway({ vendors: ['loanpro'] });
    const res = await gw.gql(UPDATE, { id: '1121', input: { firstName: 'x'.repeat(10_000) } }, { key: WRITER_KEY });
    expect(res.errors![0]).toMatchObject({
      message: 'input.firstName must be at most 100 characters.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(gw.loanproRequests()).toHaveLength(0);
  });
});

describe('work per operation is bounded across the whole operation', () => {
  it('counts ids over every alias: the field past the budget fails with QUERY_TOO_COMPLEX and calls nothing', async () => {
    gw = await startGateway({ vendors: ['loanpro'], env: { GRAPHQL_MAX_IDS: '3' } });
    const res = await gw.gql<{ a: unknown[]; b: unknown }>(
      'query($a: [ID!]!) { a: customers(ids: $a) { id } b: customer(id: "1004") { id } }',
      { a: ['1001', '1002', '1003'] },
    );
    expect(res.data!.a).toHaveLength(3);
    expect(res.data!.b).toBeNull();
    expect(res.errors).toEqual([expect.objectContaining({ path: ['b'], extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX' }) })]);
    expect(gw.loanproRequests()).toHaveLength(1);
    expect(gw.loanproRequests()[0]!.query.split(' or ')).toHaveLength(3);
  });

  it('aborts the vendor reads still running when the operation deadline passes', async () => {
    gw = await startGateway({ vendors: ['loanpro'], env: { GRAPHQL_REQUEST_TIMEOUT_MS: '200', LOANPRO_TIMEOUT_MS: '60000' } });
    gw.simulator.setFaults({ hangRate: 1 });
    const res = await gw.gql('{ customer(id: "1178") { id } }');
    expect(res.data).toEqual({ customer: null });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' });
    expect(gw.app.upstreams[0]!.stats().inFlight).toBe(0);
  });
});
