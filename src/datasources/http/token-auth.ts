import { AsyncLocalStorage } from 'node:async_hooks';
import { VENDOR_DISPLAY_NAMES } from '../../errors/errors.js';
import { raceSignal } from './deadline.js';
import type { UpstreamLogger } from './upstream.js';
import { UpstreamError, type VendorName } from './upstream.errors.js';

/** Headers that authenticate one attempt. Compared by identity: the same object for as long as the credential holds. */
export type AuthHeaders = Readonly<Record<string, string>>;

/**
 * What `createUpstream({ auth })` needs from an authenticator: headers for each attempt, and a way to drop a
 * credential the vendor answered 401 to. On that 401 the upstream calls `invalidate(headersItSent)`, asks for
 * headers again and replays the call once, inside the same deadline.
 */
export interface UpstreamAuth {
  /**
   * The current credential's headers: synchronous while one is held, a promise while one is being fetched.
   * Rejects with an UpstreamError when none can be had; the upstream fails the call with it, unsent.
   */
  headers(signal: AbortSignal): AuthHeaders | Promise<AuthHeaders>;
  /** Drops `used` if it is still the current credential (a concurrent 401 on an older one changes nothing). */
  invalidate(used: AuthHeaders): void;
}

/** What a vendor's login answered. */
export interface TokenGrant {
  /** The bearer token. Never logged, never put in an error. */
  token: string;
  /** Its lifetime from now, as the vendor says (`expires_in`). */
  expiresInSeconds: number;
}

export interface TokenAuthOptions {
  vendor: VendorName;
  /**
   * Logs in and returns a token. Send it through an upstream of its own without `auth` (operation
   * `auth.login`), so it can never recurse into this authenticator; bound it with that upstream's `timeoutMs`.
   * It gets no signal: every waiting call shares the one login, so no single caller's abort may cancel it.
   * A vendor refusing the credentials should reject with the upstream's UpstreamError (kind `http`, a 4xx).
   */
  login: () => Promise<TokenGrant>;
  /** Renew this long before expiry, capped at half the token's lifetime (default 60 s). */
  renewBeforeSeconds?: number;
  /** After the vendor refuses a login, no new login before this has passed; calls fail at once meanwhile (default 10 000 ms). */
  failedLoginBackoffMs?: number;
  /** Milliseconds on a monotonic clock (default `performance.now`). Tests inject one. */
  clock?: () => number;
  logger?: Pick<UpstreamLogger, 'warn'>;
}

export interface TokenAuthStats {
  /** Logins started so far, renewals included. */
  logins: number;
  /** `valid`: a token is held and not expired; `refused`: none, and the next login is not due yet. */
  state: 'none' | 'valid' | 'refused';
}

export interface TokenAuth extends UpstreamAuth {
  stats(): TokenAuthStats;
}

/**
 * Bearer tokens from a login endpoint (RecoveryConnect's `POST /api/v140/auth`), shared by every call of the process:
 * - the first call logs in; calls arriving while a login is in flight wait for that same login (one at a time);
 * - from `renewBeforeSeconds` before expiry, the next call starts a renewal and carries on with the old,
 *   still valid token; an expired token is never sent;
 * - `invalidate` (the upstream's 401 path) drops the token only if it is still the current one, so a burst of
 *   401s on one stale token causes one login, not one per call;
 * - a login the vendor refuses (a 4xx other than 429) opens a window of `failedLoginBackoffMs` in which calls
 *   fail at once with kind `auth_failed` (and `retryAfterSeconds`) without a login; the first call after it logs
 *   in again, so the gateway recovers by itself once the credentials work. Other login failures (timeout,
 *   5xx, circuit open) fail the waiting calls and open no window: the login upstream's breaker paces those.
 */
export function createTokenAuth(options: TokenAuthOptions): TokenAuth {
  return new BearerTokenAuth(options);
}

interface HeldToken {
  readonly headers: AuthHeaders;
  readonly renewAt: number;
  readonly expiresAt: number;
}

/**
 * Which authenticator's `login()` the current async context runs in. A login sent through the very upstream
 * that uses this authenticator would ask it for a token, start another login, and so on without end (the
 * first steps are synchronous, before any login is recorded as pending): `headers()` refuses that instead.
 */
const IN_LOGIN = new AsyncLocalStorage<TokenAuth>();

/** A token is one header value: visible ASCII, no whitespace or separators that could split the header. */
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;

class BearerTokenAuth implements TokenAuth {
  readonly #vendor: VendorName;
  readonly #login: () => Promise<TokenGrant>;
  readonly #renewBeforeMs: number;
  readonly #backoffMs: number;
  readonly #clock: () => number;
  readonly #logger: Pick<UpstreamLogger, 'warn'> | undefined;
  #held: HeldToken | undefined = undefined;
  #pending: Promise<AuthHeaders> | undefined = undefined;
  /** No login before this clock reading (set when the vendor refused one). */
  #refusedUntil = Number.NEGATIVE_INFINITY;
  #refusedStatus: number | undefined = undefined;
  #logins = 0;

  constructor(options: TokenAuthOptions) {
    this.#vendor = options.vendor;
    this.#login = options.login;
    this.#renewBeforeMs = nonNegative(options.renewBeforeSeconds, 60, 'renewBeforeSeconds') * 1000;
    this.#backoffMs = nonNegative(options.failedLoginBackoffMs, 10_000, 'failedLoginBackoffMs');
    this.#clock = options.clock ?? performance.now.bind(performance);
    this.#logger = options.logger;
  }

  headers(signal: AbortSignal): AuthHeaders | Promise<AuthHeaders> {
    if (IN_LOGIN.getStore() === this) {
      return Promise.reject(new Error('token auth: login() must go through an upstream without this auth (it would log in to log in)'));
    }
    const now = this.#clock();
    const held = this.#held;
    if (held !== undefined && now < held.expiresAt) {
      if (now >= held.renewAt && this.#pending === undefined && now >= this.#refusedUntil) {
        // Renew in the background; this call and those after it keep the valid token meanwhile.
        this.#startLogin().catch(noop);
      }
      return held.headers;
    }
    const pending = this.#pending ?? (now >= this.#refusedUntil ? this.#startLogin() : undefined);
    if (pending === undefined) return Promise.reject(this.#refusedError(now));
    return raceSignal(pending, signal);
  }

  invalidate(used: AuthHeaders): void {
    if (this.#held?.headers === used) this.#held = undefined;
  }

  stats(): TokenAuthStats {
    const now = this.#clock();
    const state = this.#held !== undefined && now < this.#held.expiresAt ? 'valid' : now < this.#refusedUntil ? 'refused' : 'none';
    return { logins: this.#logins, state };
  }

  #startLogin(): Promise<AuthHeaders> {
    this.#logins++;
    let login: Promise<TokenGrant>;
    try {
      login = IN_LOGIN.run(this, this.#login);
    } catch (err) {
      login = Promise.reject(err);
    }
    // One catch for both: a login the vendor answered with something unusable is a failed login too.
    const pending = login
      .then((grant) => this.#accept(grant))
      .catch((err: unknown) => {
        throw this.#loginFailed(err);
      });
    this.#pending = pending;
    // Registered before any waiter's reaction, so it runs first: a waiter that resumes finds no login pending.
    const clear = (): void => {
      if (this.#pending === pending) this.#pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }

  #accept(grant: TokenGrant): AuthHeaders {
    const token: unknown = grant?.token;
    const lifetime: unknown = grant?.expiresInSeconds;
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token) || typeof lifetime !== 'number' || !(lifetime > 0) || !Number.isFinite(lifetime)) {
      // Says nothing of what was received: it may be (part of) a token.
      throw new UpstreamError({ vendor: this.#vendor, kind: 'bad_response', operation: 'auth.login', attempts: 1, delivery: 'not_sent' });
    }
    const now = this.#clock();
    const lifetimeMs = lifetime * 1000;
    const headers: AuthHeaders = Object.freeze({ authorization: `Bearer ${token}` });
    this.#held = {
      headers,
      expiresAt: now + lifetimeMs,
      renewAt: now + lifetimeMs - Math.min(this.#renewBeforeMs, lifetimeMs / 2),
    };
    this.#refusedUntil = Number.NEGATIVE_INFINITY;
    this.#refusedStatus = undefined;
    return headers;
  }

  /**
   * A login failure as waiting calls see it. A refusal (a 4xx) and an answer the gateway cannot use (a 2xx without a
   * usable token, or too large) also open the no-login window: asking again at once would get the same answer.
   */
  #loginFailed(err: unknown): unknown {
    if (!(err instanceof UpstreamError)) return err;
    const refused = err.kind === 'http' && err.status !== undefined && err.status >= 400 && err.status < 500;
    const unusable = err.kind === 'bad_response' || err.kind === 'too_large';
    if (!refused && !unusable) return err;
    const now = this.#clock();
    this.#refusedUntil = now + this.#backoffMs;
    this.#refusedStatus = err.status;
    this.#logger?.warn(
      { vendor: this.#vendor, status: err.status, retryInMs: this.#backoffMs },
      refused ? `${VENDOR_DISPLAY_NAMES[this.#vendor]} refused the gateway's login` : `${VENDOR_DISPLAY_NAMES[this.#vendor]} answered the gateway's login without a usable token`,
    );
    return this.#refusedError(now);
  }

  #refusedError(now: number): UpstreamError {
    return new UpstreamError({
      vendor: this.#vendor,
      kind: 'auth_failed',
      operation: 'auth.login',
      attempts: 0,
      ...(this.#refusedStatus !== undefined ? { status: this.#refusedStatus } : {}),
      retryAfterSeconds: Math.max(1, Math.ceil((this.#refusedUntil - now) / 1000)),
      delivery: 'not_sent',
    });
  }
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`tokenAuth ${name} must be a number >= 0`);
  return value;
}

function noop(): void {}
