import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConsentLedger, type ConsentLedger } from './consent-ledger.js';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { runMigrations } from './migrations/runner.js';
import { openPostgresDatabase } from './postgres.js';
import { createPinAttempts, type PinAttempts } from './pin-attempts.js';
import type { SqlDatabase } from './sql.js';
import { openSqliteDatabase } from './sqlite.js';
import { createWebhookInbox, type WebhookInbox } from './webhook-inbox.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface Store {
  readonly kind: StoreKind;
  /** Throws if the database cannot answer (used by /readyz). */
  ping(signal?: AbortSignal): Promise<void>;
  readonly idempotency: IdempotencyStore;
  /** The append-only consent ledger (no update or delete path). */
  readonly ledger: ConsentLedger;
  /** Durable webhook callbacks, processed exactly once across replicas. */
  readonly inbox: WebhookInbox;
  /** Wrong SMS PINs per phone and purpose, and the lock they lead to, shared by every replica. */
  readonly pinAttempts: PinAttempts;
  /** Idempotent. Afterwards every call rejects with StoreClosedError. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** postgres:// or postgresql:// URL: use PostgreSQL. Unset: SQLite at `<dataDir>/switchboard.sqlite`. */
  databaseUrl?: string | undefined;
  /** Created if missing. Used by SQLite only. */
  dataDir: string;
  /** PostgreSQL schema for every connection's search_path (tests isolate with it; production leaves it unset). */
  pgSchema?: string | undefined;
  /** Default 10. */
  pgPoolMax?: number | undefined;
  /** How long to wait for a pooled connection. Default 5000. */
  pgConnectionTimeoutMs?: number | undefined;
  /** Default 30000. */
  pgIdleTimeoutMs?: number | undefined;
  /** Errors of idle pooled connections; ignored by default (the next query fails and /readyz reports it). */
  onPoolError?: ((error: Error) => void) | undefined;
  /** SQLite busy_timeout. Default 5000. */
  sqliteBusyTimeoutMs?: number | undefined;
  /**
   * The clock idempotency leases and expiries, inbox leases and due times, PIN locks, and the ledger's recordedAt
   * are judged on. Default: the database's, so replicas with drifting clocks agree. A test seam: production leaves it unset.
   */
  clock?: (() => Date) | undefined;
}

export const SQLITE_FILE_NAME = 'switchboard.sqlite';

function openDatabase(opts: OpenStoreOptions): SqlDatabase {
  if (opts.databaseUrl !== undefined && opts.databaseUrl !== '') {
    // The URL may carry a password: name the problem, never the value.
    if (!/^postgres(ql)?:\/\//.test(opts.databaseUrl)) {
      throw new Error('databaseUrl must start with postgres:// or postgresql://');
    }
    return openPostgresDatabase({
      url: opts.databaseUrl,
      schema: opts.pgSchema,
      poolMax: opts.pgPoolMax ?? 10,
      connectionTimeoutMs: opts.pgConnectionTimeoutMs ?? 5_000,
      idleTimeoutMs: opts.pgIdleTimeoutMs ?? 30_000,
      onPoolError: opts.onPoolError,
    });
  }
  mkdirSync(opts.dataDir, { recursive: true });
  return openSqliteDatabase({
    file: join(opts.dataDir, SQLITE_FILE_NAME),
    busyTimeoutMs: opts.sqliteBusyTimeoutMs ?? 5_000,
  });
}

/** Opens the store (PostgreSQL when `databaseUrl` is set, else SQLite) and applies pending migrations. */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const db = openDatabase(opts);
  try {
    await runMigrations(db);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return {
    kind: db.dialect,
    ping: (signal) => db.ping(signal),
    idempotency: createIdempotencyStore(db, { clock: opts.clock }),
    ledger: createConsentLedger(db, { clock: opts.clock }),
    inbox: createWebhookInbox(db, { clock: opts.clock }),
    pinAttempts: createPinAttempts(db, { clock: opts.clock }),
    close: () => db.close(),
  };
}
