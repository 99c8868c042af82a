import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream, type Upstream, type UpstreamOptions } from '../../../src/datasources/http/upstream.js';
import { classifyWriteFailure } from '../../../src/datasources/http/upstream.errors.js';
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
  const up = createUpstream({ vendor: 'RECOVERY_CONNECT', baseUrl, timeoutMs: 5000, retry: { baseDelayMs: 1, maxDelayMs: 1 }, ...overrides });
  cleanups.push(() => up.close());
  return up;
}

const hang = (): void => {};
const put = (n: string, signal?: AbortSignal) =>
  ({ method: 'PUT', path: 'phones/1', query: { n }, body: { number: '6515550100' }, operation: 'phones.update', ...(signal ? { signal } : {}) }) as const;

describe('delivery over a real socket', () => {
  it('a refused port: not sent, and a POST is not retried', async () => {
    const s = await startServer(hang);
    await s.close();
    const err = await upstreamError(upstream(s.baseUrl).requestJson({ method: 'POST', path: 'x', body: {}, operation: 'x.create' }));
    expect(err).toMatchObject({ kind: 'network', causeCode: 'ECONNREFUSED', attempts: 1, delivery: 'not_sent', mayHaveApplied: false });
    expect(classifyWriteFailure(err)).toBe('not_applied');
  });

  it('a server that resets after reading the request: maybe', async () => {
    const s = await server((req) => req.socket.destroy());
    const err = await upstreamError(upstream(s.baseUrl).requestJson({ method: 'POST', path: 'x', body: { pay: 1 }, operation: 'x.create' }));
    expect(err).toMatchObject({ kind: 'network', delivery: 'maybe', mayHaveApplied: true });
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(err.causeCode);
    expect(s.requests).toHaveLength(1);
    expect(classifyWriteFailure(err)).toBe('unknown');
  });

  it('a hang until the deadline: maybe', async () => {
    const s = await server(hang);
    const err = await upstreamError(upstream(s.baseUrl, { timeoutMs: 100 }).requestJson({ method: 'POST', path: 'x', body: {}, operation: 'x.create' }));
    expect(err).toMatchObject({ kind: 'timeout', delivery: 'maybe' });
    expect(s.requests).toHaveLength(1);
  });

  it('a 2xx whose body stalls until the body timeout: applied', { timeout: 20_000 }, async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
    });
    const err = await upstreamError(
      upstream(s.baseUrl, { timeoutMs: 15_000, bodyTimeoutMs: 100 }).requestJson({ method: 'POST', path: 'x', body: {}, operation: 'x.create' }),
    );
    expect(err).toMatchObject({ kind: 'timeout', causeCode: 'UND_ERR_BODY_TIMEOUT', delivery: 'applied', mayHaveApplied: true });
  });

  it('a header value undici refuses: not sent, nothing reaches the server', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const err = await upstreamError(
      upstream(s.baseUrl).requestJson({ method: 'POST', path: 'x', body: {}, headers: { 'x-note': 'a\r\nb' }, operation: 'x.create' }),
    );
    expect(err).toMatchObject({ kind: 'network', causeCode: 'UND_ERR_INVALID_ARG', delivery: 'not_sent' });
    expect(s.requests).toHaveLength(0);
    expect(upstream(s.baseUrl).stats().breaker).toBe('closed');
  });

  it('a caller abort while the request waits for a socket: not sent, and undici never writes it', async () => {
    const held: ServerResponse[] = [];
    const s = await server((_req, res) => held.push(res));
    // One socket: the second call waits inside undici's queue, past the bulkhead.
    const up = upstream(s.baseUrl, { connections: 1 });
    const first = s.nextRequest();
    const holder = up.requestJson(put('holder'));
    await first;
    const ac = new AbortController();
    const queued = up.requestJson(put('queued', ac.signal));
    ac.abort();
    const err = await upstreamError(queued);
    expect(err).toMatchObject({ kind: 'aborted', attempts: 1, delivery: 'not_sent', mayHaveApplied: false });

    json(held[0]!, 200, { ok: 'holder' });
    await expect(holder).resolves.toMatchObject({ status: 200 });
    // undici reaches the cancelled request only now; FIFO, so once a later call is answered it has been dropped.
    const later = up.requestJson(put('later'));
    const laterReceived = await s.nextRequest();
    json(held[1]!, 200, { ok: 'later' });
    await expect(later).resolves.toMatchObject({ status: 200 });
    expect(laterReceived.url).toContain('n=later');
    expect(s.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('n'))).toEqual(['holder', 'later']);
  });
});

describe('writes and the caller going away', () => {
  it('a PUT in flight when the caller aborts runs on and returns its answer', async () => {
    const held: ServerResponse[] = [];
    const s = await server((_req, res) => held.push(res));
    const up = upstream(s.baseUrl);
    const ac = new AbortController();
    const received = s.nextRequest();
    const call = up.requestJson(put('a', ac.signal));
    await received;
    ac.abort();
    json(held[0]!, 200, { id: 1, updated: true });
    await expect(call).resolves.toMatchObject({ status: 200, data: { id: 1, updated: true } });
    expect(s.closedConnections).toBe(0);
    expect(up.stats()).toMatchObject({ failures: 0, inFlight: 0 });
  });

  it('...but still ends at its own deadline, as maybe', async () => {
    const s = await server(hang);
    const up = upstream(s.baseUrl, { timeoutMs: 150 });
    const ac = new AbortController();
    const received = s.nextRequest();
    const call = up.requestJson(put('a', ac.signal));
    await received;
    ac.abort();
    const err = await upstreamError(call);
    expect(err).toMatchObject({ kind: 'timeout', delivery: 'maybe' });
  });

  it('a PUT whose caller aborted before the dispatch is not sent', async () => {
    const s = await server((_req, res) => json(res, 200, {}));
    const err = await upstreamError(upstream(s.baseUrl).requestJson(put('a', AbortSignal.abort())));
    expect(err).toMatchObject({ kind: 'aborted', attempts: 0, delivery: 'not_sent' });
    expect(classifyWriteFailure(err)).toBe('not_applied');
    expect(s.requests).toHaveLength(0);
  });

  it('abortAfterDispatch: true lets the caller cut a write off (then its outcome is unknown)', async () => {
    const s = await server(hang);
    const up = upstream(s.baseUrl);
    const ac = new AbortController();
    const received = s.nextRequest();
    const closed = s.nextSocketClose();
    const call = up.requestJson({ ...put('a', ac.signal), abortAfterDispatch: true });
    await received;
    ac.abort();
    const err = await upstreamError(call);
    expect(err).toMatchObject({ kind: 'aborted', delivery: 'maybe', mayHaveApplied: true });
    await closed;
  });

  it('a GET is cut off by the caller by default', async () => {
    const s = await server(hang);
    const up = upstream(s.baseUrl);
    const ac = new AbortController();
    const received = s.nextRequest();
    const call = up.requestJson({ method: 'GET', path: 'x', signal: ac.signal, operation: 'x.get' });
    await received;
    ac.abort();
    expect(await upstreamError(call)).toMatchObject({ kind: 'aborted', delivery: 'maybe' });
  });
});
