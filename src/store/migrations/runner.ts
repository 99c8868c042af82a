import type { SqlExecutor } from '../sql.js';
import { dialectTypes, MIGRATIONS, type DialectTypes, type Migration } from './index.js';

const BOOTSTRAP = (t: DialectTypes): string => `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  ${t.timestamp} NOT NULL
  )`;

/**
 * PostgreSQL: replicas booting together serialise on a transaction-level advisory lock, keyed by the current
 * schema so that databases sharing a server (or test schemas) do not wait on each other. SQLite needs nothing:
 * the transaction starts with BEGIN IMMEDIATE, which takes the file's write lock.
 */
async function lockMigrations(tx: SqlExecutor): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended('switchboard:schema_migrations:' || coalesce(current_schema(), ''), 0))`,
  );
}

/** Throws unless ids are positive, strictly increasing integers and names are unique snake_case. */
export function validateMigrations(migrations: readonly Migration[]): void {
  const names = new Set<string>();
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.id) || m.id <= previous) {
      throw new Error(`migration ids must be positive and strictly increasing (id ${m.id} after ${previous})`);
    }
    if (!/^[a-z][a-z0-9_]*$/.test(m.name) || names.has(m.name)) {
      throw new Error(`migration ${m.id}: name "${m.name}" must be unique snake_case`);
    }
    names.add(m.name);
    previous = m.id;
  }
}

function checkName(migration: Migration, recorded: string): void {
  if (recorded !== migration.name) {
    throw new Error(
      `schema_migrations: migration ${migration.id} was applied as "${recorded}" but the code calls it ` +
        `"${migration.name}"; migrations must never be renumbered`,
    );
  }
}

/**
 * Applies pending migrations in order, each once, each in its own transaction. Returns the ids it applied.
 * Rows for ids this code does not know (a newer replica migrated first) are left alone.
 */
export async function runMigrations(db: SqlExecutor, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  validateMigrations(migrations);
  const t = dialectTypes(db.dialect);
  await db.transaction(async (tx) => {
    await lockMigrations(tx);
    await tx.script(BOOTSTRAP(t));
  });

  const recorded = new Map(
    (await db.query<{ id: number; name: string }>('SELECT id, name FROM schema_migrations')).map((r) => [
      Number(r.id),
      r.name,
    ]),
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    const seen = recorded.get(migration.id);
    if (seen !== undefined) {
      checkName(migration, seen);
      continue;
    }
    const ran = await db.transaction(async (tx) => {
      await lockMigrations(tx);
      // Another replica may have applied it while we waited for the lock.
      const [row] = await tx.query<{ name: string }>('SELECT name FROM schema_migrations WHERE id = $1', [migration.id]);
      if (row) {
        checkName(migration, row.name);
        return false;
      }
      await tx.script(migration.sql(t));
      await tx.execute('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [
        migration.id,
        migration.name,
        new Date(),
      ]);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return applied;
}
