import { positiveInt } from './retry.js';

export interface BreakerOptions {
  /** Opens when failures / (failures + successes) in the window reaches this. Default 0.5. */
  failureRatio?: number;
  /** ...and at least this many outcomes were seen in the window. Default 20. */
  minimumCalls?: number;
  /** Rolling window length. Default 10 000 ms. */
  windowMs?: number;
  /** How long it stays open before letting one probe through. Default 5000 ms. */
  openMs?: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What `tryAcquire` granted: nothing (fail fast), a normal call, or the single half-open probe. */
export type BreakerPermit = 0 | 1 | 2;
export const PERMIT_DENIED = 0;
export const PERMIT_CALL = 1;
export const PERMIT_PROBE = 2;

/**
 * How an attempt ended, as the breaker sees it:
 * - `failure`: the vendor is broken or unreachable (network error, timeout, 5xx);
 * - `success`: the vendor answered (2xx, 4xx, and 429: throttled is not broken);
 * - `neutral`: says nothing about the vendor (the caller aborted, the bulkhead refused, no request was sent).
 */
export type BreakerOutcome = 'success' | 'failure' | 'neutral';

const BUCKETS = 10;

/**
 * A circuit breaker counting outcomes in a rolling window of `BUCKETS` time buckets (typed arrays, no
 * allocation per call). Closed -> open when the window holds >= minimumCalls outcomes and the failure ratio
 * is >= failureRatio. Open -> half-open after openMs, checked lazily by the next caller (no timer). Half-open
 * lets exactly one probe through; its success closes the breaker (with a fresh window), its failure re-opens
 * it, a neutral outcome frees the probe slot for the next caller. Outcomes of calls admitted before the
 * breaker left `closed` are ignored: only the probe decides.
 */
export class CircuitBreaker {
  readonly failureRatio: number;
  readonly minimumCalls: number;
  readonly windowMs: number;
  readonly openMs: number;
  #state: BreakerState = 'closed';
  #openedUntil = 0;
  #probeInFlight = false;
  readonly #bucketMs: number;
  readonly #epochs = new Float64Array(BUCKETS).fill(-1);
  readonly #successes = new Uint32Array(BUCKETS);
  readonly #failures = new Uint32Array(BUCKETS);

  constructor(
    options: BreakerOptions | undefined,
    private readonly onStateChange: (from: BreakerState, to: BreakerState) => void = noop,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    const ratio = options?.failureRatio ?? 0.5;
    if (!(ratio > 0 && ratio <= 1)) throw new RangeError('breaker.failureRatio must be in (0, 1]');
    this.failureRatio = ratio;
    this.minimumCalls = positiveInt(options?.minimumCalls, 20, 'breaker.minimumCalls', 1);
    this.windowMs = positiveInt(options?.windowMs, 10_000, 'breaker.windowMs', BUCKETS);
    this.openMs = positiveInt(options?.openMs, 5000, 'breaker.openMs', 0);
    this.#bucketMs = this.windowMs / BUCKETS;
  }

  /** The state as a caller would find it now (an open breaker whose openMs has passed reads half-open). */
  get state(): BreakerState {
    if (this.#state === 'open' && this.now() >= this.#openedUntil) this.#transition('half-open');
    return this.#state;
  }

  tryAcquire(): BreakerPermit {
    switch (this.#state) {
      case 'closed':
        return PERMIT_CALL;
      case 'open':
        if (this.now() < this.#openedUntil) return PERMIT_DENIED;
        this.#transition('half-open');
      // falls through
      case 'half-open':
        if (this.#probeInFlight) return PERMIT_DENIED;
        this.#probeInFlight = true;
        return PERMIT_PROBE;
    }
  }

  /** Reports how an admitted attempt ended. Call exactly once per granted permit. */
  record(permit: BreakerPermit, outcome: BreakerOutcome): void {
    if (permit === PERMIT_PROBE) {
      this.#probeInFlight = false;
      if (this.#state !== 'half-open') return;
      if (outcome === 'success') {
        this.#resetWindow();
        this.#transition('closed');
      } else if (outcome === 'failure') {
        this.#open();
      }
      return;
    }
    if (permit !== PERMIT_CALL || this.#state !== 'closed' || outcome === 'neutral') return;
    const epoch = Math.floor(this.now() / this.#bucketMs);
    const slot = epoch % BUCKETS;
    if (this.#epochs[slot] !== epoch) {
      this.#epochs[slot] = epoch;
      this.#successes[slot] = 0;
      this.#failures[slot] = 0;
    }
    if (outcome === 'success') {
      this.#successes[slot]! += 1;
      return;
    }
    this.#failures[slot]! += 1;
    let failures = 0;
    let total = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const e = this.#epochs[i]!;
      if (e > epoch - BUCKETS && e <= epoch) {
        const f = this.#failures[i]!;
        failures += f;
        total += f + this.#successes[i]!;
      }
    }
    if (total >= this.minimumCalls && failures / total >= this.failureRatio) this.#open();
  }

  #open(): void {
    this.#openedUntil = this.now() + this.openMs;
    this.#transition('open');
  }

  #resetWindow(): void {
    this.#epochs.fill(-1);
    this.#successes.fill(0);
    this.#failures.fill(0);
  }

  #transition(to: BreakerState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    if (to === 'open') this.#resetWindow();
    this.onStateChange(from, to);
  }
}

function noop(): void {}
