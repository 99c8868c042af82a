import { type Dispatcher, Pool } from 'undici';
import { type BreakerOptions, type BreakerOutcome, type BreakerState, CircuitBreaker, PERMIT_DENIED } from './breaker.js';
import { Bulkhead } from './bulkhead.js';
import { Deadline, raceSignal } from './deadline.js';
import { buildRequestTarget, parseBaseUrl, type QueryParams } from './request-target.js';
import { isRetryableStatus, parseRetryAfter, RETRYABLE_CAUSE_CODES, type RetryOptions, RetryPolicy } from './retry.js';
import type { AuthHeaders, UpstreamAuth } from './token-auth.js';
import { type ExchangeAnswer, Exchange } from './upstream.exchange.js';
import {
  deliveryFromStatus,
  strongerDelivery,
  type UpstreamDelivery,
  UpstreamError,
  type UpstreamErrorInit,
  type UpstreamErrorKind,
  type VendorName,
} from './upstream.errors.js';

export type { VendorName } from './upstream.errors.js';

/** pino-compatible. `isLevelEnabled` (pino has it) lets the per-attempt debug line cost nothing when off. */
export interface UpstreamLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  isLevelEnabled?(level: string): boolean;
}

export interface UpstreamOptions {
  vendor: VendorName;
  /** e.g. `http://127.0.0.1:4010/api/public/api/1`: the origin goes to the Pool, the path prefixes every request path. */
  baseUrl: string;
  /** Pool connections (default 32). */
  connections?: number;
  /** Default 2000. */
  connectTimeoutMs?: number;
  /** Per attempt; default `timeoutMs`. Set it lower than `timeoutMs` to leave room for a retry after a hang. */
  headersTimeoutMs?: number;
  /** Per attempt, between body chunks; default `timeoutMs`. */
  bodyTimeoutMs?: number;
  /** Per-call deadline: the whole call, retries and backoff included. */
  timeoutMs: number;
  /** Bulkhead: attempts in flight (default 64). */
  maxConcurrency?: number;
  /** Callers that may wait for a slot beyond the cap (default 256); past that, calls fail fast with 'overloaded'. */
  maxQueue?: number;
  retry?: RetryOptions;
  breaker?: BreakerOptions;
  /**
   * Per-attempt headers (auth, ...), merged over the defaults and under the request's own headers. Use
   * lower-case names. Called before the attempt queues for a bulkhead slot, and raced against the deadline.
   * What it throws ends the call unretried and is passed through as is.
   */
  headers?: (signal: AbortSignal) => Record<string, string> | Promise<Record<string, string>>;
  /**
   * Credentials per attempt (`createTokenAuth`): merged over `headers()` and under the request's own headers.
   * A 401 answer to an attempt drops the credential it carried and replays the call once with a fresh one,
   * inside the same deadline: a write too, since a 401 is the vendor refusing it. A credential that cannot be
   * had fails the call unsent (kind `auth_failed` when the vendor refused the login).
   */
  auth?: UpstreamAuth;
  /**
   * Largest vendor body read, any status (default 8 MiB). A bigger one (by `content-length`, or as it streams)
   * is cut off, its socket destroyed, and the call fails with kind `too_large`, unretried.
   */
  maxResponseBytes?: number;
  /** Injected dispatcher (undici MockAgent in tests). When given no Pool is made, and `close()` leaves it open. */
  dispatcher?: Dispatcher;
  logger?: UpstreamLogger;
}

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /**
   * Relative to the base URL's path (`odata.svc/Customers(5)`; a leading slash is fine); may carry a query
   * string. Not encoded here: encode ids you put in a path segment.
   */
  path: string;
  /** Appended, URL-encoded (spaces as %20; `$ , : @ /` and `( ) '` kept readable). Undefined values are skipped. */
  query?: QueryParams;
  /** JSON-encoded once per call. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * The GraphQL request's signal: aborting it aborts the call and its socket, until the request is dispatched;
   * after that, only for calls with `abortAfterDispatch` (see there).
   */
  signal?: AbortSignal;
  /**
   * Whether `signal` may still abort the call once a request is on the wire. Default: true for GET, false for
   * POST/PUT/PATCH/DELETE. A write the caller's going away cut off mid-flight would have an unknown outcome;
   * instead it runs to its own deadline (`timeoutMs`) and its answer is returned, so it is known. Before the
   * dispatch (waiting for a credential, a bulkhead slot or a socket) the signal always aborts, and nothing is sent.
   */
  abortAfterDispatch?: boolean;
  /** Retried only when true; default true for GET only. Say true for a PUT/DELETE only when the vendor truly makes it so. */
  idempotent?: boolean;
  /** Overrides the upstream's `timeoutMs` for this call (0 or less: fails at once with 'timeout'). */
  timeoutMs?: number;
  /** A route name for logs and metrics (`customers.get`): never the raw path with ids or query. */
  operation: string;
}

export interface UpstreamResponse<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; undefined when the body was empty. */
  data: T;
}

export interface UpstreamStats {
  /** `requestJson` calls made. */
  requests: number;
  /** `requestJson` calls that rejected, for any reason (4xx and caller aborts included). */
  failures: number;
  /** Attempts holding a bulkhead slot. */
  inFlight: number;
  /** Callers waiting for a bulkhead slot. */
  queued: number;
  breaker: BreakerState;
}

export interface Upstream {
  readonly vendor: VendorName;
  requestJson<T = unknown>(req: UpstreamRequest): Promise<UpstreamResponse<T>>;
  stats(): UpstreamStats;
  /**
   * Drains, then closes: new calls (and the next attempt of a call in backoff or in the bulkhead queue)
   * fail with kind 'network', causeCode 'UPSTREAM_CLOSED'; attempts already sent run to completion (each is
   * bounded by its deadline); then the Pool's sockets close. An injected dispatcher is left open.
   */
  close(): Promise<void>;
}

/** One upstream (Pool + deadline + retry + circuit breaker + bulkhead) per vendor origin. Process-lived. */
export function createUpstream(opts: UpstreamOptions): Upstream {
  return new HttpUpstream(opts);
}

/** Everything one `requestJson` call carries between its attempts. */
interface Call {
  readonly req: UpstreamRequest;
  readonly target: string;
  readonly body: string | undefined;
  readonly deadline: Deadline;
  /** The caller's signal stops reaching the call once an attempt is dispatched (`abortAfterDispatch` false). */
  readonly detachOnDispatch: boolean;
  /** Attempts started so far, a 401 replay's included. */
  attempts: number;
  /** Attempts made before the current pass of the retry loop (the 401 replay starts a second pass). */
  attemptBase: number;
  /** Set when a failure must not be retried whatever it looks like (it came from `headers()` or `auth`). */
  noRetry: boolean;
  /** How far the attempts so far got: the strongest of their deliveries. */
  delivery: UpstreamDelivery;
  /** The credential the latest attempt carried, for the 401 replay. */
  authHeaders: AuthHeaders | undefined;
  /** The call was already replayed after a 401. */
  replayed: boolean;
}

const ACCEPT_JSON: Readonly<Record<string, string>> = Object.freeze({ accept: 'application/json' });
const SEND_JSON: Readonly<Record<string, string>> = Object.freeze({
  accept: 'application/json',
  'content-type': 'application/json',
});
/** An error body kept for vendor mappers is cut to this when it is not JSON. */
const MAX_TEXT_BODY = 4096;
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * Failures that, when undici reports them for a request it never dispatched, prove nothing was written: the
 * connection could not be made, or undici refused the request itself. Anything else without a dispatch
 * (a reset during a TLS handshake, an error from a foreign dispatcher) reads `maybe`.
 */
const NOT_SENT_CAUSE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

class HttpUpstream implements Upstream {
  readonly vendor: VendorName;
  readonly #origin: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #headersTimeoutMs: number;
  readonly #bodyTimeoutMs: number;
  readonly #dispatcher: Dispatcher;
  readonly #pool: Pool | undefined;
  readonly #headersFn: UpstreamOptions['headers'];
  readonly #auth: UpstreamAuth | undefined;
  readonly #maxResponseBytes: number;
  readonly #logger: UpstreamLogger | undefined;
  readonly #retry: RetryPolicy<Call>;
  readonly #breaker: CircuitBreaker;
  readonly #bulkhead: Bulkhead;
  readonly #attempt: (call: Call, attempt: number) => Promise<UpstreamResponse<unknown>>;
  #requests = 0;
  #failures = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(opts: UpstreamOptions) {
    this.vendor = opts.vendor;
    const { origin, prefix } = parseBaseUrl(opts.baseUrl);
    this.#origin = origin;
    this.#prefix = prefix;
    this.#timeoutMs = ms(opts.timeoutMs, undefined, 'timeoutMs');
    this.#headersTimeoutMs = ms(opts.headersTimeoutMs, this.#timeoutMs, 'headersTimeoutMs');
    this.#bodyTimeoutMs = ms(opts.bodyTimeoutMs, this.#timeoutMs, 'bodyTimeoutMs');
    this.#headersFn = opts.headers;
    this.#auth = opts.auth;
    this.#maxResponseBytes = positive(opts.maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, 'maxResponseBytes', 'bytes');
    this.#logger = opts.logger;
    this.#retry = new RetryPolicy<Call>(opts.retry, classifyForRetry);
    this.#breaker = new CircuitBreaker(opts.breaker, (from, to) => {
      this.#logger?.warn({ vendor: this.vendor, from, to }, `upstream circuit ${to}`);
    });
    this.#bulkhead = new Bulkhead(opts.maxConcurrency ?? 64, opts.maxQueue ?? 256);
    if (opts.dispatcher) {
      this.#dispatcher = opts.dispatcher;
      this.#pool = undefined;
    } else {
      this.#pool = new Pool(origin, {
        connections: opts.connections ?? 32,
        connect: {
          timeout: ms(opts.connectTimeoutMs, 2000, 'connectTimeoutMs'),
          keepAlive: true,
          keepAliveInitialDelay: 60_000,
        },
        headersTimeout: this.#headersTimeoutMs,
        bodyTimeout: this.#bodyTimeoutMs,
        keepAliveTimeout: 4_000,
        keepAliveMaxTimeout: 60_000,
      });
      this.#dispatcher = this.#pool;
    }
    this.#attempt = this.#runAttempt.bind(this);
    this.#closing = undefined;
  }

  async requestJson<T = unknown>(req: UpstreamRequest): Promise<UpstreamResponse<T>> {
    this.#requests++;
    let target: string;
    let body: string | undefined;
    try {
      target = buildRequestTarget(this.#prefix, req.path, req.query);
      body = req.body === undefined ? undefined : JSON.stringify(req.body);
    } catch (err) {
      this.#failures++;
      throw err;
    }
    const deadline = new Deadline(req.timeoutMs ?? this.#timeoutMs, req.signal);
    const call: Call = {
      req,
      target,
      body,
      deadline,
      detachOnDispatch: req.signal !== undefined && !(req.abortAfterDispatch ?? req.method === 'GET'),
      attempts: 0,
      attemptBase: 0,
      noRetry: false,
      delivery: 'not_sent',
      authHeaders: undefined,
      replayed: false,
    };
    const idempotent = req.idempotent ?? req.method === 'GET';
    try {
      try {
        return (await this.#retry.execute(call, this.#attempt, deadline, idempotent)) as UpstreamResponse<T>;
      } catch (err) {
        if (!this.#mayReplay(call, err, idempotent)) throw err;
        // The vendor refused the credential: drop it (if still current), and run the call once more.
        this.#auth!.invalidate(call.authHeaders!);
        call.replayed = true;
        call.attemptBase = call.attempts;
        return (await this.#retry.execute(call, this.#attempt, deadline, idempotent)) as UpstreamResponse<T>;
      }
    } catch (err) {
      this.#failures++;
      // The deadline fired during a backoff sleep: the sleep rejected with a plain AbortError.
      if (!(err instanceof UpstreamError) && deadline.cause !== undefined && !call.noRetry) throw this.#deadlineError(call, 'not_sent');
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /** A 401 to a credentialed call not yet replayed, that either may run again or provably had no effect. */
  #mayReplay(call: Call, err: unknown, idempotent: boolean): boolean {
    return (
      this.#auth !== undefined &&
      !call.replayed &&
      call.authHeaders !== undefined &&
      err instanceof UpstreamError &&
      err.kind === 'http' &&
      err.status === 401 &&
      (idempotent || !err.mayHaveApplied)
    );
  }

  stats(): UpstreamStats {
    return {
      requests: this.#requests,
      failures: this.#failures,
      inFlight: this.#bulkhead.inFlight,
      queued: this.#bulkhead.queued,
      breaker: this.#breaker.state,
    };
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.#pool ? this.#pool.close() : Promise.resolve();
    return this.#closing;
  }

  /** One attempt: breaker permit -> headers -> bulkhead slot -> exchange (request, body read once) -> classify. */
  async #runAttempt(call: Call, attempt: number): Promise<UpstreamResponse<unknown>> {
    const deadline = call.deadline;
    if (deadline.cause === undefined && deadline.remaining() <= 0) deadline.expire();
    if (deadline.cause !== undefined) throw this.#deadlineError(call, 'not_sent');
    if (this.#closed) throw this.#error(call, 'network', 'not_sent', { causeCode: 'UPSTREAM_CLOSED' });
    // Counted from here: an attempt the breaker or the bulkhead refuses still counts, one never begun does not.
    call.attempts = call.attemptBase + attempt;

    const started = performance.now();
    const permit = this.#breaker.tryAcquire();
    if (permit === PERMIT_DENIED) {
      const err = this.#error(call, 'circuit_open', 'not_sent');
      this.#logAttempt(call, 0, started, err);
      throw err;
    }
    let outcome: BreakerOutcome = 'neutral';
    let status = 0;
    let failure: unknown;
    try {
      let headers = this.#headersFor(call);
      if (headers instanceof Promise) headers = await headers;
      if (!this.#bulkhead.tryAcquire()) {
        if (!this.#bulkhead.hasRoom()) throw this.#error(call, 'overloaded', 'not_sent');
        try {
          await this.#bulkhead.acquire(deadline.signal);
        } catch {
          throw this.#deadlineError(call, 'not_sent');
        }
      }
      let answer: ExchangeAnswer;
      let exchange: Exchange | undefined;
      try {
        if (this.#closed) throw this.#error(call, 'network', 'not_sent', { causeCode: 'UPSTREAM_CLOSED' });
        if (deadline.cause !== undefined) throw this.#deadlineError(call, 'not_sent');
        exchange = new Exchange(deadline.signal, this.#maxResponseBytes, call.detachOnDispatch ? deadline : undefined);
        this.#dispatch(call, headers, exchange);
        answer = await exchange.promise;
      } catch (err) {
        if (exchange === undefined) throw err;
        status = exchange.status;
        const delivery = exchangeDelivery(exchange);
        if (exchange.failure === 'too_large') {
          // The vendor answered; an oversized body says nothing about its health unless it was a 5xx.
          outcome = status >= 500 ? 'failure' : 'success';
          throw this.#error(call, 'too_large', delivery, status > 0 ? { status } : undefined);
        }
        if (deadline.cause !== undefined) {
          outcome = deadline.cause === 'timeout' ? 'failure' : 'neutral';
          throw this.#deadlineError(call, delivery);
        }
        const causeCode = causeCodeOf(exchange.error);
        if (causeCode === 'UND_ERR_HEADERS_TIMEOUT' || causeCode === 'UND_ERR_BODY_TIMEOUT') {
          outcome = 'failure';
          throw this.#error(call, 'timeout', delivery, { causeCode });
        }
        // Our own shutdown, or a request undici refused to send (bad header value...), says nothing about the vendor.
        outcome =
          causeCode === 'UND_ERR_CLOSED' || causeCode === 'UND_ERR_DESTROYED' || causeCode === 'UND_ERR_INVALID_ARG'
            ? 'neutral'
            : 'failure';
        throw this.#error(call, 'network', delivery, causeCode === undefined ? undefined : { causeCode });
      } finally {
        this.#bulkhead.release();
      }

      status = answer.status;
      const text = answer.text;
      let data: unknown;
      let json = true;
      if (text.length > 0) {
        try {
          data = JSON.parse(text);
        } catch {
          json = false;
        }
      }
      if (status >= 200 && status < 300) {
        outcome = 'success';
        if (!json) throw this.#error(call, 'bad_response', 'applied', { status });
        return { status, headers: answer.headers, data };
      }
      const body = json ? data : text.slice(0, MAX_TEXT_BODY);
      const retryAfterSeconds = parseRetryAfter(answer.headers['retry-after']);
      // 429 is "throttled", not "broken"; 4xx is the vendor answering. Only 5xx counts against the breaker.
      outcome = status >= 500 ? 'failure' : 'success';
      throw this.#error(call, status === 429 ? 'rate_limited' : 'http', deliveryFromStatus(status), {
        status,
        retryAfterSeconds,
        body,
      });
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      this.#breaker.record(permit, outcome);
      this.#logAttempt(call, status, started, failure);
    }
  }

  #dispatch(call: Call, headers: Readonly<Record<string, string>>, exchange: Exchange): void {
    try {
      this.#dispatcher.dispatch(
        {
          origin: this.#origin,
          path: call.target,
          method: call.req.method,
          headers,
          body: call.body,
          headersTimeout: this.#headersTimeoutMs,
          bodyTimeout: this.#bodyTimeoutMs,
        },
        exchange,
      );
    } catch (err) {
      // undici reports through the handler; a dispatcher that throws instead is read the same way.
      exchange.onResponseError(undefined, err as Error);
    }
  }

  /**
   * Defaults < `headers()` < `auth` < the request's headers. Synchronous (no promise, no allocation when there
   * is nothing to merge) unless `headers()` or `auth` answers a promise.
   */
  #headersFor(call: Call): Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>> {
    const defaults = call.body === undefined ? ACCEPT_JSON : SEND_JSON;
    const own = call.req.headers;
    const fn = this.#headersFn;
    const auth = this.#auth;
    if (fn === undefined && auth === undefined) return own === undefined ? defaults : { ...defaults, ...own };
    let extra: Record<string, string> | Promise<Record<string, string>> | undefined;
    let credential: AuthHeaders | Promise<AuthHeaders> | undefined;
    try {
      extra = fn?.(call.deadline.signal);
    } catch (err) {
      throw this.#headersFailed(call, err);
    }
    try {
      credential = auth?.headers(call.deadline.signal);
    } catch (err) {
      if (extra instanceof Promise) extra.then(undefined, noop); // abandoned: no unhandled rejection
      throw this.#authFailed(call, err);
    }
    if (extra instanceof Promise || credential instanceof Promise) return this.#awaitHeaders(call, extra, credential, defaults, own);
    call.authHeaders = credential;
    return { ...defaults, ...extra, ...credential, ...own };
  }

  async #awaitHeaders(
    call: Call,
    pendingExtra: Record<string, string> | Promise<Record<string, string>> | undefined,
    pendingCredential: AuthHeaders | Promise<AuthHeaders> | undefined,
    defaults: Readonly<Record<string, string>>,
    own: Record<string, string> | undefined,
  ): Promise<Readonly<Record<string, string>>> {
    let extra: Record<string, string> | undefined;
    let credential: AuthHeaders | undefined;
    try {
      extra = pendingExtra instanceof Promise ? await raceSignal(pendingExtra, call.deadline.signal) : pendingExtra;
    } catch (err) {
      // Abandoned: its failure, if any, must not surface as an unhandled rejection.
      if (pendingCredential instanceof Promise) pendingCredential.then(undefined, noop);
      throw this.#headersFailed(call, err);
    }
    try {
      credential = pendingCredential instanceof Promise ? await raceSignal(pendingCredential, call.deadline.signal) : pendingCredential;
    } catch (err) {
      throw this.#authFailed(call, err);
    }
    call.authHeaders = credential;
    return { ...defaults, ...extra, ...credential, ...own };
  }

  /** `headers()` failed: the deadline's error if that is why, else its own error, passed through and never retried. */
  #headersFailed(call: Call, err: unknown): unknown {
    if (call.deadline.cause !== undefined) return this.#deadlineError(call, 'not_sent');
    call.noRetry = true;
    return err;
  }

  /**
   * No credential: the call fails unsent and unretried (the authenticator paces its own logins). Its
   * UpstreamError is re-issued under this call's operation; a 4xx from it reads `auth_failed`, so no vendor
   * mapper takes the login's 404 for the call's own.
   */
  #authFailed(call: Call, err: unknown): unknown {
    if (call.deadline.cause !== undefined) return this.#deadlineError(call, 'not_sent');
    call.noRetry = true;
    if (!(err instanceof UpstreamError)) return err;
    const refused = err.kind === 'auth_failed' || (err.kind === 'http' && err.isClientError);
    return this.#error(call, refused ? 'auth_failed' : err.kind, 'not_sent', {
      ...(err.status !== undefined ? { status: err.status } : {}),
      ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
      ...(err.causeCode !== undefined ? { causeCode: err.causeCode } : {}),
    });
  }

  /** This attempt's failure; `delivery` is how far this attempt got, folded into the call's. */
  #error(
    call: Call,
    kind: UpstreamErrorKind,
    delivery: UpstreamDelivery,
    extra?: Pick<UpstreamErrorInit, 'status' | 'retryAfterSeconds' | 'body' | 'causeCode'>,
  ): UpstreamError {
    call.delivery = strongerDelivery(call.delivery, delivery);
    return new UpstreamError({
      vendor: this.vendor,
      kind,
      operation: call.req.operation,
      attempts: call.attempts,
      delivery: call.delivery,
      ...extra,
    });
  }

  #deadlineError(call: Call, delivery: UpstreamDelivery): UpstreamError {
    return this.#error(call, call.deadline.cause === 'aborted' ? 'aborted' : 'timeout', delivery);
  }

  /** One debug line per attempt: no path, query, body or header value, ever. */
  #logAttempt(call: Call, status: number, started: number, failure: unknown): void {
    const logger = this.#logger;
    if (logger === undefined || (logger.isLevelEnabled !== undefined && !logger.isLevelEnabled('debug'))) return;
    const line: Record<string, unknown> = {
      vendor: this.vendor,
      operation: call.req.operation,
      method: call.req.method,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      attempt: call.attempts,
    };
    if (failure instanceof UpstreamError) {
      line.kind = failure.kind;
      if (failure.causeCode !== undefined) line.causeCode = failure.causeCode;
      line.delivery = failure.delivery;
    } else if (failure !== undefined) {
      line.kind = 'headers_failed';
    }
    logger.debug(line, 'upstream attempt');
  }
}

/** What the retry layer may retry (it already knows the call's idempotency and the deadline). */
function classifyForRetry(err: unknown, call: Call): number | undefined {
  if (call.noRetry || !(err instanceof UpstreamError)) return undefined;
  switch (err.kind) {
    case 'http':
    case 'rate_limited':
      if (err.status === undefined || !isRetryableStatus(err.status)) return undefined;
      return err.retryAfterSeconds === undefined ? 0 : err.retryAfterSeconds * 1000;
    case 'network':
    case 'timeout':
      // A timeout without a cause code is the call's own deadline: never retried.
      return err.causeCode !== undefined && RETRYABLE_CAUSE_CODES.has(err.causeCode) ? 0 : undefined;
    default:
      return undefined;
  }
}

/** How far one exchange got: the answer's status says, else whether undici dispatched it, else what failed. */
function exchangeDelivery(exchange: Exchange): UpstreamDelivery {
  if (exchange.status !== 0) return deliveryFromStatus(exchange.status);
  if (exchange.dispatched) return 'maybe';
  if (exchange.failure === 'aborted') return 'not_sent';
  const code = causeCodeOf(exchange.error);
  return code !== undefined && NOT_SENT_CAUSE_CODES.has(code) ? 'not_sent' : 'maybe';
}

function causeCodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function noop(): void {}

function ms(value: number | undefined, fallback: number | undefined, name: string): number {
  return positive(value, fallback, name, 'ms');
}

function positive(value: number | undefined, fallback: number | undefined, name: string, unit: string): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new RangeError(`upstream ${name} must be a positive number of ${unit}`);
  return value;
}
