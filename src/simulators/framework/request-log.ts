/**
 * In-memory ring buffer of the requests a simulator answered (control routes under /__sim are not logged).
 * `seq` keeps increasing across clear() so `since` polling stays valid.
 */

/** What happened to a request when a fault was injected; null when it was served normally. */
export type FaultOutcome = 'error' | 'hang' | 'reset' | null;

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
  /** HTTP status sent; 0 when no response was sent (hang or reset fault). */
  readonly status: number;
  /** Time from arrival until the response was finished (0 for hang/reset). */
  readonly durationMs: number;
  readonly fault: FaultOutcome;
}

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
  /** Append an entry (the server does this; seq is assigned here). */
  record(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry;
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

  const ordered = (): RequestLogEntry[] => {
    const out: RequestLogEntry[] = [];
    const start = (head - size + capacity) % capacity;
    for (let i = 0; i < size; i++) {
      const e = ring[(start + i) % capacity];
      if (e !== undefined) out.push(e);
    }
    return out;
  };

  return {
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
    record(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
      seq += 1;
      sinceClear += 1;
      const full: RequestLogEntry = Object.freeze({ seq, ...entry });
      ring[head] = full;
      head = (head + 1) % capacity;
      if (size < capacity) size++;
      return full;
    },
  };
}
