import type { VendorName } from '../../errors/errors.js';

export type { VendorName };

/**
 * What went wrong with a vendor call. The catalogue reads them as (upstream.catalogue.ts):
 * - `rate_limited` (429)                                            -> UPSTREAM_RATE_LIMITED
 * - `timeout`, `network`, `circuit_open`, `overloaded`, `bad_response`, `http` with a 5xx -> UPSTREAM_UNAVAILABLE
 * - `http` with a 4xx                                               -> the vendor mapper decides (NOT_FOUND, CONFLICT, ...)
 * - `aborted`: the caller (the GraphQL request) went away; nobody is left to read the answer.
 */
export type UpstreamErrorKind =
  | 'timeout'
  | 'aborted'
  | 'network'
  | 'http'
  | 'rate_limited'
  | 'circuit_open'
  | 'overloaded'
  | 'bad_response';

export interface UpstreamErrorInit {
  vendor: VendorName;
  kind: UpstreamErrorKind;
  operation: string;
  /** Attempts made, this one included (0 when the call never reached an attempt). */
  attempts: number;
  status?: number;
  retryAfterSeconds?: number;
  /** The parsed vendor body (or its text, cut to 4 KiB, when it was not JSON). Kept off every serialisation. */
  body?: unknown;
  /** The low-level cause's code (`ECONNRESET`, `UND_ERR_SOCKET`, `UND_ERR_HEADERS_TIMEOUT`, ...), never its message. */
  causeCode?: string;
}

/**
 * A failed vendor call. `message`, `stack`, `toJSON()` and the enumerable fields carry only the vendor,
 * operation, kind, status and counters: never a URL, query string, header value, token or body. The vendor's
 * error body is on `body`, which is non-enumerable and left out of `toJSON()`, for vendor mappers only.
 *
 * No `cause` is set on purpose: undici's messages name the host and port, and log serialisers walk `cause`.
 * The cause's code is kept on `causeCode` instead.
 */
export class UpstreamError extends Error {
  readonly vendor: VendorName;
  readonly kind: UpstreamErrorKind;
  readonly operation: string;
  /** Attempts made before this error was final. */
  attempts: number;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly causeCode?: string;
  declare readonly body?: unknown;

  constructor(init: UpstreamErrorInit) {
    super(upstreamErrorMessage(init.vendor, init.operation, init.kind, init.status));
    this.name = 'UpstreamError';
    this.vendor = init.vendor;
    this.kind = init.kind;
    this.operation = init.operation;
    this.attempts = init.attempts;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.causeCode !== undefined) this.causeCode = init.causeCode;
    Object.defineProperty(this, 'body', { value: init.body, enumerable: false, writable: false, configurable: true });
  }

  /** The vendor answered 5xx. Such errors stay kind `http` (status kept) and read as UPSTREAM_UNAVAILABLE. */
  get isServerError(): boolean {
    return this.kind === 'http' && this.status !== undefined && this.status >= 500;
  }

  /** The vendor refused this request (kind `http`, a 4xx other than 429): a vendor mapper should decide the code. */
  get isClientError(): boolean {
    return this.kind === 'http' && this.status !== undefined && this.status >= 400 && this.status < 500;
  }

  /** The vendor is unreachable, slow, failing, or shedding load: UPSTREAM_UNAVAILABLE in the catalogue. */
  get isUnavailable(): boolean {
    switch (this.kind) {
      case 'timeout':
      case 'network':
      case 'circuit_open':
      case 'overloaded':
      case 'bad_response':
        return true;
      case 'http':
        return this.isServerError;
      default:
        return false;
    }
  }

  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {
      name: this.name,
      message: this.message,
      vendor: this.vendor,
      kind: this.kind,
      operation: this.operation,
      attempts: this.attempts,
    };
    if (this.status !== undefined) json.status = this.status;
    if (this.retryAfterSeconds !== undefined) json.retryAfterSeconds = this.retryAfterSeconds;
    if (this.causeCode !== undefined) json.causeCode = this.causeCode;
    return json;
  }
}

/** `LOANPRO customers.get failed: http 404`: vendor, operation, kind and status only. */
function upstreamErrorMessage(vendor: VendorName, operation: string, kind: UpstreamErrorKind, status?: number): string {
  return status === undefined ? `${vendor} ${operation} failed: ${kind}` : `${vendor} ${operation} failed: ${kind} ${status}`;
}
