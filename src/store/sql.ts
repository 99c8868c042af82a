/**
 * The tiny SQL surface the store implementations are written against. Both dialects take `$1, $2, ...`
 * placeholders (the SQLite backend rewrites them to `?1, ?2, ...`), so one SQL text serves both whenever
 * the dialects agree (INSERT ... ON CONFLICT ... RETURNING does).
 *
 * Timestamps are bound as `Date`: PostgreSQL stores TIMESTAMPTZ, SQLite stores INTEGER epoch milliseconds
 * (the SQLite backend converts). Comparisons work the same in both; reading a timestamp back gives a `Date`
 * in PostgreSQL and a number in SQLite, so convert with `new Date(value)` if you ever select one.
 */
export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | null | Date;

export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  readonly dialect: Dialect;
  /** Rows returned by one statement. */
  query<R extends object = SqlRow>(text: string, params?: readonly SqlValue[]): Promise<R[]>;
  /** Rows changed by one INSERT / UPDATE / DELETE. */
  execute(text: string, params?: readonly SqlValue[]): Promise<number>;
  /** Several statements without parameters (migrations). */
  script(text: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Use only the `tx`
   * handed in inside `fn` (the outer executor waits for the transaction to finish: SQLite has one connection,
   * PostgreSQL may run out of pool clients). Transactions do not nest.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** A backend: an executor that owns its connection(s). */
export interface SqlDatabase extends SqlExecutor {
  ping(signal?: AbortSignal): Promise<void>;
  /** Idempotent; waits for queries already running. */
  close(): Promise<void>;
}

export class StoreClosedError extends Error {
  constructor() {
    super('the store is closed');
    this.name = 'StoreClosedError';
  }
}

/** Rejects when `signal` aborts; otherwise settles like `work`. The work itself is not cancelled. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A timestamp column as read back: a `Date` from PostgreSQL, epoch milliseconds (number or bigint) from SQLite. */
export function readTimestamp(value: unknown): Date {
  const date =
    value instanceof Date ? value : typeof value === 'number' || typeof value === 'bigint' ? new Date(Number(value)) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) throw new TypeError('store: a timestamp column held no timestamp');
  return date;
}

/** Like readTimestamp, for a nullable column. */
export function readOptionalTimestamp(value: unknown): Date | null {
  return value === null || value === undefined ? null : readTimestamp(value);
}
