import type { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUpstream, type UpstreamOptions, type UpstreamRequest } from '../../../src/datasources/http/upstream.js';
import {
  classifyWriteFailure,
  deliveryFromKind,
  UpstreamError,
  type UpstreamDelivery,
} from '../../../src/datasources/http/upstream.errors.js';
import { ANY_PATH, MOCK_BASE, MOCK_ORIGIN, mockAgent, upstreamError } from './helpers.js';

let agent: MockAgent;
beforeEach(() => {
  agent = mockAgent();
});
afterEach(async () => {
  await agent.close();
});

function upstream(overrides: Partial<UpstreamOptions> = {}) {
  return createUpstream({
    vendor: 'LOANPRO',
    baseUrl: MOCK_BASE,
    timeoutMs: 2000,
    dispatcher: agent,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
    ...overrides,
  });
}

const POST: UpstreamRequest = { method: 'POST', path: 'x', body: { a: 1 }, operation: 'x.create' };

function reply(status: number, data = '{}', method = 'POST') {
  const hits: number[] = [];
  agent
    .get(MOCK_ORIGIN)
    .intercept({ path: ANY_PATH, method })
    .reply(() => {
      hits.push(status);
      return { statusCode: status, data, responseOptions: { headers: { 'content-type': 'application/json' } } };
    })
    .persist();
  return hits;
}

function failWith(code: string) {
  agent
    .get(MOCK_ORIGIN)
    .intercept({ path: ANY_PATH, method: /.*/ })
    .replyWithError(Object.assign(new Error(`mocked ${code}`), { code }))
    .persist();
}

function expectDelivery(err: UpstreamError, delivery: UpstreamDelivery): void {
  expect(err.delivery).toBe(delivery);
  expect(err.mayHaveApplied).toBe(delivery === 'maybe' || delivery === 'applied');
  expect(classifyWriteFailure(err)).toBe(err.mayHaveApplied ? 'unknown' : 'not_applied');
}

describe('delivery: the vendor answered', () => {
  it.each([400, 401, 403, 404, 409, 422])('a %i is refused: not applied', async (status) => {
    reply(status);
    expectDelivery(await upstreamError(upstream().requestJson(POST)), 'refused');
  });

  it('a 429 is refused: not applied', async () => {
    reply(429);
    const err = await upstreamError(upstream().requestJson(POST));
    expect(err.kind).toBe('rate_limited');
    expectDelivery(err, 'refused');
  });

  it.each([500, 502, 503, 504])('a %i may have applied', async (status) => {
    reply(status);
    expectDelivery(await upstreamError(upstream().requestJson(POST)), 'maybe');
  });

  it('a 3xx (not followed) may have applied: a 303 after a POST usually means it did', async () => {
    reply(303, '');
    expectDelivery(await upstreamError(upstream().requestJson(POST)), 'maybe');
  });

  it('a 2xx whose body is not JSON applied', async () => {
    reply(201, '<html>proxy</html>');
    const err = await upstreamError(upstream().requestJson(POST));
    expect(err).toMatchObject({ kind: 'bad_response', status: 201 });
    expectDelivery(err, 'applied');
  });

  it('a 2xx whose body is over maxResponseBytes applied', async () => {
    reply(200, JSON.stringify({ padding: 'x'.repeat(2048) }));
    const err = await upstreamError(upstream({ maxResponseBytes: 1024 }).requestJson(POST));
    expect(err).toMatchObject({ kind: 'too_large', status: 200, isUnavailable: true });
    expectDelivery(err, 'applied');
  });
});

describe('delivery: nothing was sent', () => {
  it('circuit open', async () => {
    const hits = reply(503);
    const up = upstream({ breaker: { minimumCalls: 1, failureRatio: 0.5, openMs: 60_000 } });
    await upstreamError(up.requestJson(POST));
    const err = await upstreamError(up.requestJson(POST));
    expect(err.kind).toBe('circuit_open');
    expectDelivery(err, 'not_sent');
    expect(hits).toHaveLength(1);
  });

  it('bulkhead overloaded, and a waiter whose deadline passes in the queue', async () => {
    agent.get(MOCK_ORIGIN).intercept({ path: ANY_PATH, method: 'POST' }).reply(200, '{}').delay(60_000);
    const up = upstream({ maxConcurrency: 1, maxQueue: 1 });
    const holder = up.requestJson({ ...POST, timeoutMs: 200 });
    const waiter = up.requestJson({ ...POST, timeoutMs: 50 });
    const overflow = await upstreamError(up.requestJson(POST));
    expect(overflow.kind).toBe('overloaded');
    expectDelivery(overflow, 'not_sent');
    const timedOutInQueue = await upstreamError(waiter);
    expect(timedOutInQueue.kind).toBe('timeout');
    expectDelivery(timedOutInQueue, 'not_sent');
    // The holder was dispatched (the mock took it) before its deadline: that outcome is unknown.
    const dispatched = await upstreamError(holder);
    expect(dispatched.kind).toBe('timeout');
    expectDelivery(dispatched, 'maybe');
  });

  it('upstream closed', async () => {
    reply(200);
    const up = upstream();
    await up.close();
    const err = await upstreamError(up.requestJson(POST));
    expect(err).toMatchObject({ kind: 'network', causeCode: 'UPSTREAM_CLOSED' });
    expectDelivery(err, 'not_sent');
  });

  it('caller aborted before the call, and a deadline of 0', async () => {
    reply(200);
    const aborted = await upstreamError(upstream().requestJson({ ...POST, signal: AbortSignal.abort() }));
    expect(aborted.kind).toBe('aborted');
    expectDelivery(aborted, 'not_sent');
    const spent = await upstreamError(upstream().requestJson({ ...POST, timeoutMs: 0 }));
    expect(spent.kind).toBe('timeout');
    expectDelivery(spent, 'not_sent');
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])(
    'a connection that failed with %s before the request was dispatched',
    async (code) => {
      failWith(code);
      const err = await upstreamError(upstream().requestJson(POST));
      expect(err).toMatchObject({ kind: 'network', causeCode: code, attempts: 1 });
      expectDelivery(err, 'not_sent');
    },
  );

  it('a reset with no dispatch observed still reads maybe (the layer cannot prove it was not written)', async () => {
    failWith('ECONNRESET');
    const err = await upstreamError(upstream().requestJson(POST));
    expectDelivery(err, 'maybe');
  });

  it('headers() or an auth that fails: nothing was sent', async () => {
    reply(200);
    const err = await upstreamError(
      upstream({
        auth: {
          headers: () => Promise.reject(new UpstreamError({ vendor: 'LOANPRO', kind: 'timeout', operation: 'auth.login', attempts: 1 })),
          invalidate: () => undefined,
        },
      }).requestJson(POST),
    );
    // Re-issued under the call's operation: the login's own (maybe) delivery is about the login, not this write.
    expect(err).toMatchObject({ kind: 'timeout', operation: 'x.create' });
    expectDelivery(err, 'not_sent');
  });
});

describe('delivery: sent, outcome unknown', () => {
  it('the deadline fires after the dispatch', async () => {
    agent.get(MOCK_ORIGIN).intercept({ path: ANY_PATH, method: 'POST' }).reply(200, '{}').delay(60_000);
    const err = await upstreamError(upstream({ timeoutMs: 30 }).requestJson(POST));
    expect(err.kind).toBe('timeout');
    expectDelivery(err, 'maybe');
  });

  it('the caller aborts a GET after the dispatch', async () => {
    agent.get(MOCK_ORIGIN).intercept({ path: ANY_PATH, method: 'GET' }).reply(200, '{}').delay(60_000);
    const ac = new AbortController();
    const call = upstream().requestJson({ method: 'GET', path: 'x', signal: ac.signal, operation: 'x.get' });
    // The mock dispatches synchronously: the request is "on the wire" once requestJson has returned.
    ac.abort();
    const err = await upstreamError(call);
    expect(err.kind).toBe('aborted');
    expectDelivery(err, 'maybe');
  });

  it('a call is as applied as its most applied attempt: 503 then 404 still may have applied', async () => {
    const seen: number[] = [];
    agent
      .get(MOCK_ORIGIN)
      .intercept({ path: ANY_PATH, method: 'PUT' })
      .reply(() => {
        seen.push(seen.length);
        return { statusCode: seen.length === 1 ? 503 : 404, data: '{}' };
      })
      .persist();
    const err = await upstreamError(
      upstream().requestJson({ method: 'PUT', path: 'x', body: {}, idempotent: true, operation: 'x.put' }),
    );
    expect(err).toMatchObject({ kind: 'http', status: 404, attempts: 2 });
    expectDelivery(err, 'maybe');
  });
});

describe('UpstreamError built by a vendor client (no delivery given)', () => {
  it('reads what kind and status prove, and maybe otherwise', () => {
    expect(deliveryFromKind('circuit_open', undefined)).toBe('not_sent');
    expect(deliveryFromKind('overloaded', undefined)).toBe('not_sent');
    expect(deliveryFromKind('auth_failed', 401)).toBe('not_sent');
    expect(deliveryFromKind('http', 404)).toBe('refused');
    expect(deliveryFromKind('rate_limited', 429)).toBe('refused');
    expect(deliveryFromKind('http', 500)).toBe('maybe');
    expect(deliveryFromKind('bad_response', 200)).toBe('applied');
    expect(deliveryFromKind('bad_response', undefined)).toBe('maybe');
    for (const kind of ['timeout', 'network', 'aborted'] as const) expect(deliveryFromKind(kind, undefined)).toBe('maybe');
    const e = new UpstreamError({ vendor: 'VIBES', kind: 'http', status: 409, operation: 'p.create', attempts: 1 });
    expect(e.delivery).toBe('refused');
    expect(e.toJSON()).toMatchObject({ delivery: 'refused' });
  });

  it('classifyWriteFailure: unknown for anything that is not an UpstreamError', () => {
    expect(classifyWriteFailure(new Error('boom'))).toBe('unknown');
    expect(classifyWriteFailure(undefined)).toBe('unknown');
    expect(classifyWriteFailure({ mayHaveApplied: false })).toBe('unknown');
  });
});
