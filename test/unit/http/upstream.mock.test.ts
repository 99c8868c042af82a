import type { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUpstream, type UpstreamOptions } from '../../../src/datasources/http/upstream.js';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { ANY_PATH, captureLogger, MOCK_BASE, MOCK_ORIGIN, mockAgent, sleep, upstreamError } from './helpers.js';

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
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
}

/** Replies from a list of statuses (the last one repeats), counting hits. */
function scripted(statuses: Array<number | [number, unknown, Record<string, string>?]>, method = 'GET') {
  const seen: Array<{ path: string; headers: Record<string, string>; body: unknown }> = [];
  agent
    .get(MOCK_ORIGIN)
    .intercept({ path: ANY_PATH, method })
    .reply((opts) => {
      seen.push({ path: opts.path, headers: { ...(opts.headers as Record<string, string>) }, body: opts.body });
      const step = statuses[Math.min(seen.length - 1, statuses.length - 1)]!;
      const [statusCode, data, headers] = typeof step === 'number' ? [step, { status: step }, {}] : step;
      return {
        statusCode,
        data: data === undefined ? '' : typeof data === 'string' ? data : JSON.stringify(data),
        responseOptions: { headers: { 'content-type': 'application/json', ...headers } },
      };
    })
    .persist();
  return seen;
}

describe('requestJson: success', () => {
  it('sends the prefixed path with JSON headers and parses the body once', async () => {
    const seen = scripted([[200, { d: { id: 5, firstName: 'Ada' } }, { 'x-vendor': 'yes' }]]);
    const up = upstream();
    const res = await up.requestJson<{ d: { id: number } }>({
      method: 'GET',
      path: 'odata.svc/Customers(5)',
      operation: 'customers.get',
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ d: { id: 5, firstName: 'Ada' } });
    expect(res.headers['x-vendor']).toBe('yes');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).toBe('/api/public/api/1/odata.svc/Customers(5)');
    expect(seen[0]!.headers.accept).toBe('application/json');
    expect(seen[0]!.headers['content-type']).toBeUndefined();
    expect(up.stats()).toMatchObject({ requests: 1, failures: 0, inFlight: 0, queued: 0, breaker: 'closed' });
  });

  it('accepts a leading slash and sends a JSON body with a content type', async () => {
    const seen = scripted([[201, { ok: true }]], 'POST');
    const res = await upstream().requestJson({
      method: 'POST',
      path: '/odata.svc/Customers',
      body: { firstName: 'Ada', n: 1 },
      operation: 'customers.create',
    });
    expect(res.status).toBe(201);
    expect(seen[0]!.path).toBe('/api/public/api/1/odata.svc/Customers');
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    expect(seen[0]!.body).toBe('{"firstName":"Ada","n":1}');
  });

  it('answers data undefined for an empty body', async () => {
    scripted([[204, undefined]]);
    const res = await upstream().requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    expect(res.status).toBe(204);
    expect(res.data).toBeUndefined();
  });

  it('fails a non-JSON 2xx as bad_response, unretried', async () => {
    const seen = scripted([[200, '<html>proxy page</html>']]);
    const err = await upstreamError(upstream().requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err.kind).toBe('bad_response');
    expect(err.status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('keeps the vendor error body on err.body (parsed), and the text when it is not JSON', async () => {
    scripted([[409, { error: { warnings: ['Phone already exists'] } }]], 'PUT');
    const err = await upstreamError(
      upstream().requestJson({ method: 'PUT', path: 'x', body: {}, operation: 'customers.update' }),
    );
    expect(err).toMatchObject({ kind: 'http', status: 409, attempts: 1, isClientError: true, isServerError: false });
    expect(err.body).toEqual({ error: { warnings: ['Phone already exists'] } });

    await agent.close();
    agent = mockAgent();
    scripted([[404, 'Not Found']]);
    const err2 = await upstreamError(upstream().requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err2.body).toBe('Not Found');
  });
});

describe('headers()', () => {
  it('is called once per attempt with the call signal, and request headers win', async () => {
    const seen = scripted([503, 503, [200, { ok: 1 }]]);
    const signals: AbortSignal[] = [];
    let n = 0;
    const up = upstream({
      headers: async (signal) => {
        signals.push(signal);
        n++;
        return { authorization: `Bearer token-${n}`, 'x-tenant': 'from-headers' };
      },
    });
    await up.requestJson({ method: 'GET', path: 'x', headers: { 'x-tenant': 'from-request' }, operation: 'x.get' });
    expect(n).toBe(3);
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
    expect(seen.every((s) => s.headers['x-tenant'] === 'from-request')).toBe(true);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
  });

  it('a failing headers() ends the call unretried and is passed through', async () => {
    const seen = scripted([[200, {}]]);
    const boom = new Error('token renewal failed');
    const up = upstream({ headers: () => Promise.reject(boom) });
    await expect(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' })).rejects.toBe(boom);
    expect(seen).toHaveLength(0);
    expect(up.stats().inFlight).toBe(0);

    // A retryable-looking UpstreamError from a token endpoint is not retried here (it was, where it happened).
    let calls = 0;
    const tokenDown = new UpstreamError({ vendor: 'RECOVERY_CONNECT', kind: 'http', status: 503, operation: 'auth.token', attempts: 3 });
    const up2 = upstream({
      headers: () => {
        calls++;
        throw tokenDown;
      },
    });
    await expect(up2.requestJson({ method: 'GET', path: 'x', operation: 'x.get' })).rejects.toBe(tokenDown);
    expect(calls).toBe(1);
    expect(seen).toHaveLength(0);
    expect(up2.stats().breaker).toBe('closed');
  });

  it('a hanging headers() cannot outlive the deadline', async () => {
    const up = upstream({ timeoutMs: 100, headers: () => new Promise(() => {}) });
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    // Only the deadline can end a call whose headers() never settles.
    expect(err).toMatchObject({ kind: 'timeout', delivery: 'not_sent' });
  });
});

describe('retry', () => {
  it('retries a GET on 503 and succeeds', async () => {
    const seen = scripted([503, [200, { ok: true }]]);
    const { logger, lines } = captureLogger();
    const res = await upstream({ logger }).requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    expect(res.data).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    const attempts = lines.filter((l) => l.level === 'debug').map((l) => l.obj);
    expect(attempts).toMatchObject([
      { vendor: 'LOANPRO', operation: 'x.get', method: 'GET', status: 503, attempt: 1, kind: 'http' },
      { vendor: 'LOANPRO', operation: 'x.get', method: 'GET', status: 200, attempt: 2 },
    ]);
    expect(typeof attempts[0]!.durationMs).toBe('number');
  });

  it('gives up after maxAttempts with the last failure and the attempt count', async () => {
    const seen = scripted([500, 502, 504, 200]);
    const err = await upstreamError(upstream().requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err).toMatchObject({ kind: 'http', status: 504, attempts: 3, isServerError: true, isUnavailable: true });
    expect(seen).toHaveLength(3);
  });

  it('never retries a POST (exactly one request on 503)', async () => {
    const seen = scripted([503, 200], 'POST');
    const err = await upstreamError(
      upstream().requestJson({ method: 'POST', path: 'x', body: { a: 1 }, operation: 'x.create' }),
    );
    expect(err).toMatchObject({ kind: 'http', status: 503, attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  it('does not retry a PUT by default, but does when the caller says idempotent', async () => {
    const seen = scripted([503, 503, 503, [200, {}]], 'PUT');
    const err = await upstreamError(upstream().requestJson({ method: 'PUT', path: 'x', body: {}, operation: 'x.put' }));
    expect(err.attempts).toBe(1);
    expect(seen).toHaveLength(1);

    const res = await upstream().requestJson({ method: 'PUT', path: 'x', body: {}, idempotent: true, operation: 'x.put' });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(4);
  });

  it('does not retry a GET the caller marks non-idempotent, nor a 4xx', async () => {
    const seen = scripted([503]);
    await upstreamError(upstream().requestJson({ method: 'GET', path: 'x', idempotent: false, operation: 'x.get' }));
    expect(seen).toHaveLength(1);
    await agent.close();
    agent = mockAgent();
    const seen404 = scripted([404, 200]);
    const err = await upstreamError(upstream().requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err).toMatchObject({ kind: 'http', status: 404, attempts: 1 });
    expect(seen404).toHaveLength(1);
  });

  it('retries a network error on a GET, never on a POST', async () => {
    const setup = () => {
      let hits = 0;
      const pool = agent.get(MOCK_ORIGIN);
      // Interceptors are matched in order: the first request gets the reset, later ones the 200.
      pool.intercept({ path: ANY_PATH, method: /.*/ }).replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
      pool
        .intercept({ path: ANY_PATH, method: /.*/ })
        .reply(() => {
          hits++;
          return { statusCode: 200, data: '{"ok":true}' };
        })
        .persist();
      return () => hits;
    };
    const getHits = setup();
    const res = await upstream().requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    expect(res.data).toEqual({ ok: true });
    expect(getHits()).toBe(1);

    await agent.close();
    agent = mockAgent();
    const postHits = setup();
    const err = await upstreamError(upstream().requestJson({ method: 'POST', path: 'x', body: {}, operation: 'x.create' }));
    expect(err).toMatchObject({ kind: 'network', causeCode: 'ECONNRESET', attempts: 1 });
    expect(postHits()).toBe(0);
  });

  it('honours a Retry-After that fits in the deadline', async () => {
    const seen = scripted([[429, { message: 'slow down' }, { 'retry-after': '1' }], [200, { ok: true }]]);
    const up = upstream({ timeoutMs: 10_000 });
    const t0 = performance.now();
    const res = await up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    expect(res.data).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
    // The 1 s sleep's timer guarantees the lower bound; no upper bound is asserted.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
  });

  it('fails at once with retryAfterSeconds when Retry-After does not fit', async () => {
    const seen = scripted([[503, {}, { 'retry-after': '30' }], 200]);
    const err = await upstreamError(upstream({ timeoutMs: 2000 }).requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    // Had it slept, the deadline would have ended it as 'timeout'; the 503 itself proves it did not.
    expect(err).toMatchObject({ kind: 'http', status: 503, retryAfterSeconds: 30, attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  it('surfaces 429 as rate_limited with an HTTP-date Retry-After', async () => {
    // Wall time frozen (Date only; timers stay real): the date's distance from "now" is exact.
    vi.setSystemTime(new Date('2025-01-01T00:00:00Z'));
    try {
      const when = new Date(Date.now() + 120_000).toUTCString();
      scripted([[429, {}, { 'retry-after': when }]], 'POST');
      const err = await upstreamError(upstream().requestJson({ method: 'POST', path: 'x', operation: 'x.create' }));
      expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSeconds: 120, isUnavailable: false });
      expect(err).toMatchObject({ delivery: 'refused', mayHaveApplied: false });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('circuit breaker', () => {
  const breaker = { minimumCalls: 4, failureRatio: 0.5, windowMs: 10_000, openMs: 60 };

  it('opens after the threshold and then fails fast without a request', async () => {
    const seen = scripted([503]);
    const { logger, lines } = captureLogger();
    const up = upstream({ breaker, retry: { maxAttempts: 1 }, logger });
    for (let i = 0; i < 4; i++) {
      const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
      expect(err.kind).toBe('http');
    }
    expect(up.stats().breaker).toBe('open');
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err).toMatchObject({ kind: 'circuit_open', vendor: 'LOANPRO', isUnavailable: true });
    expect(seen).toHaveLength(4);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toEqual([
      { vendor: 'LOANPRO', from: 'closed', to: 'open' },
    ]);
  });

  it('counts retries one by one, and stops retrying once open', async () => {
    const seen = scripted([503]);
    const up = upstream({ breaker: { ...breaker, minimumCalls: 2 } });
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err).toMatchObject({ kind: 'circuit_open', attempts: 3 });
    expect(seen).toHaveLength(2);
  });

  it('lets exactly one probe through when half-open; its success closes the circuit', async () => {
    const seen = scripted([503, 503, 503, 503, [200, { ok: true }]]);
    const { logger, lines } = captureLogger();
    const up = upstream({ breaker, retry: { maxAttempts: 1 }, logger });
    for (let i = 0; i < 4; i++) await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(up.stats().breaker).toBe('open');
    await sleep(80);
    expect(up.stats().breaker).toBe('half-open');

    const results = await Promise.allSettled([
      up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }),
      up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }),
      up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    for (const r of results.slice(1)) expect((r as PromiseRejectedResult).reason.kind).toBe('circuit_open');
    expect(seen).toHaveLength(5);
    expect(up.stats().breaker).toBe('closed');
    await up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    expect(seen).toHaveLength(6);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.obj.to)).toEqual(['open', 'half-open', 'closed']);
  });

  it('re-opens when the probe fails', async () => {
    const seen = scripted([503]);
    const up = upstream({ breaker, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 4; i++) await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    await sleep(80);
    const probe = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(probe.kind).toBe('http');
    expect(seen).toHaveLength(5);
    expect(up.stats().breaker).toBe('open');
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err.kind).toBe('circuit_open');
    expect(seen).toHaveLength(5);
  });

  it('is not tripped by 4xx or 429', async () => {
    const seen = scripted([404, 429, 400, 429, 409, 429, 404, 429, 422, 429]);
    const up = upstream({ breaker, retry: { maxAttempts: 1 } });
    for (let i = 0; i < 10; i++) await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(seen).toHaveLength(10);
    expect(up.stats().breaker).toBe('closed');
    // ...and the 4xx/429 count as answers: 3 failures among 13 outcomes stay below the ratio.
    await agent.close();
    agent = mockAgent();
    const after = scripted([503]);
    const up2 = upstream({ breaker, retry: { maxAttempts: 1 } });
    await upstreamError(up2.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(after).toHaveLength(1);
  });
});

describe('bulkhead', () => {
  function slow(delayMs: number) {
    const order: string[] = [];
    agent
      .get(MOCK_ORIGIN)
      .intercept({ path: ANY_PATH })
      .reply((opts) => {
        order.push(new URLSearchParams(opts.path.split('?')[1]).get('n') ?? '?');
        return { statusCode: 200, data: '{}' };
      })
      .delay(delayMs)
      .persist();
    return order;
  }

  it('fails the overflow fast with overloaded, without a request', async () => {
    const order = slow(60);
    const up = upstream({ maxConcurrency: 1, maxQueue: 1 });
    const a = up.requestJson({ method: 'GET', path: 'x', query: { n: 'a' }, operation: 'x.get' });
    const b = up.requestJson({ method: 'GET', path: 'x', query: { n: 'b' }, operation: 'x.get' });
    const c = await upstreamError(up.requestJson({ method: 'GET', path: 'x', query: { n: 'c' }, operation: 'x.get' }));
    expect(c).toMatchObject({ kind: 'overloaded', attempts: 1, isUnavailable: true, delivery: 'not_sent' });
    expect(up.stats()).toMatchObject({ inFlight: 1, queued: 1 });
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
    expect(up.stats()).toMatchObject({ inFlight: 0, queued: 0, failures: 1, requests: 3, breaker: 'closed' });
  });

  it('serves waiters in FIFO order', async () => {
    const order = slow(5);
    const up = upstream({ maxConcurrency: 1, maxQueue: 10 });
    const calls = ['0', '1', '2', '3', '4', '5'].map((n) =>
      up.requestJson({ method: 'GET', path: 'x', query: { n }, operation: 'x.get' }),
    );
    await Promise.all(calls);
    expect(order).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('a waiter whose caller aborts leaves the queue', async () => {
    const order = slow(60);
    const up = upstream({ maxConcurrency: 1, maxQueue: 1 });
    const a = up.requestJson({ method: 'GET', path: 'x', query: { n: 'a' }, operation: 'x.get' });
    const ac = new AbortController();
    const b = up.requestJson({ method: 'GET', path: 'x', query: { n: 'b' }, signal: ac.signal, operation: 'x.get' });
    // Queued synchronously: `a` holds the only slot until its 60 ms reply, which no timer can deliver before this.
    expect(up.stats().queued).toBe(1);
    ac.abort();
    const err = await upstreamError(b);
    expect(err).toMatchObject({ kind: 'aborted', delivery: 'not_sent' });
    expect(up.stats().queued).toBe(0);
    // The queue has room again.
    const c = up.requestJson({ method: 'GET', path: 'x', query: { n: 'c' }, operation: 'x.get' });
    await Promise.all([a, c]);
    expect(order).toEqual(['a', 'c']);
    expect(up.stats().breaker).toBe('closed');
  });
});

describe('close()', () => {
  it('refuses calls after close without a request', async () => {
    const seen = scripted([200]);
    const up = upstream();
    await up.close();
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err).toMatchObject({ kind: 'network', causeCode: 'UPSTREAM_CLOSED' });
    expect(seen).toHaveLength(0);
  });
});
