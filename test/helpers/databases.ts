/**
 * The databases every store test runs against: `describe.each(testDatabases)('... ($label)', (db) => ...)`.
 *
 * - SQLite: always; each isolated database is a fresh temp dir.
 * - PostgreSQL: when TEST_DATABASE_URL is set; each isolated database is a fresh schema `sb_test_<random>`
 *   (passed to openStore as `pgSchema`, i.e. the pool's search_path), dropped afterwards.
 *   Unset: under CI (process.env.CI set) every PostgreSQL test FAILS with the reason; elsewhere it is skipped
 *   with the reason (in the suite label and as the skip note).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, onTestFinished } from 'vitest';
import { openStore, SQLITE_FILE_NAME, type OpenStoreOptions, type Store, type StoreKind } from '../../src/store/store.js';

export interface IsolatedDatabase {
  readonly kind: StoreKind;
  /** What to pass to openStore to reach this database. */
  readonly options: OpenStoreOptions;
  /** openStore on this database; the store is closed by dispose() if the test did not close it. */
  open(extra?: Partial<OpenStoreOptions>): Promise<Store>;
  /** Queries the database directly, bypassing the store (assertions, tampering). `$1` placeholders. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly (string | number | null)[]): Promise<R[]>;
  /** Closes the stores opened here and deletes the database (temp dir / schema). Idempotent. */
  dispose(): Promise<void>;
}

export interface TestDatabase {
  readonly kind: StoreKind;
  /** For suite titles: the kind, plus the reason when the database is unavailable. */
  readonly label: string;
  /** Set when the database cannot be used in this run. */
  readonly unavailable?: { readonly reason: string; readonly fail: boolean };
  /** A new, empty, isolated database. */
  create(): Promise<IsolatedDatabase>;
}

function tracker(): { track(store: Store): Store; closeAll(): Promise<void> } {
  const stores = new Set<Store>();
  return {
    track(store) {
      stores.add(store);
      return store;
    },
    async closeAll() {
      await Promise.all([...stores].map((s) => s.close()));
      stores.clear();
    },
  };
}

const sqlite: TestDatabase = {
  kind: 'sqlite',
  label: 'sqlite',
  async create() {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-store-'));
    const stores = tracker();
    let disposed = false;
    return {
      kind: 'sqlite',
      options: { dataDir },
      open: async (extra) => stores.track(await openStore({ dataDir, ...extra })),
      async query<R>(sql: string, params: readonly (string | number | null)[] = []) {
        const db = new DatabaseSync(join(dataDir, SQLITE_FILE_NAME));
        try {
          return db.prepare(sql.replace(/\$(\d+)/g, '?$1')).all(...params) as R[];
        } finally {
          db.close();
        }
      },
      async dispose() {
        if (disposed) return;
        disposed = true;
        await stores.closeAll();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

function postgres(url: string | undefined): TestDatabase {
  if (!url) {
    const fail = Boolean(process.env.CI);
    const reason = fail
      ? 'TEST_DATABASE_URL is not set, but CI is: PostgreSQL store tests must run in CI ' +
        '(set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)'
      : 'TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)';
    return {
      kind: 'postgres',
      label: `postgres (${fail ? 'FAILING' : 'skipped'}: TEST_DATABASE_URL is not set)`,
      unavailable: { reason, fail },
      create: () => Promise.reject(new Error(reason)),
    };
  }
  return {
    kind: 'postgres',
    label: 'postgres',
    async create() {
      const schema = `sb_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url, application_name: 'switchboard-tests' });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA ${schema}`);
      } catch (error) {
        await admin.end();
        throw error;
      }
      const stores = tracker();
      const options: OpenStoreOptions = { databaseUrl: url, dataDir: join(tmpdir(), 'switchboard-unused'), pgSchema: schema, pgPoolMax: 4 };
      let disposed = false;
      return {
        kind: 'postgres',
        options,
        open: async (extra) => stores.track(await openStore({ ...options, ...extra })),
        async query<R>(sql: string, params: readonly (string | number | null)[] = []) {
          await admin.query(`SET search_path TO ${schema}`);
          return (await admin.query(sql, [...params])).rows as R[];
        },
        async dispose() {
          if (disposed) return;
          disposed = true;
          try {
            await stores.closeAll();
            await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          } finally {
            await admin.end();
          }
        },
      };
    },
  };
}

export const testDatabases: readonly TestDatabase[] = [sqlite, postgres(process.env.TEST_DATABASE_URL)];

export interface TestDatabaseContext {
  /** The isolated database of this suite (created in beforeAll). */
  readonly db: IsolatedDatabase;
  /** A store opened on it in beforeAll. */
  readonly store: Store;
}

/**
 * Call inside the describe.each body: one isolated database and one open store for the suite, torn down
 * afterwards; skips or fails every test when the database is unavailable (see the header).
 */
export function useTestDatabase(database: TestDatabase): TestDatabaseContext {
  let db: IsolatedDatabase | undefined;
  let store: Store | undefined;
  const { unavailable } = database;
  if (unavailable) {
    beforeEach((ctx) => {
      if (unavailable.fail) throw new Error(unavailable.reason);
      ctx.skip(unavailable.reason);
    });
  } else {
    beforeAll(async () => {
      db = await database.create();
      store = await db.open();
    });
    afterAll(async () => {
      await db?.dispose();
    });
  }
  return {
    get db() {
      if (!db) throw new Error('the test database is not set up (used outside a test?)');
      return db;
    },
    get store() {
      if (!store) throw new Error('the test store is not set up (used outside a test?)');
      return store;
    },
  };
}

/** Call inside a test: a fresh isolated database, disposed of when the test ends. */
export async function freshDatabase(database: TestDatabase): Promise<IsolatedDatabase> {
  const db = await database.create();
  onTestFinished(() => db.dispose());
  return db;
}
