import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';
import { StoreClosedError } from '../../../src/store/sql.js';
import { openStore, SQLITE_FILE_NAME } from '../../../src/store/store.js';
import { freshDatabase, testDatabases, useTestDatabase } from '../../helpers/databases.js';

const scope = (key: string) => ({ principal: 'tester', operation: 'storeTest', key });

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
              created_at, updated_at, expires_at, locked_until
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
    expect(started.outcome).toBe('started');
    await first.idempotency.complete(scope('persist'), { ok: true });
    await first.close();

    const second = await db.open();
    expect(await second.idempotency.begin(scope('persist'), 'fp')).toEqual({ outcome: 'replay', response: { ok: true } });
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
          // Another connection holds the write lock: the store waits busy_timeout, then gives up.
          raw.exec('BEGIN IMMEDIATE');
          const started = performance.now();
          await expect(store.idempotency.begin(scope('busy'), 'fp')).rejects.toThrow(/locked|busy/i);
          expect(performance.now() - started).toBeGreaterThanOrEqual(150);
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
