/**
 * A programmable HTTP proxy in front of a vendor simulator, for failures no single fault setting can express
 * (one chunk of a batch failing, a read-back failing after a write, a vendor holding one request until another
 * arrived). Each request is decided by `decide`: forward it, or answer it here. Deterministic: no timers.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface ProxiedRequest {
  readonly method: string;
  /** Path and query string, decoded. */
  readonly url: string;
}

export type ProxyDecision = 'forward' | { status: number; body?: unknown; headers?: Record<string, string> };

export interface TestProxy {
  /** `http://127.0.0.1:<port>`: put it where the simulator's origin was (keep the base path). */
  readonly origin: string;
  /** Every request seen, in arrival order. */
  readonly seen: ProxiedRequest[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startProxy(
  target: string,
  decide: (req: ProxiedRequest) => ProxyDecision | Promise<ProxyDecision>,
): Promise<TestProxy> {
  const seen: ProxiedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const seenReq = { method: req.method ?? 'GET', url: decodeURIComponent(req.url ?? '/') };
      seen.push(seenReq);
      const decision = await decide(seenReq);
      if (decision !== 'forward') {
        res.writeHead(decision.status, { 'content-type': 'application/json', ...decision.headers });
        res.end(decision.body === undefined ? '' : JSON.stringify(decision.body));
        return;
      }
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      const upstream = await request(`${target}${req.url ?? '/'}`, {
        method: req.method as 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = await upstream.body.arrayBuffer();
      res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') });
      res.end(Buffer.from(text));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
