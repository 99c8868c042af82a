import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { createApp, type App } from '../../../src/server/app.js';
import { createLoanProSimulator } from '../../../src/simulators/loanpro/loanpro.simulator.js';

const KEY = 'shutdown-key-0123456789abcdef';
const LATENCY_MS = 400;

async function until(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('graceful shutdown of a listening gateway', () => {
  let simulator: ReturnType<typeof createLoanProSimulator>;
  let dataDir: string;
  let app: App;
  let url: string;
  /** One connection per request: a new request after close() starts cannot ride an open keep-alive socket. */
  let client: Agent;

  beforeEach(async () => {
    simulator = createLoanProSimulator({ latencyMs: LATENCY_MS });
    await simulator.start();
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-shutdown-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      LOANPRO_BASE_URL: simulator.baseUrl,
      LOANPRO_API_TOKEN: simulator.apiToken,
      LOANPRO_INSTANCE_ID: simulator.instanceId,
      AUTH_MODE: 'apikey',
      API_KEYS: `${KEY}=customers:read`,
      LOANPRO_TIMEOUT_MS: '3000',
    });
    app = await createApp(config);
    url = `${await app.fastify.listen({ port: 0, host: '127.0.0.1' })}/graphql`;
    client = new Agent({ pipelining: 0 });
  });

  afterEach(async () => {
    await app.close();
    await client.close();
    await simulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const query = (id: string) =>
    request(url, {
      method: 'POST',
      dispatcher: client,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: `{ customer(id: "${id}") { id firstName } }` }),
    });

  it('finishes the in-flight query, refuses new work, then closes the upstream pool', async () => {
    const started = performance.now();
    const inFlight = query('1178');
    // The query is past the gateway and waiting on LoanPro (which answers after 400 ms).
    await until(() => app.upstreams[0]!.stats().inFlight === 1, 'the LoanPro call to start');

    const closing = app.close();
    expect(app.close()).toBe(closing); // idempotent: the same drain, not a second one

    // A new request once close() has begun: the listener is gone (refused) or fastify answers 503.
    const late = await query('1001').then(
      async (res) => ({ status: res.statusCode, body: await res.body.text() }),
      (err: unknown) => ({ error: err as NodeJS.ErrnoException }),
    );
    if ('error' in late) {
      expect(late.error.code).toBe('ECONNREFUSED');
    } else {
      expect(late.status).toBe(503);
      expect(late.body).not.toContain('"customer"');
    }

    const res = await inFlight;
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { data?: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ customer: { id: '1178', firstName: expect.any(String) } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(LATENCY_MS - 20);

    await expect(closing).resolves.toBeUndefined();
    await expect(app.close()).resolves.toBeUndefined();

    // Only the in-flight query reached LoanPro; the late one never did.
    expect(simulator.requestLog.entries().map((e) => e.path)).toEqual(['/api/public/api/1/odata.svc/Customers(1178)']);

    // The pool is closed: a direct vendor call is refused without reaching LoanPro.
    await expect(
      app.upstreams[0]!.requestJson({ method: 'GET', path: 'odata.svc/Customers(1001)', operation: 'test.afterClose' }),
    ).rejects.toMatchObject({ name: 'UpstreamError', kind: 'network', causeCode: 'UPSTREAM_CLOSED' });
    expect(simulator.requestLog.entries()).toHaveLength(1);
    // So is the listener.
    await expect(request(url, { method: 'GET', dispatcher: client })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('closes promptly when idle, and a second close is a no-op', async () => {
    const res = await request(url.replace('/graphql', '/healthz'), { dispatcher: client });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const started = performance.now();
    await app.close();
    // An idle keep-alive socket must not hold the drain open.
    expect(performance.now() - started).toBeLessThan(1000);
    await app.close();
    await expect(app.store.ping()).rejects.toThrow();
  });
});
