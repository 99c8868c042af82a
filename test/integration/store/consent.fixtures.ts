/** Shared by the consent ledger and webhook inbox store tests. */
import { join } from 'node:path';
import type { NewConsentEvent } from '../../../src/consent/consent.types.js';
import { openPostgresDatabase } from '../../../src/store/postgres.js';
import type { SqlDatabase } from '../../../src/store/sql.js';
import { openSqliteDatabase } from '../../../src/store/sqlite.js';
import { SQLITE_FILE_NAME } from '../../../src/store/store.js';
import type { IsolatedDatabase } from '../../helpers/databases.js';

export const DAY = 24 * 60 * 60 * 1000;

/** Valid E.164 numbers (libphonenumber accepts them), one per test that needs its own. */
export const NUMBERS = ['+16515550123', '+16514737960', '+12125550100', '+16789321578', '+14155550199'] as const;

/** The bare SQL backend of a test database, bypassing the store API (for tampering and raw assertions). */
export function openRawDatabase(db: IsolatedDatabase): SqlDatabase {
  const { databaseUrl, dataDir, pgSchema } = db.options;
  if (db.kind === 'postgres') {
    if (databaseUrl === undefined) throw new Error('a PostgreSQL test database has a URL');
    return openPostgresDatabase({ url: databaseUrl, schema: pgSchema, poolMax: 2, connectionTimeoutMs: 5_000, idleTimeoutMs: 1_000 });
  }
  return openSqliteDatabase({ file: join(dataDir, SQLITE_FILE_NAME), busyTimeoutMs: 5_000 });
}

/** A Vibes opt-out for `number` on `listId`, as the processor would record it. */
export function vibesEvent(overrides: Partial<NewConsentEvent> & Pick<NewConsentEvent, 'number'>): NewConsentEvent {
  return {
    purpose: 'MARKETING',
    status: 'REVOKED',
    source: 'VIBES',
    evidence: 'SUBSCRIPTION_CALLBACK',
    occurredAt: new Date('2017-03-15T15:42:23Z'),
    vendorEventId: 'AB234SDFD234',
    listId: '1234',
    detail: { callbackType: 'subscription_removed', reason: 'user_opt_out' },
    ...overrides,
  };
}

/** Four calendar years after `date` (the legal minimum the retention date must reach). */
export function fourYearsAfter(date: Date): Date {
  const later = new Date(date);
  later.setUTCFullYear(later.getUTCFullYear() + 4);
  return later;
}
