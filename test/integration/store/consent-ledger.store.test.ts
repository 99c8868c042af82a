/**
 * The append-only consent ledger on SQLite and PostgreSQL: what append stores, the vendor-event uniqueness,
 * the retention date, corrections, and that neither the code nor a raw SQL client can change or remove an event.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LEDGER_RETENTION_MS, LedgerValidationError } from '../../../src/store/consent-ledger.js';
import { freshDatabase, testDatabases, useTestDatabase } from '../../helpers/databases.js';
import { fourYearsAfter, NUMBERS, openRawDatabase, vibesEvent } from './consent.fixtures.js';
import { manualClock, T0 } from './idempotency.fixtures.js';

const SRC = fileURLToPath(new URL('../../../src', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []))),
  );
  return nested.flat();
}

describe.each(testDatabases)('consent ledger ($label)', (database) => {
  const ctx = useTestDatabase(database);

  it('stores an event with the ledger id, the store clock as recordedAt, and reads it back field for field', async () => {
    const db = await freshDatabase(database);
    const clock = manualClock();
    const store = await db.open({ clock: clock.now });
    const { event, inserted } = await store.ledger.append(
      vibesEvent({ number: NUMBERS[0], actor: 'apikey:ops', detail: { reason: 'user_opt_out', nested: { a: [1, 2] } } }),
    );
    expect(inserted).toBe(true);
    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      number: NUMBERS[0],
      purpose: 'MARKETING',
      status: 'REVOKED',
      source: 'VIBES',
      evidence: 'SUBSCRIPTION_CALLBACK',
      occurredAt: new Date('2017-03-15T15:42:23Z'),
      recordedAt: T0,
      actor: 'apikey:ops',
      vendorEventId: 'AB234SDFD234',
      listId: '1234',
      detail: { reason: 'user_opt_out', nested: { a: [1, 2] } },
      correctsEventId: null,
      retainUntil: new Date(T0.getTime() + LEDGER_RETENTION_MS),
    });
    expect(await store.ledger.get(event.id)).toEqual(event);
    expect(await store.ledger.get('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeUndefined();
  });

  it('sets the retention date at least 4 calendar years after recording, and keeps a later one asked for', async () => {
    const db = await freshDatabase(database);
    const clock = manualClock(new Date('2028-02-29T12:00:00.000Z'));
    const store = await db.open({ clock: clock.now });
    const plain = await store.ledger.append(vibesEvent({ number: NUMBERS[0], vendorEventId: null }));
    expect(plain.event.retainUntil.getTime()).toBeGreaterThanOrEqual(fourYearsAfter(plain.event.recordedAt).getTime());

    const hold = new Date('2040-01-01T00:00:00.000Z');
    const held = await store.ledger.append(vibesEvent({ number: NUMBERS[0], vendorEventId: null, retainUntil: hold }));
    expect(held.event.retainUntil).toEqual(hold);

    // An earlier date than the minimum is raised to the minimum, never stored as asked.
    const early = await store.ledger.append(vibesEvent({ number: NUMBERS[0], vendorEventId: null, retainUntil: new Date('2029-01-01Z') }));
    expect(early.event.retainUntil).toEqual(plain.event.retainUntil);
  });

  it('refuses, in the database too, a retention date under 4 years', async () => {
    const raw = openRawDatabase(ctx.db);
    try {
      const recorded = new Date('2030-01-01T00:00:00.000Z');
      const insert = (id: string, retainUntil: Date) =>
        raw.execute(
          `INSERT INTO consent_events (id, number, purpose, status, source, evidence, occurred_at, recorded_at, retain_until)
           VALUES ($1, $2, 'MARKETING', 'REVOKED', 'VIBES', 'SUBSCRIPTION_CALLBACK', $3, $3, $4)`,
          [id, NUMBERS[4], recorded, retainUntil],
        );
      await expect(insert('raw-short', new Date(recorded.getTime() + LEDGER_RETENTION_MS - 1))).rejects.toThrow(/check/i);
      await expect(insert('raw-ok', new Date(recorded.getTime() + LEDGER_RETENTION_MS))).resolves.toBe(1);
    } finally {
      await raw.close();
    }
  });

  it('returns the stored event, not a second one, when the same vendor event is appended again', async () => {
    const number = NUMBERS[1];
    const first = await ctx.store.ledger.append(vibesEvent({ number, vendorEventId: 'dup-1' }));
    const again = await ctx.store.ledger.append(vibesEvent({ number, vendorEventId: 'dup-1', detail: { other: true } }));
    expect(again).toEqual({ event: first.event, inserted: false });

    // Another status of the same vendor event (an opt-in's PENDING, then GRANTED) is another event.
    const granted = await ctx.store.ledger.append(vibesEvent({ number, vendorEventId: 'dup-1', status: 'GRANTED' }));
    expect(granted.inserted).toBe(true);
    // So are other lists, purposes, numbers and sources.
    for (const other of [
      { listId: '999' },
      { listId: null },
      { purpose: 'ACCOUNT' as const },
      { number: NUMBERS[2] },
      { source: 'LEDGER' as const },
    ]) {
      expect((await ctx.store.ledger.append(vibesEvent({ number, vendorEventId: 'dup-1', ...other }))).inserted).toBe(true);
    }
    // Without a vendor event id nothing is deduplicated (gateway-made events dedupe on idempotency keys).
    const a = await ctx.store.ledger.append(vibesEvent({ number, vendorEventId: null }));
    const b = await ctx.store.ledger.append(vibesEvent({ number, vendorEventId: null }));
    expect(a.event.id).not.toBe(b.event.id);
  });

  it('writes one event when two replicas append the same vendor event at once', async () => {
    const db = await freshDatabase(database);
    const replicas = await Promise.all([db.open(), db.open()]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.ledger.append(vibesEvent({ number: NUMBERS[0], vendorEventId: 'race' }))),
    );
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event.id)).size).toBe(1);
    expect(await db.query('SELECT id FROM consent_events')).toHaveLength(1);
  });

  it('lists a number’s history newest first (occurredAt, then recordedAt), limited', async () => {
    const db = await freshDatabase(database);
    const clock = manualClock();
    const store = await db.open({ clock: clock.now });
    const at = (iso: string) => new Date(iso);
    const e1 = (await store.ledger.append(vibesEvent({ number: NUMBERS[0], vendorEventId: 'h1', occurredAt: at('2017-01-01Z') }))).event;
    clock.advance(1_000);
    const e3 = (await store.ledger.append(vibesEvent({ number: NUMBERS[0], vendorEventId: 'h3', occurredAt: at('2017-03-01Z') }))).event;
    clock.advance(1_000);
    const e2 = (await store.ledger.append(vibesEvent({ number: NUMBERS[0], vendorEventId: 'h2', occurredAt: at('2017-02-01Z') }))).event;
    clock.advance(1_000);
    // Same occurredAt as e3, recorded later: listed before it.
    const e3b = (await store.ledger.append(vibesEvent({ number: NUMBERS[0], vendorEventId: 'h3b', occurredAt: at('2017-03-01Z') }))).event;
    await store.ledger.append(vibesEvent({ number: NUMBERS[1], vendorEventId: 'other-number' }));

    expect((await store.ledger.history(NUMBERS[0])).map((e) => e.id)).toEqual([e3b.id, e3.id, e2.id, e1.id]);
    expect((await store.ledger.history(NUMBERS[0], { limit: 2 })).map((e) => e.id)).toEqual([e3b.id, e3.id]);
    expect(await store.ledger.history(NUMBERS[3])).toEqual([]);
    await expect(store.ledger.history(NUMBERS[0], { limit: 0 })).rejects.toThrow(RangeError);
    await expect(store.ledger.history(NUMBERS[0], { limit: 10_001 })).rejects.toThrow(RangeError);
  });

  it('records a correction as a new event naming the old one, of the same number only', async () => {
    const original = (await ctx.store.ledger.append(vibesEvent({ number: NUMBERS[3], vendorEventId: 'to-correct' }))).event;
    const correction = await ctx.store.ledger.append({
      number: NUMBERS[3],
      purpose: 'MARKETING',
      status: 'NONE',
      source: 'LEDGER',
      evidence: 'OPERATOR',
      occurredAt: new Date('2017-03-16T00:00:00Z'),
      actor: 'apikey:ops',
      correctsEventId: original.id,
      detail: { reason: 'recorded against the wrong number' },
    });
    expect(correction.event.correctsEventId).toBe(original.id);
    expect(await ctx.store.ledger.get(original.id)).toEqual(original); // unchanged

    await expect(
      ctx.store.ledger.append(vibesEvent({ number: NUMBERS[4], vendorEventId: null, correctsEventId: original.id })),
    ).rejects.toThrow(LedgerValidationError);
    await expect(
      ctx.store.ledger.append(vibesEvent({ number: NUMBERS[3], vendorEventId: null, correctsEventId: 'no-such-event' })),
    ).rejects.toThrow(LedgerValidationError);
  });

  it('validates every field and never echoes the value', async () => {
    const bad: [string, Parameters<typeof vibesEvent>[0]][] = [
      ['number', { number: '6515550123' }],
      ['number', { number: '+12995551234' }],
      ['purpose', { number: NUMBERS[0], purpose: 'SERVICING' as never }],
      ['status', { number: NUMBERS[0], status: 'OPTED_OUT' as never }],
      ['source', { number: NUMBERS[0], source: 'TWILIO' as never }],
      ['evidence', { number: NUMBERS[0], evidence: 'HUNCH' as never }],
      ['occurredAt', { number: NUMBERS[0], occurredAt: new Date('nope') }],
      ['vendorEventId', { number: NUMBERS[0], vendorEventId: '' }],
      ['listId', { number: NUMBERS[0], listId: 'x'.repeat(256) }],
      ['detail', { number: NUMBERS[0], detail: [1, 2] as never }],
      ['detail', { number: NUMBERS[0], detail: { big: 'x'.repeat(17_000) } }],
    ];
    for (const [field, event] of bad) {
      const error = await ctx.store.ledger.append(vibesEvent(event)).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(LedgerValidationError);
      expect((error as Error).message).toContain(field);
      expect((error as Error).message).not.toMatch(/6515550123|2995551234/);
    }
  });

  it('has no update or delete path in its API, nor anywhere in the code', async () => {
    expect(Object.keys(ctx.store.ledger).sort()).toEqual(['append', 'get', 'history']);
    // Every statement in src/ that names the table: only CREATE, INSERT, SELECT and the refusing triggers.
    const offending: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      const text = await readFile(file, 'utf8');
      if (/\b(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?)\s+consent_events\b/i.test(text)) offending.push(file);
    }
    expect(offending).toEqual([]);
  });

  it('refuses a raw UPDATE or DELETE from any client (triggers), and keeps the row as it was', async () => {
    const event = (await ctx.store.ledger.append(vibesEvent({ number: NUMBERS[2], vendorEventId: 'tamper' }))).event;
    await expect(ctx.db.query(`UPDATE consent_events SET status = 'GRANTED' WHERE id = $1`, [event.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.db.query('DELETE FROM consent_events WHERE id = $1', [event.id])).rejects.toThrow(/append-only/);
    await expect(ctx.db.query('DELETE FROM consent_events')).rejects.toThrow(/append-only/);
    // Through the store's own connection too.
    const raw = openRawDatabase(ctx.db);
    try {
      await expect(raw.execute(`UPDATE consent_events SET retain_until = recorded_at WHERE id = $1`, [event.id])).rejects.toThrow(
        /append-only/,
      );
    } finally {
      await raw.close();
    }
    expect(await ctx.store.ledger.get(event.id)).toEqual(event);
  });

  it('refuses an upsert that would overwrite an event', async () => {
    const event = (await ctx.store.ledger.append(vibesEvent({ number: NUMBERS[2], vendorEventId: 'overwrite' }))).event;
    const columns = 'id, number, purpose, status, source, evidence, occurred_at, recorded_at, vendor_event_id, list_id, retain_until';
    const values = `$1, $2, 'MARKETING', 'GRANTED', 'VIBES', 'SUBSCRIPTION_CALLBACK', 1, 1, 'other', NULL, 999999999999999`;
    if (database.kind === 'sqlite') {
      // REPLACE deletes the conflicting row without firing DELETE triggers: the insert trigger refuses it first.
      await expect(ctx.db.query(`INSERT OR REPLACE INTO consent_events (${columns}) VALUES (${values})`, [event.id, NUMBERS[2]])).rejects.toThrow(
        /append-only/,
      );
      // Same vendor event under a new id, with REPLACE: refused too.
      await expect(
        ctx.db.query(
          `INSERT OR REPLACE INTO consent_events (${columns})
           VALUES ('new-id', $1, 'MARKETING', 'REVOKED', 'VIBES', 'SUBSCRIPTION_CALLBACK', 1, 1, 'overwrite', '1234', 999999999999999)`,
          [NUMBERS[2]],
        ),
      ).rejects.toThrow(/append-only/);
    } else {
      await expect(
        ctx.db.query(
          `INSERT INTO consent_events (${columns})
           VALUES ($1, $2, 'MARKETING', 'GRANTED', 'VIBES', 'SUBSCRIPTION_CALLBACK', now(), now(), NULL, NULL, now() + INTERVAL '5 years')
           ON CONFLICT (id) DO UPDATE SET status = excluded.status`,
          [event.id, NUMBERS[2]],
        ),
      ).rejects.toThrow(/append-only/);
    }
    expect(await ctx.store.ledger.get(event.id)).toEqual(event);
  });

  it.runIf(database.kind === 'postgres')('refuses TRUNCATE (PostgreSQL)', async () => {
    await ctx.store.ledger.append(vibesEvent({ number: NUMBERS[2], vendorEventId: 'truncate' }));
    await expect(ctx.db.query('TRUNCATE consent_events')).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await ctx.db.query('SELECT id FROM consent_events')).length).toBeGreaterThan(0);
  });
});
