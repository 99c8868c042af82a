/**
 * The one definition of how the gateway logs: Fastify's logger (app.ts) and the start-up logger (main.ts) are
 * both built from loggerOptions(), so every line passes the same redaction:
 * - every message string, and every string argument interpolated into it, goes through redactText;
 * - string fields of the logged object (nested up to a few levels) go through redactText;
 * - `err` / `error` fields are serialised with their message and stack redacted, and nothing else of the
 *   error object (vendor bodies, configs and headers hang off error objects);
 * - known sensitive paths (authorization headers, passwords, SSNs, emails, variables) are censored outright.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { REDACTED_LOG_PATHS, redactText } from './redact.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Deep enough for `{ err: { cause: { message } } }`-style objects, shallow enough to stay cheap. */
const MAX_SCRUB_DEPTH = 4;

interface SerializedError {
  type?: string;
  message?: string;
  stack?: string;
  code?: string | number;
  cause?: SerializedError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** An error (or an error-shaped plain object) as a log line may show it: name, code, redacted message and stack. */
export function serializeError(value: unknown, depth = 0): SerializedError | unknown {
  if (!isRecord(value)) return typeof value === 'string' ? redactText(value) : value;
  const error = value as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown; cause?: unknown };
  const out: SerializedError = {};
  const type = value instanceof Error ? value.constructor.name : error.name;
  if (typeof type === 'string') out.type = type;
  if (typeof error.message === 'string') out.message = redactText(error.message);
  if (typeof error.stack === 'string') out.stack = redactText(error.stack);
  if (typeof error.code === 'string' || typeof error.code === 'number') out.code = error.code;
  if (error.cause !== undefined && depth < 2) out.cause = serializeError(error.cause, depth + 1) as SerializedError;
  return out;
}

/**
 * `/webhooks/<source>/<secret>...` -> `/webhooks/<source>/:secret`: a callback path carries its secret. Also a
 * near miss (`/webhook/...`, `//webhooks/...`): a mistyped registration still carries the real secret.
 */
const WEBHOOK_PATH = /^(\/+webhooks?)\/([^/]*)\/.*$/is;

/**
 * The request as a log line shows it: method, the path only (a GET /graphql query string carries variables; a
 * callback path its secret, logged as the route), host and peer address. Headers never: they carry credentials.
 */
function serializeRequest(req: unknown) {
  if (!isRecord(req)) return req;
  const { method, url, host, ip } = req as { method?: unknown; url?: unknown; host?: unknown; ip?: unknown };
  const path = typeof url === 'string' ? url.split('?', 1)[0]!.replace(WEBHOOK_PATH, '$1/$2/:secret') : undefined;
  return { method, url: path, host, remoteAddress: ip };
}

function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (!isRecord(value) || depth >= MAX_SCRUB_DEPTH) return value;
  // Errors are left whole for the err serializer, which keeps only what is safe.
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = scrub(field, depth + 1);
  return out;
}

/**
 * pino's logMethod hook sees the call's arguments (`(obj?, msg?, ...interpolations)`) before anything is
 * serialised. An Error logged without a message would otherwise lend pino its unredacted message as `msg`.
 */
function scrubArguments(args: unknown[]): unknown[] {
  const [first, ...rest] = args;
  if (first instanceof Error && typeof rest[0] !== 'string') return [first, redactText(first.message), ...rest.map((a) => scrub(a, 1))];
  return [scrub(first, 0), ...rest.map((a) => scrub(a, 1))];
}

export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
    serializers: { req: serializeRequest, err: serializeError, error: serializeError },
    hooks: {
      logMethod(args, method) {
        method.apply(this, scrubArguments(args) as Parameters<typeof method>);
      },
    },
  };
}

/** A logger with the gateway's options for the moments Fastify's does not exist yet (start-up). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(loggerOptions(level), destination);
}
