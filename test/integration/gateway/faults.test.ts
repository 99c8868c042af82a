import { afterEach, describe, expect, it } from 'vitest';
import type { CustomerQuery, CustomersQuery } from '../../__generated__/operations.js';
import { startGateway, WRITER_KEY, type TestGateway } from '../../helpers/gateway.js';
import { operation } from '../../helpers/operations.js';

const CUSTOMER = operation('Customer');
const CUSTOMERS = operation('Customers');

/** Nothing a vendor or a person owns may reach a client or a log line. */
function expectNothingLeaked(gw: TestGateway, text: string): void {
  expect(text).not.toContain(gw.simulator.apiToken);
  expect(text).not.toContain(gw.simulator.url); // the vendor's origin
  expect(text).not.toContain(`:${new URL(gw.simulator.url).port}`);
  expect(text).not.toContain('odata.svc');
  for (const id of gw.simulator.customerIds()) {
    const customer = gw.simulator.getCustomer(id)!;
    if (customer.ssn) expect(text).not.toContain(customer.ssn);
    for (const phone of customer.phones) if (phone.phone.length >= 7) expect(text).not.toContain(phone.phone);
  }
}

describe('LoanPro faults become partial data and catalogued errors', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    if (gw) expectNothingLeaked(gw, gw.logs.join(''));
    await gw?.close();
    gw = undefined;
  });

  it('5xx: UPSTREAM_UNAVAILABLE naming LoanPro, after three GET attempts', async () => {
    gw = await startGateway();
    gw.simulator.setFaults({ errorRate: 1, errorStatus: 500 });
    const res = await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ customer: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'LoanPro answered with a server error.',
        path: ['customer'],
        extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' }),
      }),
    ]);
    expect(gw.loanproRequests()).toHaveLength(3);
    expectNothingLeaked(gw, JSON.stringify(res));
  });

  it('401 (the gateway holds a bad token): UPSTREAM_UNAVAILABLE, not retried', async () => {
    gw = await startGateway({ env: { LOANPRO_API_TOKEN: 'wrong-token-for-this-tenant' } });
    const res = await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    expect(res.data).toEqual({ customer: null });
    expect(res.errors?.[0]).toMatchObject({
      message: "LoanPro refused the gateway's credentials.",
      extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' },
    });
    expect(gw.loanproRequests()).toEqual([expect.objectContaining({ status: 401 })]);
    expect(JSON.stringify(res)).not.toContain('wrong-token');
    expect(gw.logs.join('')).not.toContain('wrong-token');
  });

  it('hang: answers within the LoanPro deadline with UPSTREAM_UNAVAILABLE', async () => {
    gw = await startGateway({ env: { LOANPRO_TIMEOUT_MS: '300' } });
    gw.simulator.setFaults({ hangRate: 1 });
    const res = await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    expect(res.data).toEqual({ customer: null });
    expect(res.errors?.[0]).toMatchObject({
      message: 'LoanPro did not answer in time.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' },
    });
    // The answer came from the deadline, not from LoanPro: the simulator holds the request and never replied.
    expect(gw.simulator.requestLog.entries().map((e) => e.fault)).toContain('hang');
  });

  it('reset connection: UPSTREAM_UNAVAILABLE after retrying the GET', async () => {
    gw = await startGateway();
    gw.simulator.setFaults({ resetRate: 1 });
    const res = await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    expect(res.errors?.[0]).toMatchObject({
      message: 'LoanPro could not be reached.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' },
    });
    expect(gw.loanproRequests()).toHaveLength(3);
  });

  it('a PUT is never retried, even on a reset connection', async () => {
    gw = await startGateway();
    gw.simulator.setFaults({ resetRate: 1, methods: ['PUT'] });
    const res = await gw.gql(operation('UpdateCustomer'), { id: '1121', input: { firstName: 'X' } }, { key: WRITER_KEY });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' });
    const calls = gw.loanproRequests();
    expect(calls.filter((r) => r.method === 'GET')).toHaveLength(1); // the read before the write
    expect(calls.filter((r) => r.method === 'PUT')).toHaveLength(1); // exactly one attempt
  });

  it('429 with Retry-After beyond the deadline: UPSTREAM_RATE_LIMITED with retryAfterSeconds, at once', async () => {
    gw = await startGateway();
    gw.simulator.setFaults({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 60 });
    const res = await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    expect(res.errors?.[0]).toMatchObject({
      extensions: { code: 'UPSTREAM_RATE_LIMITED', vendor: 'LOANPRO', retryAfterSeconds: 60 },
    });
    expect(gw.loanproRequests()).toHaveLength(1);
  });

  it('one failing customer in the per-id fallback nulls only its own entry', async () => {
    gw = await startGateway({ simulator: { filterOr: 'rejected' } });
    gw.simulator.setFaults({ errorRate: 1, errorStatus: 503, routes: 'Customers\\(1002\\)$' });
    const res = await gw.gql<CustomersQuery>(CUSTOMERS, { ids: ['1001', '1002', '1003'] });
    expect(res.data!.customers.map((c) => c?.id ?? null)).toEqual(['1001', null, '1003']);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['customers', 1], extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' } });
  });

  it('opens the circuit after repeated failures: calls fail fast without reaching LoanPro', async () => {
    gw = await startGateway();
    gw.simulator.setFaults({ errorRate: 1, errorStatus: 500 });
    for (let i = 0; i < 8; i++) await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    gw.resetRequestLog();
    const res = await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    expect(res.errors?.[0]).toMatchObject({
      message: 'LoanPro is failing; calls to it are paused briefly.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' },
    });
    expect(gw.loanproRequests()).toHaveLength(0);
    expect(gw.app.upstreams[0]!.stats().breaker).toBe('open');
  });

  it('keeps serving after faults clear; nothing crashed', async () => {
    gw = await startGateway();
    gw.simulator.setFaults({ resetRate: 1 });
    await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    gw.simulator.resetFaults();
    const res = await gw.gql<CustomerQuery>(CUSTOMER, { id: '1178' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer!.phones[0]!.number).toBe('+16514737960');
  });
});
