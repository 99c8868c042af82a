/**
 * Caps the attempts in flight to one vendor, so a slow vendor cannot take every socket and every event-loop
 * turn. Up to `maxQueue` callers wait in FIFO order (a doubly linked list: O(1) enqueue, hand-off and
 * removal); a waiter whose signal aborts leaves the queue at once. A freed slot is handed straight to the
 * oldest waiter, so the count never dips and a newcomer cannot overtake the queue.
 *
 * Fast path (a slot is free and nobody waits): `tryAcquire()` is synchronous and allocates nothing.
 */
export class Bulkhead {
  readonly maxConcurrency: number;
  readonly maxQueue: number;
  #inFlight = 0;
  #queued = 0;
  #head: Waiter | undefined;
  #tail: Waiter | undefined;

  constructor(maxConcurrency: number, maxQueue: number) {
    if (!(Number.isInteger(maxConcurrency) && maxConcurrency >= 1)) throw new RangeError('maxConcurrency must be an integer >= 1');
    if (!(Number.isInteger(maxQueue) && maxQueue >= 0)) throw new RangeError('maxQueue must be an integer >= 0');
    this.maxConcurrency = maxConcurrency;
    this.maxQueue = maxQueue;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get queued(): number {
    return this.#queued;
  }

  /** Takes a slot if one is free and nobody is waiting for it. */
  tryAcquire(): boolean {
    if (this.#inFlight < this.maxConcurrency && this.#head === undefined) {
      this.#inFlight++;
      return true;
    }
    return false;
  }

  /** Whether `acquire` would queue rather than overflow. */
  hasRoom(): boolean {
    return this.#queued < this.maxQueue;
  }

  /**
   * Waits for a slot (call after `tryAcquire()` failed and `hasRoom()` held). Resolves holding the slot;
   * rejects with the signal's reason when it aborts first, holding nothing.
   */
  acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const waiter = new Waiter(this, signal);
    const promise = new Promise<void>((resolve, reject) => {
      waiter.resolve = resolve;
      waiter.reject = reject;
    });
    waiter.prev = this.#tail;
    if (this.#tail) this.#tail.next = waiter;
    else this.#head = waiter;
    this.#tail = waiter;
    this.#queued++;
    signal.addEventListener('abort', waiter);
    return promise;
  }

  /** Frees a slot taken by `tryAcquire()` or a resolved `acquire()`; hands it to the oldest waiter if any. */
  release(): void {
    const next = this.#head;
    if (next === undefined) {
      if (this.#inFlight > 0) this.#inFlight--;
      return;
    }
    this.unlink(next);
    next.resolve();
  }

  /** @internal */
  unlink(waiter: Waiter): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    waiter.signal.removeEventListener('abort', waiter);
    this.#queued--;
  }
}

class Waiter {
  prev: Waiter | undefined;
  next: Waiter | undefined;
  resolve: () => void = noop;
  reject: (reason: unknown) => void = noop;

  constructor(
    readonly bulkhead: Bulkhead,
    readonly signal: AbortSignal,
  ) {
    this.prev = undefined;
    this.next = undefined;
  }

  /** The waiter's signal aborted: leave the queue holding nothing. */
  handleEvent(): void {
    this.bulkhead.unlink(this);
    this.reject(this.signal.reason);
  }
}

function noop(): void {}
