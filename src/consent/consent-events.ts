import type { RedisConsentEventsOptions } from './consent-events.redis.js';
import type { ConsentEvent } from './consent.types.js';

/**
 * Live consent events: every ledger event, pushed as it is recorded (GraphQL `consentChanged(number)`).
 *
 * `subscribe` registers at once (an event published right after the call reaches it) and returns an async
 * iterator that ends when `signal` aborts, when the consumer calls `return()` (graphql-ws does when the client
 * completes or disconnects), or when the hub closes. A consumer that falls `maxQueue` events behind gets
 * ConsentEventsOverflowError instead of an ever-growing queue: it should re-read the history and subscribe again.
 *
 * Delivery is best effort: the ledger is the record. In-process here; across replicas through Redis in
 * consent-events.redis.ts (the same interface).
 */
export interface ConsentEvents {
  /** Delivers to the subscribers (of every replica, with Redis). Call after the ledger write committed. */
  publish(event: ConsentEvent): Promise<void>;
  /** Every event, or those of one E.164 number. */
  subscribe(number?: string | undefined, signal?: AbortSignal | undefined): AsyncIterableIterator<ConsentEvent>;
  /** Live subscriptions in this process (a metrics gauge; tests check that ended ones are gone). */
  readonly subscriberCount: number;
  /** Ends every subscription and releases connections. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_SUBSCRIBER_QUEUE = 1_000;

export class ConsentEventsOverflowError extends Error {
  constructor() {
    super('consent events: the subscriber fell too far behind and was dropped; re-read the history and subscribe again');
    this.name = 'ConsentEventsOverflowError';
  }
}

export class ConsentEventsClosedError extends Error {
  constructor() {
    super('consent events: closed');
    this.name = 'ConsentEventsClosedError';
  }
}

/** One subscriber's queue and iterator. */
class Subscriber implements AsyncIterableIterator<ConsentEvent> {
  private readonly queue: ConsentEvent[] = [];
  private waiting: { resolve: (r: IteratorResult<ConsentEvent>) => void; reject: (e: unknown) => void } | undefined;
  private finished = false;
  private failure: Error | undefined;
  private readonly onAbort = (): void => this.end();

  constructor(
    private readonly number: string | undefined,
    private readonly maxQueue: number,
    private readonly detach: (s: Subscriber) => void,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get active(): boolean {
    return !this.finished;
  }

  deliver(event: ConsentEvent): void {
    if (this.finished || (this.number !== undefined && event.number !== this.number)) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
    } else if (this.queue.length >= this.maxQueue) {
      this.fail(new ConsentEventsOverflowError());
    } else {
      this.queue.push(event);
    }
  }

  /** Ends the iteration: queued events are dropped, a pending next() resolves done. */
  end(): void {
    if (this.finished) return;
    this.finish();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ value: undefined, done: true });
  }

  private fail(error: Error): void {
    if (this.finished) return;
    this.finish();
    this.failure = error;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) {
      this.failure = undefined;
      waiting.reject(error);
    }
  }

  private finish(): void {
    this.finished = true;
    this.queue.length = 0;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.detach(this);
  }

  next(): Promise<IteratorResult<ConsentEvent>> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve({ value: queued, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    if (this.waiting) return Promise.reject(new Error('consent events: next() called again before the previous one settled'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<ConsentEvent>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ConsentEvent> {
    return this;
  }
}

/** The local subscribers of one process; both implementations deliver through it. */
export class SubscriberHub {
  private readonly subscribers = new Set<Subscriber>();
  private closed = false;

  constructor(private readonly maxQueue: number = DEFAULT_SUBSCRIBER_QUEUE) {
    if (!Number.isSafeInteger(maxQueue) || maxQueue < 1) throw new RangeError('consent events: maxQueue must be a positive integer');
  }

  get size(): number {
    return this.subscribers.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  subscribe(number: string | undefined, signal: AbortSignal | undefined): AsyncIterableIterator<ConsentEvent> {
    const subscriber = new Subscriber(number, this.maxQueue, (s) => this.subscribers.delete(s), signal);
    if (this.closed || signal?.aborted) subscriber.end();
    else this.subscribers.add(subscriber);
    return subscriber;
  }

  deliver(event: ConsentEvent): void {
    // Frozen: every subscriber sees the same object, and none can change it under the others.
    const shared = Object.isFrozen(event) ? event : Object.freeze({ ...event });
    for (const subscriber of [...this.subscribers]) subscriber.deliver(shared);
  }

  close(): void {
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.end();
  }
}

export interface InProcessConsentEventsOptions {
  /** Events a subscriber may fall behind before it is dropped. Default 1000. */
  readonly maxQueue?: number | undefined;
}

/** One process, no fan-out: the default without REDIS_URL. */
export function createInProcessConsentEvents(options: InProcessConsentEventsOptions = {}): ConsentEvents {
  const hub = new SubscriberHub(options.maxQueue);
  return {
    async publish(event) {
      if (hub.isClosed) throw new ConsentEventsClosedError();
      hub.deliver(event);
    },
    subscribe: (number, signal) => hub.subscribe(number, signal),
    get subscriberCount() {
      return hub.size;
    },
    async close() {
      hub.close();
    },
  };
}

export interface OpenConsentEventsOptions {
  /** REDIS_URL: set, events fan out across replicas through Redis; unset, in-process. */
  readonly redisUrl?: string | undefined;
  readonly redis?: Omit<RedisConsentEventsOptions, 'url' | 'maxQueue'> | undefined;
  readonly maxQueue?: number | undefined;
}

/** The composition root's entry point. The Redis client is loaded only when a URL is set. */
export async function openConsentEvents(options: OpenConsentEventsOptions = {}): Promise<ConsentEvents> {
  if (options.redisUrl === undefined || options.redisUrl === '') {
    return createInProcessConsentEvents({ maxQueue: options.maxQueue });
  }
  const { openRedisConsentEvents } = await import('./consent-events.redis.js');
  return openRedisConsentEvents({ ...options.redis, maxQueue: options.maxQueue, url: options.redisUrl });
}
