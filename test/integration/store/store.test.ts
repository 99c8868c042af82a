import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';
import { runMigrations } from '../../../src/store/migrations/runner.js';
import { openPostgresDatabase } from '../../../src/store/postgres.js';
import { StoreClosedError, type SqlDatabase } from '../../../src/store/sql.js';
import { openSqliteDatabase } from '../../../src/store/sqlite.js';
import { openStore, SQLITE_FILE_NAME } from '../../../src/store/store.js';
import { freshDatabase, testDatabases, useTestDatabase, type IsolatedDatabase } from '../../helpers/databases.js';

const scope = (key: string) => ({ principal: 'tester', operation: 'storeTest', key });

/** The bare SQL backend of a test database, without running migrations (to stage older schemas). */
function openRaw(db: IsolatedDatabase): SqlDatabase {
  const { databaseUrl, dataDir, pgSchema } = db.options;
  return db.kind === 'postgres'
    ? openPostgresDatabase({ url: databaseUrl!, schema: pgSchema, poolMax: 2, connectionTimeoutMs: 5_000, idleTimeoutMs: 1_000 })
    : openSqliteDatabase({ file: join(dataDir, SQLITE_FILE_NAME), busyTimeoutMs: 5_000 });
}

const T0 = new Date('2030-01-01T00:00:00.000Z');
const after = (ms: number) => new Date(T0.getTime() + ms);
const KEY_COLUMNS = 'principal, operation, key, fingerprint, state, response, claim_token, created_at, updated_at, expires_at, locked_until';

describe.each(testDatabases)('store ($label)', (database) => {
  const ctx = useTestDatabase(database);

  it('opens with its kind and answers ping', async () => {
    expect(ctx.store.kind).toBe(database.kind);
    await expect(ctx.store.ping()).resolves.toBeUndefined();
  });

  it('records every migration once in schema_migrations', async () => {
    const rows = await ctx.db.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => ({ id: Number(r.id), name: r.name }))).toEqual(
      MIGRATIONS.map((m) => ({ id: m.id, name: m.name })),
    );
  });

  it('creates idempotency_keys with the documented columns', async () => {
    const rows = await ctx.db.query(
      `SELECT principal, operation, key, fingerprint, state, response, claim_token,
              created_at, updated_at, expires_at, locked_until, unknown_cause
       FROM idempotency_keys WHERE 1 = 0`,
    );
    expect(rows).toEqual([]);
  });

  it('is idempotent: opening again applies nothing', async () => {
    const before = await ctx.db.query('SELECT id, name, applied_at FROM schema_migrations ORDER BY id');
    const again = await ctx.db.open();
    await again.ping();
    await again.close();
    expect(await ctx.db.query('SELECT id, name, applied_at FROM schema_migrations ORDER BY id')).toEqual(before);
  });

  it('migrates a fresh database once when several stores open it at the same time', async () => {
    const db = await freshDatabase(database);
    const stores = await Promise.all([db.open(), db.open(), db.open()]);
    await Promise.all(stores.map((s) => s.ping()));
    const rows = await db.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => Number(r.id))).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it('refuses to open when a recorded migration has another name (renumbered migrations)', async () => {
    const db = await freshDatabase(database);
    await (await db.open()).close();
    await db.query(`UPDATE schema_migrations SET name = 'something_else' WHERE id = 1`);
    await expect(db.open()).rejects.toThrow(/applied as "something_else".*renumbered/);
  });

  it('keeps keys across close and reopen', async () => {
    const db = await freshDatabase(database);
    const first = await db.open();
    const started = await first.idempotency.begin(scope('persist'), 'fp');
    if (started.outcome !== 'started') throw new Error(`expected started, got ${started.outcome}`);
    await first.idempotency.complete(scope('persist'), { ok: true }, { claim: started.claim });
    await first.close();

    const second = await db.open();
    expect(await second.idempotency.begin(scope('persist'), 'fp')).toEqual({ outcome: 'replay', response: { ok: true } });
  });

  it('upgrades a database at migration 1 without losing its keys', async () => {
    const db = await freshDatabase(database);
    const raw = openRaw(db);
    try {
      expect(await runMigrations(raw, MIGRATIONS.slice(0, 1))).toEqual([1]);
      const insert = `INSERT INTO idempotency_keys (${KEY_COLUMNS}) VALUES ($1, 'op', $2, 'fp', $3, $4, $5, $6, $6, $7, $8)`;
      await raw.execute(insert, ['p', 'done', 'completed', '{"b":1,"a":2}', 'c1', T0, after(72 * 3600_000), null]);
      await raw.execute(insert, ['p', 'running', 'in_progress', null, 'c2', T0, after(72 * 3600_000), after(60_000)]);
    } finally {
      await raw.close();
    }

    const store = await db.open({ clock: () => after(1_000) });
    const rows = await db.query<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => Number(r.id))).toEqual(MIGRATIONS.map((m) => m.id));
    const replay = await store.idempotency.begin({ principal: 'p', operation: 'op', key: 'done' }, 'fp');
    expect(replay).toEqual({ outcome: 'replay', response: { b: 1, a: 2 } });
    if (replay.outcome === 'replay') expect(JSON.stringify(replay.response)).toBe('{"b":1,"a":2}');
    expect(await store.idempotency.begin({ principal: 'p', operation: 'op', key: 'running' }, 'fp')).toEqual({
      outcome: 'in_progress',
    });
    // The claim written before the upgrade still fences: its holder can record its result.
    await store.idempotency.complete({ principal: 'p', operation: 'op', key: 'running' }, 'ok', { claim: 'c2' });
  });

  it('keeps states consistent: only known states, and a cause exactly when unknown', async () => {
    const db = await freshDatabase(database);
    await (await db.open()).close();
    const raw = openRaw(db);
    try {
      const insert = `INSERT INTO idempotency_keys (${KEY_COLUMNS}, unknown_cause)
                      VALUES ($1, 'op', $1, 'fp', $2, NULL, 'c', $3, $3, $4, NULL, $5)`;
      const row = (key: string, state: string, cause: string | null) => raw.execute(insert, [key, state, T0, after(1), cause]);
      await expect(row('a', 'bogus', null)).rejects.toThrow(/check/i);
      await expect(row('b', 'unknown', null)).rejects.toThrow(/check/i);
      await expect(row('c', 'completed', 'fn_error')).rejects.toThrow(/check/i);
      await expect(row('d', 'unknown', 'fn_error')).resolves.toBe(1);
      await expect(row('e', 'completed', null)).resolves.toBe(1);
    } finally {
      await raw.close();
    }
  });

  it('ping rejects when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(ctx.store.ping(controller.signal)).rejects.toThrow('deadline');
  });

  it('fails ping and every call after close; close is idempotent', async () => {
    const store = await ctx.db.open();
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreClosedError);
    await expect(store.idempotency.begin(scope('closed'), 'fp')).rejects.toBeInstanceOf(StoreClosedError);
    await expect(store.close()).resolves.toBeUndefined();
  });

  it.runIf(database.kind === 'sqlite')('sqlite: creates <dataDir>/switchboard.sqlite in WAL mode with a busy timeout', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'switchboard-store-dir-'));
    try {
      const dataDir = join(parent, 'nested', 'data');
      const store = await openStore({ dataDir, sqliteBusyTimeoutMs: 200 });
      try {
        const file = join(dataDir, SQLITE_FILE_NAME);
        expect(existsSync(file)).toBe(true);
        const raw = new DatabaseSync(file);
        try {
          expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
          // Another connection holds the write lock: the store gives up (after busy_timeout) with SQLITE_BUSY
          // rather than hanging. How long it waited is not asserted: that would be a timing verdict.
          raw.exec('BEGIN IMMEDIATE');
          await expect(store.idempotency.begin(scope('busy'), 'fp')).rejects.toThrow(/locked|busy/i);
          raw.exec('ROLLBACK');
          await expect(store.idempotency.begin(scope('busy'), 'fp')).resolves.toMatchObject({ outcome: 'started' });
        } finally {
          raw.close();
        }
      } finally {
        await store.close();
      }
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it.runIf(database.kind === 'postgres')('postgres: fails to open, without leaking the password, when the server is unreachable', async () => {
    const open = openStore({
      databaseUrl: 'postgres://someone:pa55word@127.0.0.1:1/nowhere',
      dataDir: tmpdir(),
      pgConnectionTimeoutMs: 1_000,
    });
    await expect(open).rejects.toThrow();
    await open.catch((error: Error) => expect(`${error.message} ${error.stack ?? ''}`).not.toContain('pa55word'));
  });
});
