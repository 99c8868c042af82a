import type { VendorName } from '../../errors/errors.js';

export type { VendorName };

/**
 * What went wrong with a vendor call. The catalogue reads them as (upstream.catalogue.ts):
 * - `rate_limited` (429)                                            -> UPSTREAM_RATE_LIMITED
 * - `timeout`, `network`, `circuit_open`, `overloaded`, `bad_response`, `too_large`, `auth_failed`,
 *   `http` with a 5xx                                               -> UPSTREAM_UNAVAILABLE
 * - `http` with a 4xx                                               -> the vendor mapper decides (NOT_FOUND, CONFLICT, ...)
 * - `aborted`: the caller (the GraphQL request) went away; nobody is left to read the answer.
 *
 * `too_large`: the vendor's body passed the upstream's `maxResponseBytes`; the gateway stopped reading it.
 * `auth_failed`: the gateway could not get a credential for the call (the vendor refused the login, or refused it
 * recently and the next login is not due yet); the call itself was never sent.
 */
export type UpstreamErrorKind =
  | 'timeout'
  | 'aborted'
  | 'network'
  | 'http'
  | 'rate_limited'
  | 'circuit_open'
  | 'overloaded'
  | 'bad_response'
  | 'too_large'
  | 'auth_failed';

/**
 * How far a failed call got towards the vendor: the question an idempotency store asks before it lets a client
 * retry a write ("could its side effect have happened?"). It describes the whole call, every attempt included:
 * one attempt that may have applied makes the call one that may have.
 * - `not_sent`: no attempt put a byte on the wire. The breaker or the bulkhead refused it, the upstream was
 *   closed, the deadline or the caller's abort came before the dispatch, undici refused the request (a bad header),
 *   the credential could not be had, or the connection failed (refused, DNS, connect timeout).
 * - `refused`: the vendor answered 4xx (429 included): it read the request and declined it.
 * - `applied`: the vendor answered 2xx, but the gateway could not use the answer (not JSON, too large, cut off).
 * - `maybe`: it was sent and no answer the gateway can trust came back (timeout, reset, abort after the dispatch),
 *   or the vendor answered something that does not say (1xx/3xx, 5xx). When in doubt, the layer says `maybe`.
 */
export type UpstreamDelivery = 'not_sent' | 'refused' | 'applied' | 'maybe';

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
  /**
   * How far the call got. The upstream always says; when omitted (a vendor client building its own error) it is
   * read from kind and status alone, conservatively: see `deliveryFromKind`.
   */
  delivery?: UpstreamDelivery;
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
  /** How far the call got towards the vendor (see `UpstreamDelivery`). */
  readonly delivery: UpstreamDelivery;
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
    this.delivery = init.delivery ?? deliveryFromKind(init.kind, init.status);
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

  /**
   * False only when the call provably had no effect at the vendor: it was never sent, or the vendor answered
   * 4xx. A write that failed with `mayHaveApplied` true has an unknown outcome and must not simply be re-run.
   */
  get mayHaveApplied(): boolean {
    return this.delivery === 'maybe' || this.delivery === 'applied';
  }

  /** The vendor is unreachable, slow, failing, or shedding load: UPSTREAM_UNAVAILABLE in the catalogue. */
  get isUnavailable(): boolean {
    switch (this.kind) {
      case 'timeout':
      case 'network':
      case 'circuit_open':
      case 'overloaded':
      case 'bad_response':
      case 'too_large':
      case 'auth_failed':
        return true;
      case 'http':
        return this.isServerError;
      default:
        return false;
    }
  }

  /**
   * The vendor answered 2xx with a body the gateway cannot use (not the documented envelope): the call reached the
   * vendor and, for a write, was applied.
   */
  static unreadable(vendor: VendorName, operation: string, status?: number): UpstreamError {
    return new UpstreamError({
      vendor,
      kind: 'bad_response',
      operation,
      attempts: 1,
      ...(status === undefined ? {} : { status }),
      delivery: 'applied',
    });
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
    json.delivery = this.delivery;
    return json;
  }
}

/**
 * For the idempotency store, on a failed write: `not_applied` when re-running it cannot repeat a side effect
 * (an UpstreamError whose call was never sent, or refused by the vendor), `unknown` for anything else,
 * errors that are not UpstreamErrors included.
 */
export function classifyWriteFailure(err: unknown): 'not_applied' | 'unknown' {
  return err instanceof UpstreamError && !err.mayHaveApplied ? 'not_applied' : 'unknown';
}

/**
 * The delivery an error implies when nobody observed the request go out: only what kind and status prove.
 * Refusals before any dispatch are `not_sent`, an answer's status decides when there is one, and every other
 * failure (timeout, network, aborted) is `maybe`: without the upstream's view of the dispatch, it may have been sent.
 */
export function deliveryFromKind(kind: UpstreamErrorKind, status: number | undefined): UpstreamDelivery {
  if (kind === 'circuit_open' || kind === 'overloaded' || kind === 'auth_failed') return 'not_sent';
  return status === undefined ? 'maybe' : deliveryFromStatus(status);
}

/** What an answer's status says about the request's effect. */
export function deliveryFromStatus(status: number): UpstreamDelivery {
  if (status >= 200 && status < 300) return 'applied';
  if (status >= 400 && status < 500) return 'refused';
  return 'maybe';
}

const DELIVERY_RANK: Readonly<Record<UpstreamDelivery, number>> = { not_sent: 0, refused: 1, maybe: 2, applied: 3 };

/** The delivery of a call whose attempts had deliveries `a` and `b`: whichever says more may have happened. */
export function strongerDelivery(a: UpstreamDelivery, b: UpstreamDelivery): UpstreamDelivery {
  return DELIVERY_RANK[a] >= DELIVERY_RANK[b] ? a : b;
}

/** `LOANPRO customers.get failed: http 404`: vendor, operation, kind and status only. */
function upstreamErrorMessage(vendor: VendorName, operation: string, kind: UpstreamErrorKind, status?: number): string {
  return status === undefined ? `${vendor} ${operation} failed: ${kind}` : `${vendor} ${operation} failed: ${kind} ${status}`;
}
