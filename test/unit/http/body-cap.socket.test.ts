import { afterEach, describe, expect, it } from 'vitest';
import { fromUpstreamError } from '../../../src/datasources/http/upstream.catalogue.js';
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
  const up = createUpstream({ vendor: 'VIBES', baseUrl, timeoutMs: 5000, retry: { baseDelayMs: 1, maxDelayMs: 1 }, maxResponseBytes: 64 * 1024, ...overrides });
  cleanups.push(() => up.close());
  return up;
}

const GET = { method: 'GET', path: 'persons', operation: 'persons.list' } as const;

/** A JSON document of exactly `bytes` bytes. */
function documentOf(bytes: number): string {
  const skeleton = '{"p":""}';
  return `{"p":"${'x'.repeat(bytes - skeleton.length)}"}`;
}

describe('maxResponseBytes over a real socket', () => {
  it('reads a body of exactly the cap', async () => {
    const body = documentOf(64 * 1024);
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    const res = await upstream(s.baseUrl).requestJson<{ p: string }>(GET);
    expect(res.data.p).toHaveLength(64 * 1024 - 8);
  });

  it('refuses a declared content-length over the cap before reading it, and destroys the socket', async () => {
    const DECLARED = 256 * 1024 * 1024;
    let written = 0;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(DECLARED) });
      // Keep sending until the client hangs up: the test proves it does.
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const closed = s.nextSocketClose();
    const up = upstream(s.baseUrl);
    const err = await upstreamError(up.requestJson(GET));
    expect(err).toMatchObject({ kind: 'too_large', status: 200, attempts: 1, delivery: 'applied', isUnavailable: true });
    await closed;
    // Not retried (the same GET would bring the same body), and the body was never read to its end: the
    // kernel's socket buffers (a few MiB at most) are all the server could fill before the reset.
    expect(s.requests).toHaveLength(1);
    expect(written).toBeLessThan(DECLARED);
    expect(up.stats().breaker).toBe('closed');
  });

  it('cuts off a chunked body that grows past the cap', async () => {
    let chunksWritten = 0;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(8 * 1024, 0x20);
      res.write('{"p":"');
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) chunksWritten++;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const closed = s.nextSocketClose();
    const err = await upstreamError(upstream(s.baseUrl).requestJson(GET));
    expect(err).toMatchObject({ kind: 'too_large', status: 200 });
    await closed;
    expect(chunksWritten).toBeGreaterThan(0);
  });

  it('caps error bodies too: an oversized 4xx is too_large, still refused', async () => {
    const s = await server((_req, res) => json(res, 422, { errors: 'e'.repeat(100 * 1024) }));
    const err = await upstreamError(upstream(s.baseUrl).requestJson({ method: 'POST', path: 'x', body: {}, operation: 'x.create' }));
    expect(err).toMatchObject({ kind: 'too_large', status: 422, delivery: 'refused', mayHaveApplied: false });
    expect(err.body).toBeUndefined();
  });

  it('reads as UPSTREAM_UNAVAILABLE, "sent a response the gateway cannot read"', async () => {
    const s = await server((_req, res) => json(res, 200, { p: 'x'.repeat(100 * 1024) }));
    const err = await upstreamError(upstream(s.baseUrl).requestJson(GET));
    const mapped = fromUpstreamError(err);
    expect(mapped.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(mapped.message).toBe('Vibes sent a response the gateway cannot read.');
  });

  it('defaults to 8 MiB, and refuses a nonsense cap', async () => {
    const body = documentOf(1024 * 1024);
    const s = await server((_req, res) => json(res, 200, JSON.parse(body)));
    const up = upstream(s.baseUrl, { maxResponseBytes: undefined });
    await expect(up.requestJson(GET)).resolves.toMatchObject({ status: 200 });
    expect(() => upstream(s.baseUrl, { maxResponseBytes: 0 })).toThrow(RangeError);
  });
});
