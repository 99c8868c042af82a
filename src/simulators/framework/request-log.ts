/**
 * In-memory ring buffer of the requests a simulator answered (control routes under /__sim are not logged).
 * `seq` keeps increasing across clear() so `since` polling stays valid. waitFor() lets a test wait for a request
 * to reach the simulator without sleeping.
 */
import type { InjectedFault } from './faults.js';

/** What happened to a request when a fault was injected; null when it was served normally. */
export type FaultOutcome = InjectedFault | null;

export interface RequestLogEntry {
  /** 1-based, strictly increasing for the life of the server. */
  readonly seq: number;
  /** ISO timestamp of when the request arrived. */
  readonly at: string;
  readonly method: string;
  /** Decoded pathname, without the query. */
  readonly path: string;
  /**
   * The search string without the leading `?`, percent-decoded and with `+` read as a space. Runs of 7 or more
   * digits (phone numbers, SSNs) are replaced by `[redacted]` unless the server was created with redaction off.
   */
  readonly query: string;
  /**
   * The status the vendor logic produced. 0 when the handler never ran (fault 'hang' or 'reset'). For 'drop' and
   * 'reset_after' the handler ran and this is its status, but the client never received it: check `fault`
   * before reading this as "the client saw".
   */
  readonly status: number;
  /** Measured time from arrival until the response was written or dropped (0 for hang/reset). Not for assertions. */
  readonly durationMs: number;
  /**
   * Injected latency (latencyMs + the jitter drawn) applied to this request, from the settings, not measured:
   * what tests assert instead of timing the response. 0 for 'hang' (it never waits) and where faults do not apply.
   */
  readonly delayMs: number;
  readonly fault: FaultOutcome;
}

/** What record() takes: seq is assigned by the log; delayMs defaults to 0. */
export type RequestLogInput = Omit<RequestLogEntry, 'seq' | 'delayMs'> & { readonly delayMs?: number };

export interface RequestLogFilter {
  method?: string;
  /** Exact pathname, or a regular expression tested against it. */
  path?: string | RegExp;
  status?: number;
  fault?: FaultOutcome;
  /** Only entries with seq greater than this. */
  since?: number;
}

export interface RequestLog {
  readonly capacity: number;
  /** Entries still held, oldest first, optionally filtered. */
  entries(filter?: RequestLogFilter): RequestLogEntry[];
  count(filter?: RequestLogFilter): number;
  clear(): void;
  /** seq of the newest entry ever recorded (0 when none). */
  lastSeq(): number;
  /** Entries recorded since creation or the last clear(), including those the ring already dropped. */
  recorded(): number;
  /** Append an entry (the server does this; seq is assigned here). Listeners run synchronously. */
  record(entry: RequestLogInput): RequestLogEntry;
  /** Call `listener` with every entry recorded from now on. Returns the unsubscribe function. */
  onRecord(listener: (entry: RequestLogEntry) => void): () => void;
  /**
   * The oldest held entry matching `filter`, or else the next one recorded. Pass `since: log.lastSeq()` to wait
   * only for requests that arrive later. Never resolves if none comes: the caller's timeout (or `signal`) ends it.
   */
  waitFor(filter?: RequestLogFilter, options?: { readonly signal?: AbortSignal }): Promise<RequestLogEntry>;
}

function matches(entry: RequestLogEntry, filter: RequestLogFilter): boolean {
  if (filter.since !== undefined && entry.seq <= filter.since) return false;
  if (filter.method !== undefined && entry.method !== filter.method.toUpperCase()) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  if (filter.fault !== undefined && entry.fault !== filter.fault) return false;
  if (filter.path !== undefined) {
    if (typeof filter.path === 'string') {
      if (entry.path !== filter.path) return false;
    } else {
      filter.path.lastIndex = 0;
      if (!filter.path.test(entry.path)) return false;
    }
  }
  return true;
}

export function createRequestLog(capacity = 10_000): RequestLog {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('logCapacity must be a positive integer');
  const ring: (RequestLogEntry | undefined)[] = new Array<RequestLogEntry | undefined>(capacity);
  let head = 0; // next write position
  let size = 0;
  let seq = 0;
  let sinceClear = 0;
  const listeners = new Set<(entry: RequestLogEntry) => void>();

  const ordered = (): RequestLogEntry[] => {
    const out: RequestLogEntry[] = [];
    const start = (head - size + capacity) % capacity;
    for (let i = 0; i < size; i++) {
      const e = ring[(start + i) % capacity];
      if (e !== undefined) out.push(e);
    }
    return out;
  };

  const log: RequestLog = {
    capacity,
    entries(filter?: RequestLogFilter): RequestLogEntry[] {
      const all = ordered();
      return filter === undefined ? all : all.filter((e) => matches(e, filter));
    },
    count(filter?: RequestLogFilter): number {
      if (filter === undefined) return size;
      let n = 0;
      for (const e of ordered()) if (matches(e, filter)) n++;
      return n;
    },
    clear(): void {
      ring.fill(undefined);
      head = 0;
      size = 0;
      sinceClear = 0;
    },
    lastSeq(): number {
      return seq;
    },
    recorded(): number {
      return sinceClear;
    },
    record(entry: RequestLogInput): RequestLogEntry {
      seq += 1;
      sinceClear += 1;
      const full: RequestLogEntry = Object.freeze({ seq, ...entry, delayMs: entry.delayMs ?? 0 });
      ring[head] = full;
      head = (head + 1) % capacity;
      if (size < capacity) size++;
      // Every listener sees the entry even if one throws; the first error is rethrown afterwards.
      let failure: { error: unknown } | undefined;
      for (const listener of [...listeners]) {
        try {
          listener(full);
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure !== undefined) throw failure.error;
      return full;
    },
    onRecord(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    waitFor(filter = {}, options = {}) {
      const held = log.entries(filter)[0];
      if (held !== undefined) return Promise.resolve(held);
      const { signal } = options;
      return new Promise<RequestLogEntry>((resolve, reject) => {
        if (signal?.aborted === true) {
          reject(signal.reason);
          return;
        }
        const onAbort = (): void => {
          unsubscribe();
          reject(signal?.reason);
        };
        const unsubscribe = log.onRecord((entry) => {
          if (!matches(entry, filter)) return;
          unsubscribe();
          signal?.removeEventListener('abort', onAbort);
          resolve(entry);
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
  return log;
}
