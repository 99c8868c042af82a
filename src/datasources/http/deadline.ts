import { setTimeout as sleepTimer } from 'node:timers/promises';

export type DeadlineCause = 'timeout' | 'aborted';

/**
 * The budget of one vendor call, retries and backoff included: one AbortSignal that fires when `timeoutMs`
 * has passed or the caller's signal aborts, whichever comes first. `cause` says which.
 *
 * Hot path: one AbortController and one clearable timer per call, and the caller's signal is followed with
 * this object as the listener (`handleEvent`), so no closure is made. `AbortSignal.timeout()` is avoided on
 * purpose: its timers cannot be cleared and stay armed for the full timeout after the call is done, and
 * `AbortSignal.any()` measured about twice as slow. Always `dispose()` (the upstream does it in `finally`).
 */
export class Deadline {
  readonly signal: AbortSignal;
  /** `performance.now()` at which the budget runs out. */
  readonly expiresAt: number;
  /** Why the signal fired; undefined while it has not. The first cause wins. */
  cause: DeadlineCause | undefined;
  readonly #controller: AbortController;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #parent: AbortSignal | undefined;

  constructor(timeoutMs: number, parent?: AbortSignal) {
    this.#controller = new AbortController();
    this.signal = this.#controller.signal;
    this.cause = undefined;
    this.#timer = undefined;
    this.#parent = undefined;
    const budget = timeoutMs > 0 ? timeoutMs : 0;
    this.expiresAt = performance.now() + budget;
    if (parent?.aborted) {
      this.#abort('aborted', parent.reason);
      return;
    }
    if (budget === 0) {
      this.#abort('timeout', undefined);
      return;
    }
    this.#timer = setTimeout(expire, budget, this);
    if (parent) {
      this.#parent = parent;
      parent.addEventListener('abort', this);
    }
  }

  /** Milliseconds left (0 or less once spent). */
  remaining(): number {
    return this.expiresAt - performance.now();
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    this.#abort('aborted', this.#parent?.reason);
  }

  /** The budget ran out (the timer, or a check that found `remaining() <= 0`). */
  expire(): void {
    this.#abort('timeout', undefined);
  }

  /**
   * Stops following the caller's signal and keeps the timer: from now on only `timeoutMs` ends the call. For a
   * write already dispatched, whose outcome would become unknown if the caller's going away cut it off.
   */
  detachCaller(): void {
    if (this.#parent !== undefined) {
      this.#parent.removeEventListener('abort', this);
      this.#parent = undefined;
    }
  }

  /** Clears the timer and stops following the caller's signal. Idempotent. */
  dispose(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.detachCaller();
  }

  #abort(cause: DeadlineCause, reason: unknown): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    this.dispose();
    this.#controller.abort(
      cause === 'timeout' ? new DOMException('The upstream deadline was exceeded.', 'TimeoutError') : (reason ?? abortedReason()),
    );
  }
}

function expire(deadline: Deadline): void {
  deadline.expire();
}

function abortedReason(): DOMException {
  return new DOMException('The caller aborted the upstream call.', 'AbortError');
}

/** Waits `ms`, or rejects as soon as the deadline fires (the timer is cleared either way). */
export function sleep(ms: number, deadline: Deadline): Promise<void> {
  return sleepTimer(ms, undefined, { signal: deadline.signal });
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts (the work itself goes on). */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
