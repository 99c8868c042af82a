import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream } from '../../../src/datasources/http/upstream.js';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { LoanProClient } from '../../../src/datasources/loanpro/loanpro.client.js';
import { MOCK_BASE, MOCK_ORIGIN, mockAgent } from '../http/helpers.js';

/** A LoanPro stub that refuses or-filters while `refusing` is true; a clock the test moves. */
function setup() {
  const agent = mockAgent();
  const pool = agent.get(MOCK_ORIGIN);
  const state = { refusing: true, batches: 0, singles: 0, clock: 0 };
  pool
    .intercept({ path: (p) => p.includes('Customers()'), method: 'GET' })
    .reply<object>(() => {
      state.batches++;
      return state.refusing
        ? { statusCode: 409, data: { error: { message: "Filter 'or' is not supported" } } }
        : { statusCode: 200, data: { d: { results: [{ id: 1 }, { id: 2 }] } } };
    })
    .persist();
  pool
    .intercept({ path: (p) => /Customers\(\d+\)/.test(p), method: 'GET' })
    .reply((opts) => {
      state.singles++;
      const id = Number(/Customers\((\d+)\)/.exec(opts.path)![1]);
      return { statusCode: 200, data: { d: { id } } };
    })
    .persist();
  const upstream = createUpstream({ vendor: 'LOANPRO', baseUrl: MOCK_BASE, timeoutMs: 1000, dispatcher: agent });
  const client = new LoanProClient(upstream, { batchSize: 50, filterReprobeMs: 600_000, now: () => state.clock });
  return { client, state, agent };
}

describe('LoanProClient batching after a refusal', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('reads one by one after a refused filter, and probes one batch again once the interval passed', async () => {
    const { client, state, agent } = setup();
    close = () => agent.close();

    const first = await client.getCustomers([1, 2]);
    expect([...first.keys()].sort()).toEqual([1, 2]);
    expect(state).toMatchObject({ batches: 1, singles: 2 });

    state.clock = 599_999;
    await client.getCustomers([1, 2]);
    expect(state).toMatchObject({ batches: 1, singles: 4 });

    // The interval passed: one batch probes; still refused, so back to one by one for another interval.
    state.clock = 600_000;
    await client.getCustomers([1, 2]);
    expect(state).toMatchObject({ batches: 2, singles: 6 });
    await client.getCustomers([1, 2]);
    expect(state).toMatchObject({ batches: 2, singles: 8 });

    // LoanPro takes the filter again: the next probe succeeds and batching resumes.
    state.refusing = false;
    state.clock = 1_200_000;
    await client.getCustomers([1, 2]);
    expect(state).toMatchObject({ batches: 3, singles: 8 });
    await client.getCustomers([1, 2]);
    expect(state).toMatchObject({ batches: 4, singles: 8 });
  });

  it('never rejects for a vendor failure: a failed single read becomes that id\'s UpstreamError', async () => {
    const agent = mockAgent();
    agent.get(MOCK_ORIGIN).intercept({ path: (p) => p.includes('Customers(7)'), method: 'GET' }).reply(503, {}).persist();
    const upstream = createUpstream({ vendor: 'LOANPRO', baseUrl: MOCK_BASE, timeoutMs: 1000, dispatcher: agent, retry: { maxAttempts: 1 } });
    const client = new LoanProClient(upstream, { batchSize: 50, filterReprobeMs: 1000 });
    close = () => agent.close();
    const found = await client.getCustomers([7]);
    expect(found.get(7)).toBeInstanceOf(UpstreamError);
  });
});
