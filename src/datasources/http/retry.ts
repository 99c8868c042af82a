import { type Deadline, sleep } from './deadline.js';

export interface RetryOptions {
  /** Total attempts, the first included. Default 3. */
  maxAttempts?: number;
  /** Backoff base. Default 50 ms. */
  baseDelayMs?: number;
  /** Backoff cap. Default 1000 ms. */
  maxDelayMs?: number;
}

/**
 * Reads a failure: `undefined` means "do not retry"; a number means "retryable, but wait at least this many
 * ms" (the vendor's Retry-After, or 0).
 */
export type RetryClassifier<S> = (err: unknown, state: S) => number | undefined;

/** One attempt of a call. Bound once per upstream and handed the call's state, so a call makes no closure. */
export type Attempt<S, T> = (state: S, attempt: number) => Promise<T>;

/** Statuses worth another attempt of an idempotent call. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * Low-level failures worth another attempt of an idempotent call: the connection was refused, reset or cut,
 * or the vendor went silent (connect, headers or body timeout of a single attempt).
 */
export const RETRYABLE_CAUSE_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * `Retry-After` as whole seconds from now (RFC 9110 §10.2.3: delta-seconds or an HTTP-date). A date in the
 * past reads 0; anything unreadable reads undefined.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) {
    const seconds = Number(raw);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  // Every HTTP-date form starts with a day name; Date.parse alone would read '-5' as a year.
  if (!/^[A-Za-z]/.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/**
 * Retries idempotent calls with capped exponential backoff and full jitter (AWS: sleep = random(0,
 * min(cap, base * 2^n))), inside the call's deadline:
 * - a non-idempotent call gets exactly one attempt;
 * - the wait before attempt n+1 is max(the vendor's Retry-After, the jittered backoff);
 * - when that wait does not fit in what is left of the deadline, the last failure is thrown at once (with its
 *   `retryAfterSeconds`) rather than sleeping into a timeout;
 * - the deadline firing during a backoff sleep rejects the sleep (the caller reads the deadline's cause).
 */
export class RetryPolicy<S> {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;

  constructor(
    options: RetryOptions | undefined,
    private readonly classify: RetryClassifier<S>,
    private readonly random: () => number = Math.random,
  ) {
    this.maxAttempts = positiveInt(options?.maxAttempts, 3, 'retry.maxAttempts', 1);
    this.baseDelayMs = positiveInt(options?.baseDelayMs, 50, 'retry.baseDelayMs', 0);
    this.maxDelayMs = positiveInt(options?.maxDelayMs, 1000, 'retry.maxDelayMs', 0);
  }

  /** Full-jitter delay after the `attempt`-th attempt failed (1-based): random in [0, min(max, base * 2^(attempt-1))). */
  backoff(attempt: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  async execute<T>(state: S, attempt: Attempt<S, T>, deadline: Deadline, idempotent: boolean): Promise<T> {
    const maxAttempts = idempotent ? this.maxAttempts : 1;
    for (let n = 1; ; n++) {
      try {
        return await attempt(state, n);
      } catch (err) {
        if (n >= maxAttempts || deadline.cause !== undefined) throw err;
        const atLeastMs = this.classify(err, state);
        if (atLeastMs === undefined) throw err;
        const waitMs = Math.max(atLeastMs, this.backoff(n));
        if (waitMs >= deadline.remaining()) throw err;
        if (waitMs > 0) await sleep(waitMs, deadline);
      }
    }
  }
}

export function positiveInt(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a number >= ${min}`);
  return Math.floor(value);
}
