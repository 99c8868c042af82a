import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_ERROR_CODES, IdempotencyError, isIdempotencyError } from '../../../src/store/errors.js';
import { validateIdempotencyKey, type IdempotencyStore } from '../../../src/store/idempotency.js';
import { outcomeUnknownError, runIdempotent } from '../../../src/store/idempotency.run.js';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';
import { validateMigrations } from '../../../src/store/migrations/runner.js';
import { withSearchPath } from '../../../src/store/postgres.js';
import { openStore } from '../../../src/store/store.js';
import { ErrorCodes } from '../../../src/errors/codes.js';

describe('validateIdempotencyKey', () => {
  it('accepts 1 to 255 printable ASCII characters', () => {
    for (const key of ['a', 'x'.repeat(255), '123e4567-e89b-12d3-a456-426614174000', ' !~', 'key with spaces']) {
      expect(() => validateIdempotencyKey(key)).not.toThrow();
    }
  });

  it('rejects everything else with BAD_USER_INPUT, without echoing the key', () => {
    for (const key of ['', 'x'.repeat(256), 'café', 'tab\there', 'line\n', '\u0000', 42, null, undefined]) {
      let caught: unknown;
      try {
        validateIdempotencyKey(key);
      } catch (error) {
        caught = error;
      }
      expect(isIdempotencyError(caught)).toBe(true);
      expect((caught as IdempotencyError).code).toBe('BAD_USER_INPUT');
      if (typeof key === 'string' && key.length > 0) expect((caught as Error).message).not.toContain(key);
    }
  });

  it('runIdempotent validates the key before touching the store or calling fn', async () => {
    const store = new Proxy({} as IdempotencyStore, {
      get: () => () => Promise.reject(new Error('store must not be used')),
    });
    let called = false;
    const run = runIdempotent(store, { principal: 'p', operation: 'op', key: '' }, {}, async () => {
      called = true;
    });
    await expect(run).rejects.toMatchObject({ name: 'IdempotencyError', code: 'BAD_USER_INPUT' });
    expect(called).toBe(false);
  });
});

describe('IdempotencyError', () => {
  it('is an Error', () => {
    const error = new IdempotencyError('IDEMPOTENCY_KEY_REUSED', 'reused');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('IdempotencyError');
  });

  it.each(IDEMPOTENCY_ERROR_CODES)('raises only catalogued codes: %s', (code) => {
    expect(Object.hasOwn(ErrorCodes, code)).toBe(true);
  });

  it('OUTCOME_UNKNOWN says what to do without naming the key or arguments', () => {
    const error = outcomeUnknownError();
    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect(error.message).toMatch(/^The outcome of the earlier request with this idempotency key is unknown; /);
  });
});

describe('migrations list', () => {
  it('is valid: strictly increasing ids, unique snake_case names', () => {
    expect(() => validateMigrations(MIGRATIONS)).not.toThrow();
    expect(MIGRATIONS[0]?.name).toBe('idempotency_keys');
  });

  it('rejects reordered, duplicate or badly named migrations', () => {
    const sql = () => 'SELECT 1';
    expect(() => validateMigrations([{ id: 2, name: 'b', sql }, { id: 1, name: 'a', sql }])).toThrow(/increasing/);
    expect(() => validateMigrations([{ id: 1, name: 'a', sql }, { id: 1, name: 'b', sql }])).toThrow(/increasing/);
    expect(() => validateMigrations([{ id: 1, name: 'a', sql }, { id: 2, name: 'a', sql }])).toThrow(/unique/);
    expect(() => validateMigrations([{ id: 1, name: 'Bad-Name', sql }])).toThrow(/snake_case/);
  });

  it('renders dialect-specific types', () => {
    const migration = MIGRATIONS[0]!;
    const pg = migration.sql({ dialect: 'postgres', timestamp: 'TIMESTAMPTZ', json: 'JSON' });
    expect(pg).toContain('TIMESTAMPTZ');
    expect(pg).not.toContain('JSONB');
  });
});

describe('openStore configuration', () => {
  it('rejects a non-PostgreSQL URL without echoing it (it may hold a password)', async () => {
    const open = openStore({ databaseUrl: 'mysql://user:s3cret@db/x', dataDir: '/nonexistent' });
    await expect(open).rejects.toThrow(/postgres:\/\//);
    await open.catch((error: Error) => expect(error.message).not.toContain('s3cret'));
  });

  it('withSearchPath appends to existing options and only takes plain identifiers', () => {
    const url = new URL(withSearchPath('postgres://u:p@h:5432/db?options=-c%20statement_timeout%3D5s', 'sb_x'));
    expect(url.searchParams.get('options')).toBe('-c statement_timeout=5s -c search_path=sb_x');
    expect(url.password).toBe('p');
    expect(() => withSearchPath('postgres://h/db', 'x; DROP TABLE y')).toThrow(/identifier/);
  });
});
