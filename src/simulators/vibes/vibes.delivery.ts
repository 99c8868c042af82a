/**
 * The callback delivery engine: sends each (registration, event) pair to the registration's destination and
 * follows Vibes' retry contract (compliance-and-reliability.md 2.4, sourced from the callbacks page's "HTTP
 * responses" digest): 2xx = done; 4xx = permanent, never retried; 3xx, 5xx and network errors (refused, reset,
 * timeout) = retried with exponential backoff until `maxAttempts`, then given up (Vibes' failure queue).
 *
 * (inferred) Vibes' actual schedule is not published (its older Vibes Connect product retries every 5 minutes,
 * at most 5 times, with a 2-second timeout). Here: attempt n failing waits min(maxDelayMs, baseDelayMs * 2^(n-1))
 * before attempt n+1; defaults 1 s, 60 s, 6 attempts (1 + 5 retries), 5 s per attempt.
 *
 * Deliveries go out one at a time, in queue order, each finishing (including its retries) before the next starts:
 * the order a receiver sees is deterministic, which is what the reorder control needs. Controls:
 *   hold() / release('fifo' | 'reverse')  queue new deliveries without sending, then release them in that order
 *   duplicateNext(count, copies)          the next `count` deliveries are sent `copies` times (identical bodies)
 * Every attempt is logged (event id, callback id, type, attempt, copy, status, outcome; never URL or body).
 * Tests inject `sleep` (the framework's SimSleeper) so backoff takes no real time and its delays are asserted
 * from the log's `retryInMs`, never measured.
 */
import { Agent, request } from 'undici';

import type { SimSleeper } from '../framework/server.js';
import { timerSleeper } from '../framework/server.js';
import type { CallbackRegistration, DestinationContentType, DestinationMethod } from './vibes.callback-registry.js';
import { callbackPayload } from './vibes.callback-payload.js';
import type { SubscriptionEvent } from './vibes.callback-payload.js';
import type { SubscriptionCallbackType } from './vibes.model.js';

export interface CallbackRequest {
  readonly url: string;
  readonly method: DestinationMethod;
  readonly contentType: DestinationContentType;
  readonly body: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** Sends one attempt; resolves with the receiver's status, rejects on a network error or timeout. */
export type CallbackTransport = (req: CallbackRequest) => Promise<{ readonly status: number }>;

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 6 });
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5000;

/** The wait after failed attempt `attempt` (1-based). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const { baseDelayMs, maxDelayMs, maxAttempts } = policy;
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) throw new RangeError('baseDelayMs must be a number >= 0');
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) throw new RangeError('maxDelayMs must be a number >= baseDelayMs');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be an integer >= 1');
  return Object.freeze({ baseDelayMs, maxDelayMs, maxAttempts });
}

/**
 * delivered: 2xx. retry: 3xx/5xx/network error, another attempt follows after `retryInMs`. rejected: 4xx, never
 * retried. gave_up: 3xx/5xx/network error on the last attempt.
 */
export type DeliveryOutcome = 'delivered' | 'retry' | 'rejected' | 'gave_up';

export interface DeliveryLogEntry {
  /** 1-based, increasing for the life of the dispatcher (across clears). */
  readonly seq: number;
  /** When the attempt finished (the simulator's clock). */
  readonly at: string;
  readonly eventId: string;
  readonly callbackId: string;
  readonly type: SubscriptionCallbackType;
  /** The body's delivery_attempt. */
  readonly attempt: number;
  /** 1 normally; 2 or 3 for the extra copies of a duplicated delivery. */
  readonly copy: number;
  /** The receiver's HTTP status; 0 when there was none (network error or timeout). */
  readonly status: number;
  readonly outcome: DeliveryOutcome;
  readonly error: 'network' | 'timeout' | null;
  /** For 'retry': the backoff before the next attempt. */
  readonly retryInMs: number | null;
}

export interface DeliveryFilter {
  readonly eventId?: string;
  readonly callbackId?: string;
  readonly type?: SubscriptionCallbackType;
  readonly outcome?: DeliveryOutcome;
  readonly copy?: number;
}

export type ReleaseOrder = 'fifo' | 'reverse';

export interface DuplicateSetting {
  /** Deliveries still to be duplicated. */
  readonly remaining: number;
  readonly copies: number;
}

export interface DispatcherOptions {
  readonly transport: CallbackTransport;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly sleep?: SimSleeper;
  /** Epoch ms (the simulator's clock). */
  readonly now: () => number;
  /** Log entries kept (oldest dropped first); default 10 000. */
  readonly logCapacity?: number;
}

interface Job {
  readonly registration: CallbackRegistration;
  readonly event: SubscriptionEvent;
  readonly copy: number;
}

export const MAX_COPIES = 3;

function matches(entry: DeliveryLogEntry, filter: DeliveryFilter): boolean {
  return (
    (filter.eventId === undefined || entry.eventId === filter.eventId) &&
    (filter.callbackId === undefined || entry.callbackId === filter.callbackId) &&
    (filter.type === undefined || entry.type === filter.type) &&
    (filter.outcome === undefined || entry.outcome === filter.outcome) &&
    (filter.copy === undefined || entry.copy === filter.copy)
  );
}

function isTimeout(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.includes('TIMEOUT');
}

export class CallbackDispatcher {
  private queue: Job[] = [];
  private heldJobs: Job[] = [];
  private holding = false;
  private duplicate: DuplicateSetting = { remaining: 0, copies: 2 };
  private entries: DeliveryLogEntry[] = [];
  private seq = 0;
  private running = false;
  private closed = false;
  /** Aborted by reset() and close(): the running attempt, its backoff sleep and its remaining retries end. */
  private generation = new AbortController();
  private readonly logWaiters = new Set<() => void>();
  private readonly idleWaiters = new Set<() => void>();
  private readonly sleep: SimSleeper;
  private readonly capacity: number;

  constructor(private readonly options: DispatcherOptions) {
    this.sleep = options.sleep ?? timerSleeper;
    this.capacity = options.logCapacity ?? 10_000;
  }

  /** Queue the event for one registration (held, or duplicated, as the controls say). */
  enqueue(registration: CallbackRegistration, event: SubscriptionEvent): void {
    if (this.closed) return;
    let copies = 1;
    if (this.duplicate.remaining > 0) {
      copies = this.duplicate.copies;
      this.duplicate = { ...this.duplicate, remaining: this.duplicate.remaining - 1 };
    }
    for (let copy = 1; copy <= copies; copy++) {
      const job: Job = { registration, event, copy };
      if (this.holding) this.heldJobs.push(job);
      else this.queue.push(job);
    }
    this.kick();
  }

  hold(): void {
    this.holding = true;
  }

  /** Stop holding and send what was held, oldest first or newest first. Returns how many were released. */
  release(order: ReleaseOrder): number {
    const released = order === 'reverse' ? [...this.heldJobs].reverse() : [...this.heldJobs];
    this.heldJobs = [];
    this.holding = false;
    this.queue.push(...released);
    this.kick();
    return released.length;
  }

  isHolding(): boolean {
    return this.holding;
  }

  heldCount(): number {
    return this.heldJobs.length;
  }

  /** The next `count` deliveries go out `copies` times (2 or 3); count 0 switches it off. */
  duplicateNext(count: number, copies: number): DuplicateSetting {
    if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be an integer >= 0');
    if (!Number.isInteger(copies) || copies < 2 || copies > MAX_COPIES) throw new RangeError(`copies must be 2..${MAX_COPIES}`);
    this.duplicate = { remaining: count, copies };
    return this.duplicate;
  }

  duplicateSetting(): DuplicateSetting {
    return this.duplicate;
  }

  deliveries(filter: DeliveryFilter = {}): DeliveryLogEntry[] {
    return this.entries.filter((e) => matches(e, filter));
  }

  clearLog(): void {
    this.entries = [];
  }

  /**
   * Resolves with the matching entries once at least `count` are logged (at once if they already are). Never
   * resolves if they never come: the caller's timeout or `signal` ends the wait.
   */
  waitForDeliveries(count: number, filter: DeliveryFilter = {}, signal?: AbortSignal): Promise<DeliveryLogEntry[]> {
    return new Promise<DeliveryLogEntry[]>((resolve, reject) => {
      const check = (): boolean => {
        const found = this.deliveries(filter);
        if (found.length < count) return false;
        this.logWaiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        resolve(found);
        return true;
      };
      const waiter = (): void => {
        check();
      };
      const onAbort = (): void => {
        this.logWaiters.delete(waiter);
        reject(signal?.reason);
      };
      if (check()) return;
      if (signal?.aborted === true) {
        reject(signal.reason);
        return;
      }
      this.logWaiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves when nothing is queued or being sent (held deliveries do not count). */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.idleWaiters.add(resolve);
    });
  }

  /** Drop queued and held deliveries, stop the one in flight, clear the log and the controls. */
  reset(): void {
    this.generation.abort();
    this.generation = new AbortController();
    this.queue = [];
    this.heldJobs = [];
    this.holding = false;
    this.duplicate = { remaining: 0, copies: 2 };
    this.entries = [];
  }

  close(): void {
    this.closed = true;
    this.reset();
  }

  private kick(): void {
    if (this.running || this.closed || this.queue.length === 0) return;
    this.running = true;
    void this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (let job = this.queue.shift(); job !== undefined; job = this.queue.shift()) {
        await this.deliver(job, this.generation.signal);
      }
    } finally {
      this.running = false;
      for (const resolve of [...this.idleWaiters]) resolve();
      this.idleWaiters.clear();
    }
  }

  private async deliver(job: Job, signal: AbortSignal): Promise<void> {
    const { registration: reg, event, copy } = job;
    const { retry, timeoutMs, transport } = this.options;
    for (let attempt = 1; !signal.aborted; attempt++) {
      const body = JSON.stringify(callbackPayload(event, reg.callbackId, reg.apiVersion, attempt));
      let status = 0;
      let error: 'network' | 'timeout' | null = null;
      try {
        status = (
          await transport({
            url: reg.destination.url,
            method: reg.destination.method,
            contentType: reg.destination.contentType,
            body,
            timeoutMs,
            signal,
          })
        ).status;
      } catch (err) {
        error = isTimeout(err) ? 'timeout' : 'network';
      }
      if (signal.aborted) return;
      const base = { eventId: event.eventId, callbackId: reg.callbackId, type: event.type, attempt, copy, status, error };
      if (error === null && status >= 200 && status < 300) {
        this.record({ ...base, outcome: 'delivered', retryInMs: null });
        return;
      }
      if (error === null && status >= 400 && status < 500) {
        this.record({ ...base, outcome: 'rejected', retryInMs: null });
        return;
      }
      if (attempt >= retry.maxAttempts) {
        this.record({ ...base, outcome: 'gave_up', retryInMs: null });
        return;
      }
      const delay = backoffDelay(retry, attempt);
      this.record({ ...base, outcome: 'retry', retryInMs: delay });
      try {
        await this.sleep(delay, signal);
      } catch {
        // A sleeper may reject when reset()/close() aborts it; the loop condition ends the delivery.
      }
    }
  }

  private record(entry: Omit<DeliveryLogEntry, 'seq' | 'at'>): void {
    this.seq += 1;
    this.entries.push(Object.freeze({ seq: this.seq, at: new Date(this.options.now()).toISOString(), ...entry }));
    if (this.entries.length > this.capacity) this.entries.shift();
    for (const waiter of [...this.logWaiters]) waiter();
  }
}

/** The default transport: undici over its own connection pool, closed with the simulator. */
export function createHttpTransport(): { readonly send: CallbackTransport; close(): Promise<void> } {
  const agent = new Agent({ keepAliveTimeout: 4000 });
  return {
    async send(req) {
      const res = await request(req.url, {
        method: req.method,
        headers: { 'content-type': req.contentType },
        body: req.body,
        signal: req.signal,
        dispatcher: agent,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      await res.body.dump();
      return { status: res.statusCode };
    },
    close: () => agent.destroy(),
  };
}
