import { resolve } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { raceAbort, StoreClosedError, type SqlDatabase, type SqlExecutor, type SqlValue } from './sql.js';

export interface SqliteOptions {
  /** Path of the database file (created if missing; its directory must exist). */
  readonly file: string;
  /** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
  readonly busyTimeoutMs: number;
}

/**
 * Runs tasks one after another. `node:sqlite` is synchronous, so ordinary statements never interleave, but an
 * async transaction callback yields between statements: anything else sent to the same connection (or, with
 * two connections to one file in one process, a BEGIN that would block the event loop on the file lock)
 * must wait for the COMMIT. One queue per file path per process.
 */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  refs = 0;

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

const queues = new Map<string, SerialQueue>();

function acquireQueue(file: string): SerialQueue {
  let queue = queues.get(file);
  if (!queue) {
    queue = new SerialQueue();
    queues.set(file, queue);
  }
  queue.refs += 1;
  return queue;
}

function releaseQueue(file: string, queue: SerialQueue): void {
  queue.refs -= 1;
  if (queue.refs === 0 && queues.get(file) === queue) queues.delete(file);
}

/** `$1` -> `?1`: SQLite's numbered parameters bind positionally, and a number may repeat. */
function toSqliteText(text: string): string {
  return text.replace(/\$(\d+)/g, '?$1');
}

function toSqliteValue(value: SqlValue): SQLInputValue {
  return value instanceof Date ? value.getTime() : value;
}

export function openSqliteDatabase(options: SqliteOptions): SqlDatabase {
  const file = resolve(options.file);
  const db = new DatabaseSync(file);
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }

  const queue = acquireQueue(file);
  const statements = new Map<string, StatementSync>();
  let closed = false;

  const statement = (text: string): StatementSync => {
    let stmt = statements.get(text);
    if (!stmt) {
      stmt = db.prepare(toSqliteText(text));
      statements.set(text, stmt);
    }
    return stmt;
  };
  const bind = (params: readonly SqlValue[]): SQLInputValue[] => params.map(toSqliteValue);

  // Direct, synchronous operations: callers decide whether they go through the queue.
  const direct = {
    query: <R>(text: string, params: readonly SqlValue[]): R[] => statement(text).all(...bind(params)) as R[],
    execute: (text: string, params: readonly SqlValue[]): number => Number(statement(text).run(...bind(params)).changes),
    script: (text: string): void => db.exec(text),
  };

  const queued = <T>(task: () => T | Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new StoreClosedError());
    return queue.run(() => {
      if (closed) throw new StoreClosedError();
      return task();
    });
  };

  const transaction = <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> =>
    queued(async () => {
      let active = true;
      const guard = (): void => {
        if (!active) throw new Error('transaction already finished');
      };
      const tx: SqlExecutor = {
        dialect: 'sqlite',
        query: async <R extends object>(text: string, params: readonly SqlValue[] = []) => {
          guard();
          return direct.query<R>(text, params);
        },
        execute: async (text, params = []) => {
          guard();
          return direct.execute(text, params);
        },
        script: async (text) => {
          guard();
          direct.script(text);
        },
        transaction: () => Promise.reject(new Error('transactions do not nest')),
      };
      // IMMEDIATE takes the write lock now, so another process cannot slip in between our reads and writes.
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      } finally {
        active = false;
      }
    });

  return {
    dialect: 'sqlite',
    query: <R extends object>(text: string, params: readonly SqlValue[] = []) =>
      queued(() => direct.query<R>(text, params)),
    execute: (text, params = []) => queued(() => direct.execute(text, params)),
    script: (text) => queued(() => direct.script(text)),
    transaction,
    ping: async (signal) => {
      signal?.throwIfAborted();
      await raceAbort(
        queued(() => {
          db.prepare('SELECT 1').get();
        }),
        signal,
      );
    },
    close: async () => {
      if (closed) return;
      // Let queued work finish, then refuse new work and close.
      await queue.run(() => undefined);
      if (closed) return;
      closed = true;
      statements.clear();
      db.close();
      releaseQueue(file, queue);
    },
  };
}
