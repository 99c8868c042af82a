import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream, type Upstream, type UpstreamOptions } from '../../../src/datasources/http/upstream.js';
import { json, startServer, type TestServer, upstreamError } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  cleanups.push(() => s.close());
  return s;
}

function upstream(baseUrl: string, overrides: Partial<UpstreamOptions> = {}): Upstream {
  const up = createUpstream({
    vendor: 'RECOVERY_CONNECT',
    baseUrl,
    timeoutMs: 2000,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  });
  cleanups.push(() => up.close());
  return up;
}

const hang = (): void => {};

describe('over a real socket', () => {
  it('encodes an OData query so it round-trips exactly, appending to an existing query string', async () => {
    const s = await server((_req, res) => json(res, 200, { d: { results: [] } }));
    const filter = "id eq 1 or Name eq 'O''Brien & Sons' + x/y, z=1 ?#%";
    await upstream(s.baseUrl).requestJson({
      method: 'GET',
      path: 'odata.svc/Customers()?nopaging=true',
      query: { $filter: filter, $top: 50, $count: true, skipped: undefined, 'a b': 'c&d' },
      operation: 'customers.batch',
    });
    const url = s.requests[0]!.url;
    expect(url).toBe(
      "/api/public/api/1/odata.svc/Customers()?nopaging=true&$filter=id%20eq%201%20or%20Name%20eq%20'O''Brien%20%26%20Sons'%20%2B%20x/y,%20z%3D1%20%3F%23%25&$top=50&$count=true&a%20b=c%26d",
    );
    const params = new URL(url, 'http://x').searchParams;
    expect(params.get('$filter')).toBe(filter);
    expect(params.get('nopaging')).toBe('true');
    expect(params.get('$top')).toBe('50');
    expect(params.get('a b')).toBe('c&d');
    expect(params.has('skipped')).toBe(false);
  });

  it('reuses one keep-alive socket across calls, error bodies included', async () => {
    let n = 0;
    const s = await server((_req, res) => {
      n++;
      if (n % 3 === 0) json(res, 404, { error: 'not found', padding: 'x'.repeat(300_000) });
      else if (n % 3 === 1) json(res, 200, { n });
      else json(res, 500, { error: 'boom' });
    });
    const up = upstream(s.baseUrl, { retry: { maxAttempts: 1 } });
    for (let i = 0; i < 9; i++) {
      await up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }).catch(() => undefined);
    }
    expect(s.requests).toHaveLength(9);
    // The Pool may open a second socket (the first is released a tick after the body is read), but an
    // undrained 20 KB error body would pin its socket and force a new one per call.
    expect(s.connections).toBeLessThanOrEqual(2);
    expect(s.closedConnections).toBe(0);
  });

  it('enforces the deadline on a hanging server and closes the socket', async () => {
    const s = await server(hang);
    const up = upstream(s.baseUrl, { timeoutMs: 250 });
    const closed = s.nextSocketClose();
    const t0 = performance.now();
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err).toMatchObject({ kind: 'timeout', vendor: 'RECOVERY_CONNECT', attempts: 1, isUnavailable: true });
    expect(err.causeCode).toBeUndefined();
    // A lower bound the deadline's timer guarantees; how late it fires on a loaded machine is not asserted.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    // The socket of the abandoned request is destroyed (the test times out if it never is).
    await closed;
    expect(s.requests).toHaveLength(1);
    expect(up.stats()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('retries an attempt-level headers timeout inside the call deadline', { timeout: 20_000 }, async () => {
    // undici runs headers/body timeouts on its coarse "fast timers" (~0.5 s ticks): 100 ms fires after 0.5-1 s.
    // The call's deadline is far away so that, however slow the machine, the attempts' own timeouts end them.
    const s = await server(hang);
    const up = upstream(s.baseUrl, { timeoutMs: 15_000, headersTimeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err).toMatchObject({ kind: 'timeout', causeCode: 'UND_ERR_HEADERS_TIMEOUT', attempts: 2, isUnavailable: true });
    expect(s.requests).toHaveLength(2);
  });

  it('keeps the whole call, retries and backoff included, inside the deadline', async () => {
    // Every attempt takes at least 100 ms (the server's timer), each well inside the 250 ms timeoutMs. A deadline
    // per attempt would let all 10 attempts run; one deadline for the whole call cannot start a 4th (it would
    // start at >= 300 ms, and every attempt first checks the budget on the clock).
    const s = await server((_req, res) => {
      setTimeout(() => json(res, 503, {}), 100);
    });
    const up = upstream(s.baseUrl, { timeoutMs: 250, retry: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 1 } });
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    // The deadline's timer ends it ('timeout'), or, when the timer is late on a loaded machine, the retry layer
    // finds no budget left for another attempt and throws the last 503 at once: either way, within the deadline.
    expect(['timeout', 'http']).toContain(err.kind);
    expect(err.attempts).toBeLessThanOrEqual(3);
  });

  it('aborts the call and its socket when the caller aborts', async () => {
    const s = await server(hang);
    const up = upstream(s.baseUrl, { timeoutMs: 5000 });
    const closed = s.nextSocketClose();
    const received = s.nextRequest();
    const ac = new AbortController();
    const call = up.requestJson({ method: 'GET', path: 'x', signal: ac.signal, operation: 'x.get' });
    await received;
    ac.abort();
    const err = await upstreamError(call);
    expect(err).toMatchObject({ kind: 'aborted', attempts: 1, delivery: 'maybe', mayHaveApplied: true });
    await closed;
    // A caller abort says nothing about the vendor.
    expect(up.stats().breaker).toBe('closed');
  });

  it('makes no request when the caller signal is already aborted', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const err = await upstreamError(
      upstream(s.baseUrl).requestJson({ method: 'GET', path: 'x', signal: AbortSignal.abort(), operation: 'x.get' }),
    );
    expect(err).toMatchObject({ kind: 'aborted', attempts: 0 });
    expect(s.requests).toHaveLength(0);
  });

  it('never retries a POST on a reset connection, but retries a GET', async () => {
    const s = await server((req) => req.socket.destroy());
    const post = await upstreamError(
      upstream(s.baseUrl).requestJson({ method: 'POST', path: 'x', body: { pay: 1 }, operation: 'x.create' }),
    );
    expect(post).toMatchObject({ kind: 'network', attempts: 1, delivery: 'maybe', mayHaveApplied: true });
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(post.causeCode);
    expect(s.requests).toHaveLength(1);

    const get = await upstreamError(upstream(s.baseUrl).requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(get).toMatchObject({ kind: 'network', attempts: 3 });
    expect(s.requests).toHaveLength(4);
  });

  it('reports a refused connection as network, retried, without naming the host', async () => {
    const s = await startServer(() => undefined);
    await s.close();
    const up = upstream(s.baseUrl);
    const err = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(err).toMatchObject({ kind: 'network', causeCode: 'ECONNREFUSED', attempts: 3, delivery: 'not_sent' });
    for (const text of [String(err), JSON.stringify(err), err.stack ?? '']) {
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain(String(s.port));
    }
  });

  it('close() drains: the call in flight completes, later calls are refused', async () => {
    const pending: ServerResponse[] = [];
    const s = await server((_req, res) => pending.push(res));
    const up = upstream(s.baseUrl);
    const received = s.nextRequest();
    const inFlight = up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    await received;
    const closing = up.close();
    const late = await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' }));
    expect(late).toMatchObject({ kind: 'network', causeCode: 'UPSTREAM_CLOSED', delivery: 'not_sent' });
    json(pending[0]!, 200, { late: true });
    await expect(inFlight).resolves.toMatchObject({ status: 200, data: { late: true } });
    await closing;
    expect(s.requests).toHaveLength(1);
  });
});
