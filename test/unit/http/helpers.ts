import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MockAgent } from 'undici';
import { expect } from 'vitest';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';

export const MOCK_ORIGIN = 'http://vendor.test';
export const MOCK_BASE = `${MOCK_ORIGIN}/api/public/api/1`;

/** A MockAgent that refuses any request it was not told about. */
export function mockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

/** Any path: the matcher sees undici's normalised path; read the raw one in a reply callback. */
export const ANY_PATH = (): boolean => true;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface TestServer {
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  connections: number;
  closedConnections: number;
  /** Resolves when the next socket closes. */
  nextSocketClose(): Promise<void>;
  /** Resolves when the server has read the next request to its end (before the handler runs). */
  nextRequest(): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 for socket-level behaviour (hangs, resets, aborts). */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest) => void,
): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let closeWaiters: Array<() => void> = [];
  let requestWaiters: Array<(recorded: RecordedRequest) => void> = [];
  const state = {
    requests: [] as RecordedRequest[],
    connections: 0,
    closedConnections: 0,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      state.requests.push(recorded);
      const waiters = requestWaiters;
      requestWaiters = [];
      for (const w of waiters) w(recorded);
      handler(req, res, recorded);
    });
  });
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => {
      state.closedConnections++;
      sockets.delete(socket);
      const waiters = closeWaiters;
      closeWaiters = [];
      for (const w of waiters) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/public/api/1`,
    port,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    get closedConnections() {
      return state.closedConnections;
    },
    nextSocketClose: () => new Promise<void>((resolve) => closeWaiters.push(resolve)),
    nextRequest: () => new Promise<RecordedRequest>((resolve) => requestWaiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The rejection of `promise`, which must be an UpstreamError. */
export async function upstreamError(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UpstreamError);
    return err as UpstreamError;
  }
  throw new Error('expected the call to fail');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface CapturedLog {
  level: 'debug' | 'warn';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

export function captureLogger(): { logger: { debug(o: object, m?: string): void; warn(o: object, m?: string): void }; lines: CapturedLog[] } {
  const lines: CapturedLog[] = [];
  return {
    lines,
    logger: {
      debug: (obj, msg) => lines.push({ level: 'debug', obj: obj as Record<string, unknown>, msg }),
      warn: (obj, msg) => lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    },
  };
}
