import type { Dialect, SqlValue } from './sql.js';

/** A statement's bound values: `add` appends one and returns its `$n` placeholder. */
export class SqlParams {
  readonly values: SqlValue[];

  constructor(initial: readonly SqlValue[] = []) {
    this.values = [...initial];
  }

  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The one clock that leases and key expiries are judged on, as SQL. Every replica must judge a lease on the
 * same clock, or a replica whose clock runs fast takes over a claim that is still alive; so by default "now"
 * is the database's: PostgreSQL's `now()` (the start of the statement's transaction, so every use within a
 * statement agrees) and, for SQLite, `julianday('now')` (SQLite runs in-process, so that is the host's clock,
 * which is the only one the replicas sharing one file have; it is also fixed for the duration of a statement).
 *
 * Tests inject `clock` instead: its value is bound as a parameter, so time moves only when the test moves it.
 *
 * Values are in the column encoding (see DialectTypes.timestamp): TIMESTAMPTZ in PostgreSQL, INTEGER epoch
 * milliseconds in SQLite.
 */
export interface StoreClock {
  /** SQL for the current instant. Call once per statement and reuse the text: every use is the same instant. */
  now(params: SqlParams): string;
  /** SQL for `instant` (an SQL expression from `now`) plus `ms` milliseconds. */
  plus(params: SqlParams, instant: string, ms: number): string;
}

// Epoch milliseconds from the Julian day; ROUND because the double arithmetic lands a hair off the millisecond.
const SQLITE_NOW = `CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)`;

export function storeClock(dialect: Dialect, clock?: () => Date): StoreClock {
  // With an injected clock, "now" is its value bound as a parameter; without, the database's own expression.
  const bound = (params: SqlParams): string | undefined => {
    if (!clock) return undefined;
    const instant = clock();
    if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
      throw new TypeError('store clock: the injected clock must return a valid Date');
    }
    return params.add(instant);
  };
  if (dialect === 'postgres') {
    return {
      now: (params) => {
        const placeholder = bound(params);
        return placeholder === undefined ? 'now()' : `CAST(${placeholder} AS TIMESTAMPTZ)`;
      },
      plus: (params, instant, ms) => `(${instant} + CAST(${params.add(ms)} AS DOUBLE PRECISION) * INTERVAL '1 millisecond')`,
    };
  }
  return {
    now: (params) => {
      const placeholder = bound(params);
      return placeholder === undefined ? SQLITE_NOW : `CAST(${placeholder} AS INTEGER)`;
    },
    plus: (params, instant, ms) => `(${instant} + CAST(${params.add(ms)} AS INTEGER))`,
  };
}
