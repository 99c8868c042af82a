/**
 * Switchboard in a supergraph, end to end on loopback: its SDL from a running gateway's `_service`, composed by
 * @apollo/composition with a small loans subgraph that references `Customer` by id, served by Hive Gateway (its
 * runtime, in-process), and a query that crosses both: loan (loans subgraph) -> customer (Switchboard, from the
 * LoanPro simulator).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { composeSupergraph, fetchSubgraphSdl } from '../../../scripts/federation/compose.js';
import { serveSupergraph, type ServedSupergraph } from '../../../scripts/federation/hive-gateway.js';
import { EXAMPLE_LOANS, startLoansSubgraph, type LoansSubgraph } from '../../../scripts/federation/loans-subgraph.js';

const CROSSING = `query LoansWithCustomers {
  loans { id principal customer { id firstName phones { number } } }
}`;

interface Crossed {
  loans: Array<{ id: string; principal: number; customer: { id: string; firstName: string | null; phones: Array<{ number: string | null }> } }>;
}

async function post(url: string, query: string, headers: Record<string, string> = {}): Promise<{ data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return (await res.json()) as { data?: unknown; errors?: Array<{ message: string }> };
}

describe('a supergraph of Switchboard and a loans subgraph behind Hive Gateway', () => {
  let gw: TestGateway;
  let loans: LoansSubgraph;
  let hive: ServedSupergraph;
  let supergraph: string;
  let switchboardUrl: string;

  beforeAll(async () => {
    gw = await startGateway({ listen: true, vendors: ['loanpro'] });
    loans = await startLoansSubgraph();
    switchboardUrl = `${gw.url}/graphql`;
    supergraph = composeSupergraph([
      { name: 'switchboard', url: switchboardUrl, sdl: await fetchSubgraphSdl(switchboardUrl, { 'x-api-key': READER_KEY }) },
      { name: 'loans', url: loans.url, sdl: await fetchSubgraphSdl(loans.url) },
    ]);
    hive = await serveSupergraph(supergraph);
  });
  afterAll(async () => {
    await hive?.close();
    await loans?.close();
    await gw?.close();
  });

  it('composes: both subgraphs joined, Customer owned by Switchboard and keyed by id in both', () => {
    expect(supergraph).toMatch(/SWITCHBOARD @join__graph\(name: "switchboard", url: "http:\/\/127\.0\.0\.1:\d+\/graphql"\)/);
    expect(supergraph).toMatch(/LOANS @join__graph\(name: "loans", url: "http:\/\/127\.0\.0\.1:\d+\/graphql"\)/);
    expect(supergraph).toContain('@join__type(graph: LOANS, key: "id", resolvable: false)');
    expect(supergraph).toContain('@join__type(graph: SWITCHBOARD, key: "id")');
  });

  it('resolves a query crossing both, fetching every customer in one batched LoanPro call', async () => {
    gw.resetRequestLog();
    const crossed = await post(hive.url, CROSSING, { 'x-api-key': READER_KEY });
    expect(crossed.errors).toBeUndefined();

    // The truth: Switchboard's own answer for the same ids, straight from the gateway.
    const ids = EXAMPLE_LOANS.map((loan) => loan.customerId);
    const direct = await gw.gql<{ customers: Array<{ id: string; firstName: string | null; phones: Array<{ number: string | null }> }> }>(
      'query ($ids: [ID!]!) { customers(ids: $ids) { id firstName phones { number } } }',
      { ids },
    );
    expect(direct.errors).toBeUndefined();
    const expected: Crossed = {
      loans: EXAMPLE_LOANS.map((loan, i) => ({ id: loan.id, principal: loan.principal, customer: direct.data!.customers[i]! })),
    };
    expect(crossed.data).toEqual(expected);
    expect(expected.loans[0]!.customer.firstName).toBeTruthy();
    expect(expected.loans.flatMap((l) => l.customer.phones).length).toBeGreaterThan(0);

    // The router sent one _entities request for the three customers; LoanPro saw one call for it (and one for `direct`).
    const calls = gw.loanproRequests();
    expect(calls).toHaveLength(2);
    expect(calls[0]!.query).toContain('id eq 1178 or id eq 1001 or id eq 1002');
  });

  it("stays within Switchboard's limits when the router batches many references (aliases, depth)", async () => {
    gw.resetRequestLog();
    // 20 aliased loans: over Switchboard's alias limit (15) if the router sent one aliased field per reference.
    const aliases = Array.from({ length: 20 }, (_, i) => `l${i}: loan(id: "${EXAMPLE_LOANS[i % EXAMPLE_LOANS.length]!.id}") { customer { id firstName } }`);
    const res = await post(hive.url, `{ ${aliases.join(' ')} }`, { 'x-api-key': READER_KEY });
    expect(res.errors).toBeUndefined();
    const data = res.data as Record<string, { customer: { id: string; firstName: string | null } }>;
    expect(data.l3!.customer.id).toBe(EXAMPLE_LOANS[0]!.customerId);
    expect(gw.loanproRequests()).toHaveLength(1);
  });

  it("forwards the caller's credentials to Switchboard alone, and Switchboard's scopes hold through the router", async () => {
    const before = loans.requestHeaders.length;
    const pii = await post(hive.url, '{ loans { id customer { id ssn } } }', { 'x-api-key': READER_KEY });
    expect(pii.errors?.some((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
    const seen = loans.requestHeaders.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen) {
      expect(headers['x-api-key']).toBeUndefined();
      expect(headers.authorization).toBeUndefined();
    }
  });

  /** `npm run --silent supergraph -- <args>`, as the README runs it (stdout, stderr, exit code). */
  async function supergraphCli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/supergraph.ts', ...args], {
      cwd: new URL('../../../', import.meta.url),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { stdout, stderr, code };
  }

  it('`npm run supergraph -- compose` prints the same supergraph from the running subgraphs, `sdl` one subgraph\'s SDL', async () => {
    const composed = await supergraphCli('compose', '--header', `x-api-key: ${READER_KEY}`, `switchboard=${switchboardUrl}`, `loans=${loans.url}`);
    expect(composed).toEqual({ stdout: `${supergraph}\n`, stderr: '', code: 0 });

    const sdl = await supergraphCli('sdl', '--header', `x-api-key: ${READER_KEY}`, switchboardUrl);
    expect(sdl).toEqual({ stdout: `${await fetchSubgraphSdl(switchboardUrl, { 'x-api-key': READER_KEY })}\n`, stderr: '', code: 0 });

    // Without credentials Switchboard refuses, and the CLI says so (exit 2) instead of printing a partial supergraph.
    const refused = await supergraphCli('compose', `switchboard=${switchboardUrl}`);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('gave no _service SDL');
  });
});
