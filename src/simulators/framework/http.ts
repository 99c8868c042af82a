/**
 * Request/response types and helpers shared by the simulator server and the vendor simulators.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** What a handler returns; the server writes it. */
export interface SimResponse {
  readonly status: number;
  /** Serialised with JSON.stringify (content-type application/json) unless `text` is set. */
  readonly json?: unknown;
  /** Raw body; takes precedence over `json`. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Send `Connection: close` and drop the connection after this response. */
  readonly close?: boolean;
}

/** Why the framework (not the vendor logic) is answering with an error. */
export type SimErrorKind =
  | 'fault'
  | 'payload_too_large'
  | 'bad_json'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal';

export const DEFAULT_ERROR_STATUS: Readonly<Record<SimErrorKind, number>> = Object.freeze({
  fault: 500,
  payload_too_large: 413,
  bad_json: 400,
  not_found: 404,
  method_not_allowed: 405,
  internal: 500,
});

export interface SimErrorInfo {
  readonly kind: SimErrorKind;
  /** The status the framework would use; a vendor responder may choose another (e.g. LoanPro answers bad JSON with 409). */
  readonly status: number;
  readonly message: string;
  /** For method_not_allowed: the methods the path accepts. */
  readonly allow?: readonly string[];
}

/** Turns a framework error into the vendor's error shape. */
export type ErrorResponder = (info: SimErrorInfo) => SimResponse;

export const defaultErrorResponder: ErrorResponder = (info) => ({
  status: info.status,
  json: { error: { kind: info.kind, message: info.message } },
});

/** Thrown by helpers and handlers; the server formats it with the vendor's ErrorResponder. */
export class SimError extends Error {
  override readonly name = 'SimError';
  readonly kind: SimErrorKind;
  readonly status: number;
  readonly allow: readonly string[] | undefined;
  constructor(kind: SimErrorKind, message: string, options: { status?: number; allow?: readonly string[] } = {}) {
    super(message);
    this.kind = kind;
    this.status = options.status ?? DEFAULT_ERROR_STATUS[kind];
    this.allow = options.allow;
  }
  toInfo(): SimErrorInfo {
    return this.allow === undefined
      ? { kind: this.kind, status: this.status, message: this.message }
      : { kind: this.kind, status: this.status, message: this.message, allow: this.allow };
  }
}

/** Thrown by handlers that already know the exact response to send. */
export class SimHttpError extends Error {
  override readonly name = 'SimHttpError';
  readonly response: SimResponse;
  constructor(response: SimResponse, message = `HTTP ${response.status}`) {
    super(message);
    this.response = response;
  }
}

/** The request as handlers see it. */
export interface SimRequest {
  readonly method: string;
  /** Percent-decoded pathname. */
  readonly path: string;
  /** Pathname exactly as received. */
  readonly rawPath: string;
  /** Search string as received, without the leading `?`. */
  readonly search: string;
  readonly query: URLSearchParams;
  /** Node lower-cases header names, so lookups are case-insensitive. */
  readonly headers: IncomingHttpHeaders;
  /** First value of a header (name in any casing). */
  header(name: string): string | undefined;
  /** The body, at most the server's maxBodyBytes (else SimError payload_too_large). Cached. */
  readBody(): Promise<Buffer>;
  /** The body parsed as JSON (SimError bad_json on empty or invalid JSON). */
  readJson(): Promise<unknown>;
  readonly raw: IncomingMessage;
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export function jsonResponse(status: number, json: unknown, headers?: Readonly<Record<string, string>>): SimResponse {
  return headers === undefined ? { status, json } : { status, json, headers };
}

/** Write a SimResponse. Safe to call on a socket the client already closed. */
export function writeResponse(res: ServerResponse, response: SimResponse): void {
  if (res.headersSent || res.destroyed) return;
  let body: string | undefined;
  const headers: Record<string, string | number> = {};
  if (response.text !== undefined) {
    body = response.text;
    headers['content-type'] = 'text/plain; charset=utf-8';
  } else if (response.json !== undefined) {
    body = JSON.stringify(response.json);
    headers['content-type'] = 'application/json';
  }
  if (response.headers !== undefined) {
    for (const [k, v] of Object.entries(response.headers)) headers[k.toLowerCase()] = v;
  }
  if (response.status === 204 || response.status === 304) body = undefined;
  else headers['content-length'] = body === undefined ? 0 : Buffer.byteLength(body);
  if (response.close === true) headers['connection'] = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * Read a request body with a size cap. Rejects with SimError('payload_too_large') as soon as the declared or
 * received size exceeds `limit` (the server then answers with `Connection: close`).
 */
export function readBodyLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(new SimError('payload_too_large', `Request body exceeds ${limit} bytes.`));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done = true;
        cleanup();
        req.pause();
        reject(new SimError('payload_too_large', `Request body exceeds ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (done) return;
      done = true;
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      if (done) return;
      done = true;
      cleanup();
      reject(err);
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/** Parse a body as JSON; SimError('bad_json') when empty or invalid. */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw new SimError('bad_json', 'Request body is empty; a JSON payload is required.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SimError('bad_json', 'Request body is not valid JSON.');
  }
}

/** Percent-decode a path; an invalid escape leaves the path as received. */
export function decodePath(rawPath: string): string {
  if (!rawPath.includes('%')) return rawPath;
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
