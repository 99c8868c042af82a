import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import { createPrng, createRouter, createSimulatorServer, decideFault, mergeFaults, NO_FAULTS } from '../../../src/simulators/framework/index.js';
import type {
  ErrorResponder,
  RequestLogEntry,
  SimSleeper,
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

/** State the toy vendor changes, so tests can see that a handler ran although its answer was lost. */
const toyState = { writes: 0 };

/** A sleeper that does not wait: it records what it was asked for, so latency is asserted without a clock. */
function recordingSleeper(): { sleep: SimSleeper; asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    sleep: (ms) => {
      asked.push(ms);
      return Promise.resolve();
    },
  };
}

function toyServer(extra: Partial<SimulatorServerOptions> = {}): SimulatorServer {
  toyState.writes = 0;
  const router = createRouter();
  router.add('GET', /^\/items\/(?<id>\d+)$/, (req, params) => ({
    status: 200,
    json: { id: Number(params['id']), q: req.query.get('q') },
  }));
  router.add('POST', /^\/echo$/, async (req) => ({ status: 201, json: { got: await req.readJson() } }));
  router.add('POST', /^\/writes$/, () => {
    toyState.writes += 1;
    return { status: 201, json: { writes: toyState.writes } };
  });
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
  init: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: string; headers?: Record<string, string> } = {},
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
    expect(entry).toMatchObject({
      seq: 1,
      method: 'GET',
      path: '/items/7',
      query: 'q=a b c',
      status: 200,
      delayMs: 0,
      fault: null,
    });
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

  it('PUT replaces the settings (body over NO_FAULTS), PATCH merges, DELETE restores the creation settings', async () => {
    const server = toyServer({ faults: { latencyMs: 1, methods: ['GET'] }, sleep: recordingSleeper().sleep });
    const { url } = await server.start();
    const json = (body: unknown): string => JSON.stringify(body);
    expect((await call(`${url}/__sim/faults`)).json).toEqual({ ...NO_FAULTS, latencyMs: 1, methods: ['GET'] });

    // PUT: exactly the body's fields, the rest defaults; neither the creation latency nor the method filter stays.
    const put = await call(`${url}/__sim/faults`, { method: 'PUT', body: json({ errorRate: 1, errorStatus: 502 }) });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ...NO_FAULTS, errorRate: 1, errorStatus: 502 });
    expect(server.getFaults()).toEqual(put.json);
    expect((await call(`${url}/echo`, { method: 'POST', body: '{}' })).status).toBe(502);
    // Control routes are never faulted, so faults can always be turned off again.
    expect((await call(`${url}/__sim/faults`)).status).toBe(200);

    // PATCH: only the named fields change.
    const patch = await call(`${url}/__sim/faults`, { method: 'PATCH', body: json({ methods: ['POST'], latencyMs: 3 }) });
    expect(patch.json).toEqual({ ...NO_FAULTS, errorRate: 1, errorStatus: 502, methods: ['POST'], latencyMs: 3 });
    expect((await call(`${url}/items/1`)).status).toBe(200);

    // What GET returns is a valid PUT body and round-trips.
    const current = (await call(`${url}/__sim/faults`)).json;
    expect((await call(`${url}/__sim/faults`, { method: 'PUT', body: json(current) })).json).toEqual(current);
    expect((await call(`${url}/__sim/faults`, { method: 'PUT', body: '{}' })).json).toEqual(NO_FAULTS);

    // A rejected write leaves the settings as they were, for PUT and PATCH alike.
    server.setFaults({ errorStatus: 504 });
    for (const method of ['PUT', 'PATCH'] as const) {
      expect((await call(`${url}/__sim/faults`, { method, body: json({ errorRate: 2 }) })).status).toBe(400);
      expect((await call(`${url}/__sim/faults`, { method, body: '{nope' })).status).toBe(400);
      expect((await call(`${url}/__sim/faults`, { method, body: json({ bogus: 1 }) })).status).toBe(400);
      expect((await call(`${url}/__sim/faults`, { method, body: '[1]' })).status).toBe(400);
      expect((await call(`${url}/__sim/faults`, { method, body: json({ seed: 1.5 }) })).status).toBe(400);
    }
    expect(server.getFaults()).toEqual({ ...NO_FAULTS, errorStatus: 504 });
    expect((await call(`${url}/__sim/faults`, { method: 'POST', body: '{}' })).headers['allow']).toBe('GET, PUT, PATCH, DELETE');

    const reset = await call(`${url}/__sim/faults`, { method: 'DELETE' });
    expect(reset.json).toEqual({ ...NO_FAULTS, latencyMs: 1, methods: ['GET'] });
    expect((await call(`${url}/items/1`)).status).toBe(200);
  });

  it('a seed in the PUT/PATCH body reseeds the fault PRNG, giving a reproducible sequence', async () => {
    const server = toyServer();
    const { url } = await server.start();
    const run = async (): Promise<number[]> => {
      const body = JSON.stringify({ errorRate: 0.5, seed: 99 });
      expect((await call(`${url}/__sim/faults`, { method: 'PUT', body })).json).not.toHaveProperty('seed');
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await call(`${url}/items/${i}`)).status);
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500]));
  });

  it('replaceFaults() is PUT, setFaults() is PATCH', async () => {
    const server = toyServer({ faults: { latencyMs: 5 } });
    expect(server.setFaults({ errorRate: 1 })).toEqual({ ...NO_FAULTS, latencyMs: 5, errorRate: 1 });
    expect(server.replaceFaults({ hangRate: 1 })).toEqual({ ...NO_FAULTS, hangRate: 1 });
    expect(() => server.replaceFaults({ hangRate: 3 })).toThrow(/hangRate/);
    expect(server.getFaults()).toEqual({ ...NO_FAULTS, hangRate: 1 });
    expect(server.resetFaults()).toEqual({ ...NO_FAULTS, latencyMs: 5 });
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
  it('latencyMs waits through the sleeper before answering; the log records the delay from the settings', async () => {
    const sleeper = recordingSleeper();
    const server = toyServer({ faults: { latencyMs: 150, routes: '^/items/' }, sleep: sleeper.sleep });
    const { url } = await server.start();
    expect((await call(`${url}/items/1`)).status).toBe(200);
    expect((await call(`${url}/echo`, { method: 'POST', body: '{}' })).status).toBe(201); // outside `routes`
    expect(sleeper.asked).toEqual([150]);
    expect(server.requestLog.entries().map((e) => [e.path, e.delayMs])).toEqual([
      ['/items/1', 150],
      ['/echo', 0],
    ]);
    server.setFaults({ latencyMs: 0 });
    await call(`${url}/items/2`);
    expect(sleeper.asked).toEqual([150]);
    expect(server.requestLog.entries().at(-1)?.delayMs).toBe(0);
  });

  it('jitter adds the seeded draw: the delay equals what decideFault computes for the same seed', async () => {
    const sleeper = recordingSleeper();
    const settings = { latencyMs: 100, jitterMs: 50 };
    const server = toyServer({ faults: settings, seed: 77, sleep: sleeper.sleep });
    const { url } = await server.start();
    for (let i = 0; i < 5; i++) await call(`${url}/items/${i}`);

    const prng = createPrng(77);
    const expected = Array.from({ length: 5 }, (_, i) =>
      decideFault(mergeFaults(NO_FAULTS, settings), null, `/items/${i}`, prng, 'GET').delayMs,
    );
    expect(sleeper.asked).toEqual(expected);
    for (const ms of expected) expect(ms >= 100 && ms <= 150).toBe(true);
    expect(server.requestLog.entries().map((e) => e.delayMs)).toEqual(expected.map((ms) => Math.round(ms * 1000) / 1000));
  });

  it('close() during a latency sleep aborts the sleeper and drops the waiting request', async () => {
    let signalled: AbortSignal | undefined;
    let sleeping!: () => void;
    const asleep = new Promise<void>((resolve) => {
      sleeping = resolve;
    });
    // Waits until aborted, as the default timer sleeper does when close() runs.
    const untilAborted: SimSleeper = (_ms, signal) => {
      signalled = signal;
      sleeping();
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    };
    const server = toyServer({ faults: { latencyMs: 60_000 }, sleep: untilAborted });
    const { url } = await server.start();
    const pending = request(`${url}/writes`, { method: 'POST', dispatcher: freshAgent() }).then(
      () => 'answered',
      (e: unknown) => (e as { code?: string }).code ?? 'error',
    );
    await asleep;
    expect(signalled?.aborted).toBe(false);
    await server.close();
    expect(signalled?.aborted).toBe(true);
    expect(await pending).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    expect(toyState.writes).toBe(0);
    expect(server.requestLog.count()).toBe(0);
  });

  it('the default sleeper really waits: the request is logged with its delay and answered', async () => {
    const server = toyServer({ faults: { latencyMs: 20 } });
    const { url } = await server.start();
    expect((await call(`${url}/items/1`)).status).toBe(200);
    expect(server.requestLog.entries()[0]).toMatchObject({ status: 200, delayMs: 20, fault: null });
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

  it('hangRate=1 accepts and never answers: the client times out; close() ends the hung requests', async () => {
    const server = toyServer({ faults: { hangRate: 1 } });
    const { url } = await server.start();
    // The server never answers, so the client's header timeout fires however slow the machine is.
    const err = await request(`${url}/items/1`, { headersTimeout: 300, dispatcher: freshAgent() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(server.requestLog.entries()[0]).toMatchObject({ status: 0, fault: 'hang', delayMs: 0 });

    // A second hung request, still pending while we close the server: wait until the server has it, not a sleep.
    const pending = request(`${url}/items/2`, { dispatcher: freshAgent() }).then(
      () => 'answered',
      (e: unknown) => (e as { code?: string }).code ?? 'error',
    );
    await server.requestLog.waitFor({ path: '/items/2', fault: 'hang' });
    await server.close();
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

  it('dropResponseRate=1: the vendor processes the request, then the answer is lost and the client times out', async () => {
    const server = toyServer({ faults: { dropResponseRate: 1, methods: ['POST'] } });
    const { url } = await server.start();
    const outcome = request(`${url}/writes`, { method: 'POST', headersTimeout: 300, dispatcher: freshAgent() }).then(
      () => 'answered',
      (e: unknown) => (e as { code?: string }).code ?? 'error',
    );
    const dropped = await server.requestLog.waitFor({ fault: 'drop' });
    expect(dropped).toMatchObject({ method: 'POST', path: '/writes', status: 201, fault: 'drop' });
    expect(toyState.writes).toBe(1);
    expect(await outcome).toBe('UND_ERR_HEADERS_TIMEOUT');
    // Reads (outside `methods`) still see the write.
    expect((await call(`${url}/items/1`)).status).toBe(200);
    expect(server.requestLog.entries().map((e) => [e.method, e.status, e.fault])).toEqual([
      ['POST', 201, 'drop'],
      ['GET', 200, null],
    ]);
  });

  it('resetAfterRate=1: the vendor processes the request, then the socket is reset (ECONNRESET)', async () => {
    const server = toyServer({ faults: { resetAfterRate: 1, routes: '^/writes$' } });
    const { url } = await server.start();
    const err = await request(`${url}/writes`, { method: 'POST', dispatcher: freshAgent() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as { code?: string }).code).toBe('ECONNRESET');
    expect(toyState.writes).toBe(1);
    expect(server.requestLog.entries()[0]).toMatchObject({ method: 'POST', status: 201, fault: 'reset_after' });
  });

  it('the after-handler faults record the status the handler produced, errors included', async () => {
    const server = toyServer({ faults: { resetAfterRate: 1 } });
    const { url } = await server.start();
    await request(`${url}/nope`, { dispatcher: freshAgent() }).catch(() => undefined);
    expect(server.requestLog.entries()[0]).toMatchObject({ path: '/nope', status: 404, fault: 'reset_after' });
  });

  it('faultBudget=1 fails exactly the first matching request; filtered requests do not spend it', async () => {
    const server = toyServer({ faults: { errorRate: 1, errorStatus: 503, methods: ['POST'], faultBudget: 1 } });
    const { url } = await server.start();
    const post = async (): Promise<number> => (await call(`${url}/writes`, { method: 'POST' })).status;
    expect((await call(`${url}/items/1`)).status).toBe(200); // GET: not matched, budget untouched
    expect(server.faultBudgetRemaining()).toBe(1);
    expect([await post(), await post(), await post()]).toEqual([503, 201, 201]);
    expect(server.faultBudgetRemaining()).toBe(0);
    expect(toyState.writes).toBe(2);

    // A PATCH that does not name faultBudget leaves it spent; one that names it re-arms it.
    await call(`${url}/__sim/faults`, { method: 'PATCH', body: JSON.stringify({ errorStatus: 500 }) });
    expect(await post()).toBe(201);
    await call(`${url}/__sim/faults`, { method: 'PATCH', body: JSON.stringify({ faultBudget: 1 }) });
    expect([await post(), await post()]).toEqual([500, 201]);
    expect(server.requestLog.count({ fault: 'error' })).toBe(2);
  });

  it('faultBudget makes "the first POST is applied but its answer lost, the retry succeeds" deterministic', async () => {
    const server = toyServer();
    const { url } = await server.start();
    const body = JSON.stringify({ dropResponseRate: 1, methods: ['POST'], faultBudget: 1 });
    expect((await call(`${url}/__sim/faults`, { method: 'PUT', body })).status).toBe(200);
    // The client gives up once the simulator has processed the POST (the drop test above shows it would time out).
    const giveUp = new AbortController();
    const first = request(`${url}/writes`, { method: 'POST', signal: giveUp.signal, dispatcher: freshAgent() }).then(
      () => 'answered',
      () => 'gave up',
    );
    await server.requestLog.waitFor({ method: 'POST', fault: 'drop' });
    giveUp.abort();
    expect(await first).toBe('gave up');
    const retry = await call(`${url}/writes`, { method: 'POST' });
    expect(retry).toMatchObject({ status: 201, json: { writes: 2 } });
    expect(server.requestLog.entries().map((e) => [e.status, e.fault])).toEqual([
      [201, 'drop'],
      [201, null],
    ]);
    // Writing the same PUT again re-arms the budget.
    expect(server.faultBudgetRemaining()).toBe(0);
    await call(`${url}/__sim/faults`, { method: 'PUT', body });
    expect(server.faultBudgetRemaining()).toBe(1);
  });

  it('the new settings are validated like the others', async () => {
    const server = toyServer();
    const { url } = await server.start();
    for (const bad of [{ dropResponseRate: 1.5 }, { resetAfterRate: -1 }, { faultBudget: 1.5 }, { faultBudget: -1 }, { faultBudget: '1' }]) {
      const res = await call(`${url}/__sim/faults`, { method: 'PATCH', body: JSON.stringify(bad) });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(server.getFaults()).toEqual(NO_FAULTS);
  });
});
