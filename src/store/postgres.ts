import pg from 'pg';
import { raceAbort, StoreClosedError, type SqlDatabase, type SqlExecutor, type SqlValue } from './sql.js';

export interface PostgresOptions {
  /** postgres:// or postgresql:// URL. Never echoed into errors or logs: it may hold a password. */
  readonly url: string;
  /** Sets `search_path` for every pooled connection (appended to any `options` in the URL). */
  readonly schema?: string | undefined;
  readonly poolMax: number;
  readonly connectionTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Errors of idle pooled clients (e.g. the server restarted). Without a listener they would crash the process. */
  readonly onPoolError?: ((error: Error) => void) | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The URL with `-c search_path=<schema>` appended to its `options` parameter (pg lets the URL win over config). */
export function withSearchPath(url: string, schema: string): string {
  if (!IDENTIFIER.test(schema)) throw new Error('pgSchema must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)');
  const parsed = new URL(url);
  const existing = parsed.searchParams.get('options');
  parsed.searchParams.set('options', `${existing ? `${existing} ` : ''}-c search_path=${schema}`);
  return parsed.toString();
}

function executor(run: (text: string, params?: readonly SqlValue[]) => Promise<pg.QueryResult>): Omit<SqlExecutor, 'transaction'> {
  return {
    dialect: 'postgres',
    query: async <R extends object>(text: string, params: readonly SqlValue[] = []) =>
      (await run(text, params)).rows as R[],
    execute: async (text, params = []) => (await run(text, params)).rowCount ?? 0,
    // No parameters: pg uses the simple query protocol, which accepts several statements.
    script: async (text) => {
      await run(text);
    },
  };
}

export function openPostgresDatabase(options: PostgresOptions): SqlDatabase {
  const pool = new pg.Pool({
    connectionString: options.schema === undefined ? options.url : withSearchPath(options.url, options.schema),
    max: options.poolMax,
    connectionTimeoutMillis: options.connectionTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs,
    application_name: 'switchboard',
  });
  pool.on('error', (error) => options.onPoolError?.(error));
  let closed = false;

  const run = (text: string, params?: readonly SqlValue[]): Promise<pg.QueryResult> => {
    if (closed) return Promise.reject(new StoreClosedError());
    return params === undefined ? pool.query(text) : pool.query(text, [...params]);
  };

  const transaction = async <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> => {
    if (closed) throw new StoreClosedError();
    const client = await pool.connect();
    let active = true;
    let broken = false;
    // A checked-out client has no pool listener: a connection that dies now (PostgreSQL restarted, the network cut)
    // would throw its 'error' as an uncaught exception and end the process. The failed query rejects anyway.
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    const tx: SqlExecutor = {
      ...executor((text, params) => {
        if (!active) return Promise.reject(new Error('transaction already finished'));
        return params === undefined ? client.query(text) : client.query(text, [...params]);
      }),
      transaction: () => Promise.reject(new Error('transactions do not nest')),
    };
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is unusable: destroy it rather than return it to the pool
      }
      throw error;
    } finally {
      active = false;
      client.off('error', onError);
      client.release(broken);
    }
  };

  return {
    ...executor(run),
    transaction,
    ping: async (signal) => {
      signal?.throwIfAborted();
      await raceAbort(run('SELECT 1'), signal);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
