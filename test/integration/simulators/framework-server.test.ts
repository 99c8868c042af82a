import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import { createRouter, createSimulatorServer } from '../../../src/simulators/framework/index.js';
import type {
  ErrorResponder,
  RequestLogEntry,
  SimulatorServer,
  SimulatorServerOptions,
} from '../../../src/simulators/framework/index.js';

/** A toy vendor: its errors look like {"vendorError": {...}} so we can see the responder is used. */
const toyResponder: ErrorResponder = (info) => ({
  status: info.status,
  json: { vendorError: { kind: info.kind, message: info.message, code: info.status } },
});

const servers: SimulatorServer[] = [];
const agents: Agent[] = [];

function toyServer(extra: Partial<SimulatorServerOptions> = {}): SimulatorServer {
  const router = createRouter();
  router.add('GET', /^\/items\/(?<id>\d+)$/, (req, params) => ({
    status: 200,
    json: { id: Number(params['id']), q: req.query.get('q') },
  }));
  router.add('POST', /^\/echo$/, async (req) => ({ status: 201, json: { got: await req.readJson() } }));
  router.add('GET', /^\/boom$/, () => {
    throw new Error('kaboom');
  });
  const control = createRouter();
  control.add('GET', /^\/__sim\/hello$/, () => ({ status: 200, json: { hello: 'toy' } }));
  const server = createSimulatorServer({
    name: 'toy',
    handler: (req) => router.dispatch(req),
    errorResponder: toyResponder,
    controlRoutes: control,
    onInternalError: () => {},
    ...extra,
  });
  servers.push(server);
  return server;
}

function freshAgent(): Agent {
  const a = new Agent();
  agents.push(a);
  return a;
}

async function call(
  url: string,
  init: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: unknown; text: string }> {
  const res = await request(url, { method: init.method ?? 'GET', body: init.body, headers: init.headers });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, json, text };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(agents.splice(0).map((a) => a.destroy()));
});

describe('simulator server basics', () => {
  it('serves routes on an ephemeral loopback port and logs each request', async () => {
    const server = toyServer();
    const { url } = await server.start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(url);

    const res = await call(`${url}/items/7?q=a+b%20c`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: 7, q: 'a b c' });

    const [entry] = server.requestLog.entries();
    expect(entry).toMatchObject({ seq: 1, method: 'GET', path: '/items/7', query: 'q=a b c', status: 200, fault: null });
    expect(new Date((entry as RequestLogEntry).at).toISOString()).toBe((entry as RequestLogEntry).at);
    expect((entry as RequestLogEntry).durationMs).toBeGreaterThanOrEqual(0);
    expect(server.log).toBe(server.requestLog);
  });

  it('redacts digit runs (phones, SSNs) from logged queries', async () => {
    const server = toyServer();
    const { url } = await server.start();
    await call(`${url}/items/1?$filter=phone%20eq%20'6514737960'&id=1001`);
    expect(server.requestLog.entries()[0]?.query).toBe("$filter=phone eq '[redacted]'&id=1001");
  });

  it('answers unknown paths 404 and wrong methods 405 (with Allow) in the vendor shape', async () => {
    const server = toyServer();
    const { url } = await server.start();
    const notFound = await call(`${url}/nope`);
    expect(notFound.status).toBe(404);
    expect(notFound.json).toMatchObject({ vendorError: { kind: 'not_found', code: 404 } });
    const wrong = await call(`${url}/items/1`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('GET');
    expect(wrong.json).toMatchObject({ vendorError: { kind: 'method_not_allowed' } });
    expect(server.requestLog.entries().map((e) => e.status)).toEqual([404, 405]);
  });

  it('parses JSON bodies, rejects bad JSON and caps the body size', async () => {
    const server = toyServer({ maxBodyBytes: 100 });
    const { url } = await server.start();
    const ok = await call(`${url}/echo`, { method: 'POST', body: '{"a":1}' });
    expect(ok.status).toBe(201);
    expect(ok.json).toEqual({ got: { a: 1 } });

    const bad = await call(`${url}/echo`, { method: 'POST', body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ vendorError: { kind: 'bad_json' } });

    const empty = await call(`${url}/echo`, { method: 'POST', body: '' });
    expect(empty.status).toBe(400);

    const big = await call(`${url}/echo`, { method: 'POST', body: JSON.stringify({ pad: 'x'.repeat(200) }) });
    expect(big.status).toBe(413);
    expect(big.headers['connection']).toBe('close');
    expect(big.json).toMatchObject({ vendorError: { kind: 'payload_too_large', code: 413 } });
  });

  it('turns an unexpected handler error into a vendor-shaped 500', async () => {
    const seen: unknown[] = [];
    const server = toyServer({ onInternalError: (e) => seen.push(e) });
    const { url } = await server.start();
    const res = await call(`${url}/boom`);
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ vendorError: { kind: 'internal' } });
    expect(res.text).not.toContain('kaboom');
    expect(seen).toHaveLength(1);
  });
});

describe('control API under /__sim', () => {
  it('lists, filters (since) and clears the request log; control calls are not logged', async () => {
    const server = toyServer();
    const { url } = await server.start();
    await call(`${url}/items/1`);
    await call(`${url}/items/2`);
    await call(`${url}/items/3`);
    const all = await call(`${url}/__sim/requests`);
    expect(all.status).toBe(200);
    expect((all.json as RequestLogEntry[]).map((e) => e.path)).toEqual(['/items/1', '/items/2', '/items/3']);
    const since = await call(`${url}/__sim/requests?since=2`);
    expect((since.json as RequestLogEntry[]).map((e) => e.seq)).toEqual([3]);
    expect((await call(`${url}/__sim/requests?since=x`)).status).toBe(400);

    expect((await call(`${url}/__sim/requests`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${url}/__sim/requests`)).json).toEqual([]);
    await call(`${url}/items/4`);
    expect(server.requestLog.entries().map((e) => e.seq)).toEqual([4]);
    expect(server.requestLog.count({ path: /^\/__sim/ })).toBe(0);
  });

  it('reports totals beyond the ring capacity at /__sim/requests/stats', async () => {
    const server = toyServer({ logCapacity: 2 });
    const { url } = await server.start();
    for (let i = 0; i < 5; i++) await call(`${url}/items/${i}`);
    expect((await call(`${url}/__sim/requests`)).json).toHaveLength(2);
    expect((await call(`${url}/__sim/requests/stats`)).json).toEqual({ recorded: 5, held: 2, capacity: 2, lastSeq: 5 });
    await call(`${url}/__sim/requests`, { method: 'DELETE' });
    expect((await call(`${url}/__sim/requests/stats`)).json).toEqual({ recorded: 0, held: 0, capacity: 2, lastSeq: 5 });
  });

  it('reads, merges, validates and resets faults over HTTP', async () => {
    const server = toyServer({ faults: { latencyMs: 1 } });
    const { url } = await server.start();
    expect((await call(`${url}/__sim/faults`)).json).toMatchObject({ latencyMs: 1, errorRate: 0, errorStatus: 500, routes: null });

    const put = await call(`${url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 1, errorStatus: 502 }) });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ latencyMs: 1, errorRate: 1, errorStatus: 502 });
    expect(server.getFaults().errorRate).toBe(1);
    expect((await call(`${url}/items/1`)).status).toBe(502);
    // Control routes are never faulted, so faults can always be turned off again.
    expect((await call(`${url}/__sim/faults`)).status).toBe(200);

    const invalid = await call(`${url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 2 }) });
    expect(invalid.status).toBe(400);
    expect((await call(`${url}/__sim/faults`, { method: 'PUT', body: '{nope' })).status).toBe(400);
    expect((await call(`${url}/__sim/faults`, { method: 'PUT', body: JSON.stringify({ bogus: 1 }) })).status).toBe(400);
    expect(server.getFaults().errorStatus).toBe(502);

    const reset = await call(`${url}/__sim/faults`, { method: 'DELETE' });
    expect(reset.json).toMatchObject({ latencyMs: 1, errorRate: 0, errorStatus: 500 });
    expect((await call(`${url}/items/1`)).status).toBe(200);
  });

  it('serves vendor control routes and 404s unknown ones', async () => {
    const server = toyServer();
    const { url } = await server.start();
    expect((await call(`${url}/__sim/hello`)).json).toEqual({ hello: 'toy' });
    expect((await call(`${url}/__sim/nope`)).status).toBe(404);
    expect(server.requestLog.count()).toBe(0);
  });
});

describe('faults', () => {
  it('latencyMs delays responses', async () => {
    const server = toyServer({ faults: { latencyMs: 150 } });
    const { url } = await server.start();
    const t0 = performance.now();
    expect((await call(`${url}/items/1`)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    expect(server.requestLog.entries()[0]?.durationMs).toBeGreaterThanOrEqual(140);
    server.setFaults({ latencyMs: 0 });
    const t1 = performance.now();
    await call(`${url}/items/1`);
    expect(performance.now() - t1).toBeLessThan(100);
  });

  it('errorRate=1 answers errorStatus with the vendor error body; routes limits where faults apply', async () => {
    const server = toyServer({ faults: { errorRate: 1, errorStatus: 503, routes: '^/items/' } });
    const { url } = await server.start();
    const res = await call(`${url}/items/1`);
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ vendorError: { kind: 'fault', code: 503 } });
    expect((await call(`${url}/echo`, { method: 'POST', body: '{}' })).status).toBe(201);
    expect(server.requestLog.entries().map((e) => [e.status, e.fault])).toEqual([
      [503, 'error'],
      [201, null],
    ]);
    server.resetFaults();
    server.setFaults({ errorRate: 0 });
    expect((await call(`${url}/items/1`)).status).toBe(200);
  });

  it('methods limits faults to some HTTP methods; retryAfterSeconds adds Retry-After to injected errors', async () => {
    const server = toyServer({ faults: { errorRate: 1, errorStatus: 429, retryAfterSeconds: 7, methods: ['post'] } });
    const { url } = await server.start();
    expect((await call(`${url}/items/1`)).status).toBe(200);
    const throttled = await call(`${url}/echo`, { method: 'POST', body: '{}' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    expect(() => server.setFaults({ methods: ['P U T'] as unknown as string[] })).toThrow(/methods/);
  });

  it('a seeded partial errorRate gives the same sequence on every run', async () => {
    const statuses = async (): Promise<number[]> => {
      const server = toyServer({ faults: { errorRate: 0.5 }, seed: 1234 });
      const { url } = await server.start();
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await call(`${url}/items/${i}`)).status);
      return out;
    };
    const a = await statuses();
    const b = await statuses();
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('hangRate=1 accepts and never answers: the client times out; close() still ends promptly', async () => {
    const server = toyServer({ faults: { hangRate: 1 } });
    const { url } = await server.start();
    const t0 = performance.now();
    const err = await request(`${url}/items/1`, { headersTimeout: 300, dispatcher: freshAgent() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    expect(server.requestLog.entries()[0]).toMatchObject({ status: 0, fault: 'hang' });

    // A second hung request, still pending while we close the server.
    const pending = request(`${url}/items/2`, { dispatcher: freshAgent() }).then(
      () => 'answered',
      (e: unknown) => (e as { code?: string }).code ?? 'error',
    );
    await new Promise((r) => setTimeout(r, 50));
    const c0 = performance.now();
    await server.close();
    expect(performance.now() - c0).toBeLessThan(1000);
    expect(await pending).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
  });

  it('resetRate=1 drops the connection without a response (ECONNRESET)', async () => {
    const server = toyServer({ faults: { resetRate: 1 } });
    const { url } = await server.start();
    const err = await request(`${url}/items/1`, { dispatcher: freshAgent() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe('ECONNRESET');
    expect(server.requestLog.entries()[0]).toMatchObject({ status: 0, fault: 'reset' });
  });
});
