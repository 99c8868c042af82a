/**
 * MessageMedia failures that stay small, over real HTTP with a programmable proxy in front of the simulator: an
 * unreadable row nulls only its edge, a failed read nulls only its entry, a committed assignment whose answer was
 * unreadable is still answered (or reported `committed: true`, and then reconciled by its retry). Also demo mode,
 * and logs that carry neither numbers nor credentials.
 */
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssignDedicatedNumberMutation, AvailableNumbersQuery, DedicatedNumbersQuery, UpdateNumberAssignmentMutation } from '../../__generated__/operations.js';
import { ADMIN_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { startProxy, type ProxiedRequest, type ProxyDecision, type TestProxy } from '../../helpers/proxy.js';
import { basicAuthHeader } from '../../../src/simulators/messagemedia/messagemedia.auth.js';
import type { MessageMediaSimulator } from '../../../src/simulators/messagemedia/messagemedia.simulator.js';

const DOCUMENT = readFileSync(new URL('../../operations/number.graphql', import.meta.url), 'utf8');
const op = (operationName: string) => ({ query: DOCUMENT, operationName });
const BASE = '/v1/messaging/numbers/dedicated';
const START = Date.UTC(2026, 0, 15, 12, 0, 0);
const HELD = 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985';
const ARTICLE_NUMBER = '073fb6bd-f054-4644-aada-8fb204145d77';

let gw: TestGateway | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await gw?.close();
  await proxy?.close();
  gw = undefined;
  proxy = undefined;
});

async function behindProxy(decide: (req: ProxiedRequest, sim: MessageMediaSimulator) => ProxyDecision | Promise<ProxyDecision>): Promise<TestGateway> {
  let started: MessageMediaSimulator | undefined;
  gw = await startGateway({
    simulators: { messagemedia: { now: () => START } },
    baseUrlFor: {
      messagemedia: async (sim) => {
        started = sim as MessageMediaSimulator;
        proxy = await startProxy(sim.url, (req) => decide(req, started!));
        return proxy.origin;
      },
    },
  });
  return gw;
}

/** What the proxy does instead of forwarding a POST: makes the assignment at the simulator itself. */
async function assignAtSimulator(sim: MessageMediaSimulator, url: string): Promise<void> {
  const res = await request(`${sim.url}${url}`, {
    method: 'POST',
    headers: { authorization: basicAuthHeader(sim.apiKey, sim.apiSecret), 'content-type': 'application/json' },
    body: '{}',
  });
  await res.body.text();
  expect(res.statusCode).toBe(201);
}

describe('failures null only what they feed', () => {
  it('an unreadable row nulls only its edge, and its cursor still pages on', async () => {
    const rows = [
      { id: '06edf0e7-5856-43b7-b1f7-ddd1ba5a7431', phone_number: '+61439742682', country: 'AU', type: 'MOBILE', classification: 'BRONZE', capabilities: ['SMS'] },
      { id: '0707e86b-efa2-45f7-a5aa-9ac8cb84eb15', phone_number: '+61438824240', country: 'AU', type: 'SATELLITE', capabilities: ['SMS'] },
      { id: ARTICLE_NUMBER, phone_number: '61438851616', country: 'AU', type: 'MOBILE', capabilities: ['SMS'] },
    ];
    const gateway = await behindProxy((req) =>
      req.method === 'GET' && req.url.startsWith(`${BASE}?`) ? { status: 200, body: { data: rows, pagination: { page_size: 3 } } } : 'forward',
    );
    const res = await gateway.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { country: 'AU', first: 3 }, { key: ADMIN_KEY });
    const conn = res.data!.availableNumbers!;
    expect(conn.edges.map((e) => e.node?.id ?? null)).toEqual([rows[0]!.id, null, ARTICLE_NUMBER]);
    expect(conn.edges[2]!.node!.phoneNumber).toBe('+61438851616');
    expect(conn.edges[1]!.cursor).toBeTypeOf('string');
    expect(conn.pageInfo.hasNextPage).toBe(false);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['availableNumbers', 'edges', 1, 'node'],
      message: 'MessageMedia sent a number record the gateway cannot read.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'MESSAGEMEDIA' },
    });
  });

  it('a row that is no record at all (null, a string) nulls only its edge, in either list', async () => {
    const good = { id: ARTICLE_NUMBER, phone_number: '+61438851616', country: 'AU', type: 'MOBILE', capabilities: ['SMS'] };
    const assignment = { id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179', number_id: ARTICLE_NUMBER };
    const gateway = await behindProxy((req) => {
      if (req.method !== 'GET') return 'forward';
      if (req.url.startsWith(`${BASE}?`)) return { status: 200, body: { data: [null, good, 'x'], pagination: { page_size: 3 } } };
      if (req.url.startsWith(`${BASE}/assignments?`)) return { status: 200, body: { data: [{ number: good, assignment }, null], pagination: { page_size: 2 } } };
      return 'forward';
    });
    const search = await gateway.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { country: 'AU', first: 3 }, { key: ADMIN_KEY });
    expect(search.data!.availableNumbers!.edges.map((e) => e.node?.id ?? null)).toEqual([null, ARTICLE_NUMBER, null]);
    expect(search.errors!.map((e) => [e.path, e.extensions!['code']])).toEqual([
      [['availableNumbers', 'edges', 0, 'node'], 'UPSTREAM_UNAVAILABLE'],
      [['availableNumbers', 'edges', 2, 'node'], 'UPSTREAM_UNAVAILABLE'],
    ]);
    const mine = await gateway.gql<DedicatedNumbersQuery>(op('DedicatedNumbers'), { first: 2 }, { key: ADMIN_KEY });
    expect(mine.data!.dedicatedNumbers!.edges.map((e) => e.node?.assignment?.id ?? null)).toEqual([assignment.id, null]);
    expect(mine.errors!.map((e) => [e.path, e.extensions!['code']])).toEqual([[['dedicatedNumbers', 'edges', 1, 'node'], 'UPSTREAM_UNAVAILABLE']]);
  });

  it('a failed read of one number fails only that entry', async () => {
    const gateway = await behindProxy((req) => (req.url === `${BASE}/${ARTICLE_NUMBER}` ? { status: 500, body: { message: 'Something went wrong' } } : 'forward'));
    const res = await gateway.gql<{ a: { id: string } | null; b: { id: string } | null }>(
      `query($a: ID!, $b: ID!) { a: dedicatedNumber(id: $a) { id } b: dedicatedNumber(id: $b) { id } }`,
      { a: HELD, b: ARTICLE_NUMBER },
      { key: ADMIN_KEY },
    );
    expect(res.data).toEqual({ a: { id: HELD }, b: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ path: ['b'], extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'MESSAGEMEDIA' } });
  });

  it('an account without the dedicated-numbers feature reads as such, not as bad credentials', async () => {
    const gateway = await behindProxy(() => 'forward');
    gateway.simulators.messagemedia!.setBehaviour({ dedicatedNumbersEnabled: false });
    const res = await gateway.gql(op('AvailableNumbers'), { country: 'AU' }, { key: ADMIN_KEY });
    expect(res.data).toEqual({ availableNumbers: null });
    expect(res.errors![0]).toMatchObject({
      message: 'The MessageMedia account is not enabled for dedicated numbers.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'MESSAGEMEDIA' },
    });
  });
});

describe('a committed assignment is never reported as failed', () => {
  it('a 201 whose body cannot be read: the assignment is read back and answered', async () => {
    const gateway = await behindProxy(async (req, sim) => {
      if (req.method !== 'POST') return 'forward';
      await assignAtSimulator(sim, req.url);
      return { status: 201, body: 'not an assignment' };
    });
    const res = await gateway.gql<AssignDedicatedNumberMutation>(op('AssignDedicatedNumber'), { numberId: ARTICLE_NUMBER, idempotencyKey: 'k-1' }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    const held = gateway.simulators.messagemedia!.getAssignment(ARTICLE_NUMBER)!;
    expect(res.data!.assignDedicatedNumber).toMatchObject({ id: ARTICLE_NUMBER, phoneNumber: '+61438851616', assignment: { id: held.id, numberId: ARTICLE_NUMBER } });
  });

  it('when the read-back fails too, the error says committed; the same key then answers the assignment', async () => {
    let readBackFails = true;
    const gateway = await behindProxy(async (req, sim) => {
      if (req.method === 'POST') {
        await assignAtSimulator(sim, req.url);
        return { status: 201, body: 'not an assignment' };
      }
      if (readBackFails && req.method === 'GET' && req.url.endsWith('/assignment')) return { status: 503, body: { message: 'Service Unavailable' } };
      return 'forward';
    });
    const first = await gateway.gql(op('AssignDedicatedNumber'), { numberId: ARTICLE_NUMBER, idempotencyKey: 'k-2' }, { key: ADMIN_KEY });
    expect(first.data).toBeNull();
    expect(first.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'MESSAGEMEDIA', committed: true });

    readBackFails = false;
    const retry = await gateway.gql<AssignDedicatedNumberMutation>(op('AssignDedicatedNumber'), { numberId: ARTICLE_NUMBER, idempotencyKey: 'k-2' }, { key: ADMIN_KEY });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.assignDedicatedNumber.assignment!.id).toBe(gateway.simulators.messagemedia!.getAssignment(ARTICLE_NUMBER)!.id);
    expect(proxy!.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('a committed relabel is never reported as failed', () => {
  it('a 200 whose body is no assignment: answered from the assignment read before, with the changes applied', async () => {
    const gateway = await behindProxy(async (req, sim) => {
      if (req.method !== 'PATCH') return 'forward';
      const res = await request(`${sim.url}${req.url}`, {
        method: 'PATCH',
        headers: { authorization: basicAuthHeader(sim.apiKey, sim.apiSecret), 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'Relabelled' }),
      });
      await res.body.text();
      expect(res.statusCode).toBe(200);
      return { status: 200, body: 'updated' };
    });
    const res = await gateway.gql<UpdateNumberAssignmentMutation>(op('UpdateNumberAssignment'), { numberId: HELD, label: 'Relabelled' }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateNumberAssignment.assignment).toEqual({
      id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179',
      numberId: HELD,
      label: 'Relabelled',
      metadata: { key1: 'value1' },
    });
    expect(gateway.simulators.messagemedia!.getAssignment(HELD)).toMatchObject({ label: 'Relabelled' });
    expect(proxy!.seen.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });
});

describe('demo mode and logs', () => {
  it('serves MessageMedia from the embedded simulator, logged loudly, its controls under /__sim/messagemedia', async () => {
    gw = await startGateway({ vendors: ['loanpro'] });
    expect(gw.logs.some((line) => line.includes('DEMO MODE: MessageMedia'))).toBe(true);
    expect(gw.app.simulators.messagemedia).toBeDefined();
    const res = await gw.gql<AvailableNumbersQuery>(op('AvailableNumbers'), { country: 'AU', capabilities: ['SMS'], first: 3 }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.availableNumbers!.edges).toHaveLength(3);
    const log = await gw.app.fastify.inject({ method: 'GET', url: '/__sim/messagemedia/requests' });
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain(BASE);
  });

  it('logs neither phone numbers nor credentials, whatever the flow', async () => {
    const gateway = await behindProxy(() => 'forward');
    const sim = gateway.simulators.messagemedia!;
    sim.setFaults({ dropResponseRate: 1, methods: ['DELETE'], faultBudget: 1 });
    await gateway.gql(op('AvailableNumbers'), { country: 'AU', matching: '+614388', first: 5 }, { key: ADMIN_KEY });
    await gateway.gql(op('AssignDedicatedNumber'), { numberId: ARTICLE_NUMBER, label: 'Team +61438851616', idempotencyKey: 'k-3' }, { key: ADMIN_KEY });
    await gateway.gql(op('ReleaseDedicatedNumber'), { numberId: HELD, idempotencyKey: 'k-4' }, { key: ADMIN_KEY }).catch(() => undefined);
    const logs = gateway.logs.join('\n');
    expect(logs).toContain('idempotency: outcome unknown');
    for (const secret of ['61438851616', '614388', '61400000000', sim.apiSecret, basicAuthHeader(sim.apiKey, sim.apiSecret).slice(6)]) {
      expect(logs).not.toContain(secret);
    }
  });
});
