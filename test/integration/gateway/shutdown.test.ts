import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, Agent as HttpAgent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { createApp, type App } from '../../../src/server/app.js';

const KEY = 'shutdown-key-0123456789abcdef';

/**
 * A LoanPro stand-in that holds every customer read until the test releases it: the test knows, by event and
 * not by a clock, that a query is in flight at the vendor while the gateway starts closing.
 */
function heldLoanPro() {
  const held: ServerResponse[] = [];
  const seen: string[] = [];
  let arrived: (() => void) | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    seen.push(new URL(req.url ?? '/', 'http://loanpro').pathname);
    held.push(res);
    arrived?.();
  });
  return {
    server,
    seen,
    /** Resolves once `count` requests have reached the vendor. */
    arrivals(count: number): Promise<void> {
      return new Promise((resolve) => {
        arrived = () => held.length >= count && resolve();
        arrived();
      });
    },
    release(): void {
      for (const res of held.splice(0)) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ d: { id: 1178, firstName: 'Ada' } }));
      }
    },
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/public/api/1`;
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('graceful shutdown of a listening gateway', () => {
  let vendor: ReturnType<typeof heldLoanPro>;
  let dataDir: string;
  let app: App;
  let url: string;
  /** One connection per request: a new request after close() starts cannot ride an open keep-alive socket. */
  let client: Agent;

  beforeEach(async () => {
    vendor = heldLoanPro();
    const vendorUrl = await vendor.listen();
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-shutdown-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      LOANPRO_BASE_URL: vendorUrl,
      LOANPRO_API_TOKEN: 'shutdown-vendor-token',
      LOANPRO_INSTANCE_ID: '5200000',
      AUTH_MODE: 'apikey',
      API_KEYS: `${KEY}=customers:read`,
      LOANPRO_TIMEOUT_MS: '20000',
    });
    app = await createApp(config);
    url = `${await app.fastify.listen({ port: 0, host: '127.0.0.1' })}/graphql`;
    client = new Agent({ pipelining: 0 });
  });

  afterEach(async () => {
    vendor.release();
    await app.close();
    await client.close();
    await vendor.close();
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
    const events: string[] = [];
    const inFlight = query('1178').then(async (res) => {
      events.push('in-flight answered');
      return { status: res.statusCode, body: (await res.body.json()) as { data?: unknown; errors?: unknown } };
    });
    // The query is past the gateway and held at LoanPro.
    await vendor.arrivals(1);

    const closing = app.close();
    expect(app.close()).toBe(closing); // idempotent: the same drain, not a second one
    void closing.then(() => events.push('closed'));

    // A new request once close() has begun: the listener is gone (refused) or fastify answers 503.
    const late = await query('1001').then(
      async (res) => ({ status: res.statusCode, body: await res.body.text() }),
      (err: unknown) => ({ error: err as NodeJS.ErrnoException }),
    );
    events.push('late refused');
    if ('error' in late) {
      expect(late.error.code).toBe('ECONNREFUSED');
    } else {
      expect(late.status).toBe(503);
      expect(late.body).not.toContain('"customer"');
    }

    events.push('vendor answers');
    vendor.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ customer: { id: '1178', firstName: 'Ada' } });

    await expect(closing).resolves.toBeUndefined();
    await expect(app.close()).resolves.toBeUndefined();
    // The drain waited for the held query: close() settled only after LoanPro answered. (The client reading its
    // answer and the server finishing its close are two sockets' events: their relative order is not asserted.)
    expect(events.filter((e) => e !== 'in-flight answered')).toEqual(['late refused', 'vendor answers', 'closed']);
    expect(events.indexOf('in-flight answered')).toBeGreaterThan(events.indexOf('vendor answers'));

    // Only the in-flight query reached LoanPro; the late one never did.
    expect(vendor.seen).toEqual(['/api/public/api/1/odata.svc/Customers(1178)']);

    // The pool is closed: a direct vendor call is refused without reaching LoanPro.
    await expect(
      app.upstreams[0]!.requestJson({ method: 'GET', path: 'odata.svc/Customers(1001)', operation: 'test.afterClose' }),
    ).rejects.toMatchObject({ name: 'UpstreamError', kind: 'network', causeCode: 'UPSTREAM_CLOSED' });
    expect(vendor.seen).toHaveLength(1);
    // So is the listener.
    await expect(request(url, { method: 'GET', dispatcher: client })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('closes an idle keep-alive connection instead of waiting for it, and a second close is a no-op', async () => {
    const keepAlive = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    try {
      const socket = await new Promise<Socket>((resolve, reject) => {
        const req = httpRequest(url.replace('/graphql', '/healthz'), { agent: keepAlive }, (res) => {
          expect(res.statusCode).toBe(200);
          const socket = res.socket as Socket;
          res.resume();
          res.once('end', () => resolve(socket));
        });
        req.once('error', reject);
        req.end();
      });
      // The response is done and the socket sits idle in the agent's pool, still open.
      expect(socket.destroyed).toBe(false);
      const socketClosed = once(socket, 'close');

      await app.close();
      // The server ended the idle socket itself (forceCloseConnections: 'idle'): nothing waits on its timeout.
      await socketClosed;
      expect(socket.destroyed).toBe(true);
      await app.close();
      await expect(app.store.ping()).rejects.toThrow();
    } finally {
      keepAlive.destroy();
    }
  });
});
