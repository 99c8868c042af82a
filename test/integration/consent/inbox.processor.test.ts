/**
 * processInboxRow over a real store (SQLite and PostgreSQL) with a fake Vibes: what each callback records,
 * the read-back that turns PENDING into GRANTED, the person lookup, retry and dead outcomes, and that running
 * a row again adds nothing.
 */
import { describe, expect, it } from 'vitest';
import { consentsFromLedger } from '../../../src/consent/consent.read.js';
import { createInProcessConsentEvents } from '../../../src/consent/consent-events.js';
import { InboxProcessingError } from '../../../src/consent/inbox.errors.js';
import { processInboxRow } from '../../../src/consent/inbox.processor.js';
import type { Store } from '../../../src/store/store.js';
import { freshDatabase, testDatabases, type TestDatabase } from '../../helpers/databases.js';
import { SEED_ADDED, SEED_REMOVED } from '../../unit/consent/vibes-callbacks.fixtures.js';
import { FakeVibes, manualClock, processorDeps, receiveCallback } from './consent.fixtures.js';

const NUMBER = '+16515550123';

async function setup(database: TestDatabase) {
  const db = await freshDatabase(database);
  const clock = manualClock();
  const store = await db.open({ clock: clock.now });
  return { db, clock, store };
}

/** Claims the row and returns it (processing reads attempts from the claim). */
async function claimOne(store: Store, id: string) {
  const rows = await store.inbox.claim('test', { limit: 100 });
  const row = rows.find((r) => r.id === id);
  if (!row) throw new Error('row not claimable');
  return row;
}

async function failure(work: Promise<unknown>): Promise<{ code: string; disposition: string }> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof InboxProcessingError)) throw new Error(`expected InboxProcessingError, got ${String(error)}`);
  return { code: error.code, disposition: error.disposition };
}

describe.each(testDatabases)('processInboxRow ($label)', (database) => {
  it('records the seed’s opt-out at once, reading the person once for the number it does not carry', async () => {
    const { store } = await setup(database);
    const vibes = new FakeVibes().person('ABC123', '+16515550123');
    const { id } = await store.inbox.receive({ source: 'vibes', eventId: SEED_REMOVED.event_id, callbackType: SEED_REMOVED.callback_type, payload: JSON.stringify(SEED_REMOVED) });
    const result = await processInboxRow(await claimOne(store, id), processorDeps(store, vibes));

    expect(result.outcome).toBe('revoked');
    expect(result.written).toBe(1);
    expect(vibes.resolveCalls).toBe(1);
    expect(vibes.confirmCalls).toBe(0); // an opt-out needs no confirmation
    expect(result.events).toEqual([
      expect.objectContaining({
        number: NUMBER,
        purpose: 'MARKETING',
        status: 'REVOKED',
        source: 'VIBES',
        evidence: 'SUBSCRIPTION_CALLBACK',
        occurredAt: new Date('2017-03-15T15:42:23Z'),
        vendorEventId: 'AB234SDFD234',
        listId: '1234',
        correctsEventId: null,
        detail: {
          callbackType: 'subscription_removed',
          inboxId: id,
          personKey: 'ABC123',
          externalPersonId: 'ex1234',
          numberFrom: 'person',
          reason: 'user_opt_out',
          optInDate: '2017-01-15T15:34:52.000Z',
          optOutDate: '2017-02-18T15:34:52.000Z',
          acquisitionCampaignId: '2342312',
          payloadSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      }),
    ]);
    expect((await consentsFromLedger(store.ledger, NUMBER)).byPurpose).toEqual([
      expect.objectContaining({ purpose: 'MARKETING', status: 'REVOKED', reason: 'user_opt_out', listId: '1234' }),
    ]);
  });

  it('records an opt-in as PENDING, and as GRANTED once the read-back shows it active', async () => {
    const { store } = await setup(database);
    const vibes = new FakeVibes().person('ABC123', NUMBER).subscribe('ABC123', '1234');
    const { id } = await store.inbox.receive({ source: 'vibes', eventId: SEED_ADDED.event_id, callbackType: SEED_ADDED.callback_type, payload: JSON.stringify(SEED_ADDED) });
    const result = await processInboxRow(await claimOne(store, id), processorDeps(store, vibes));

    expect(result.outcome).toBe('granted');
    const [pending, granted] = result.events;
    expect(pending).toMatchObject({ status: 'PENDING', correctsEventId: null, occurredAt: new Date('2017-02-15T15:42:23Z') });
    expect(granted).toMatchObject({ status: 'GRANTED', correctsEventId: pending!.id, occurredAt: new Date('2017-02-15T15:42:23Z') });
    expect(granted!.detail).toMatchObject({ confirmedBy: 'subscription_read_back' });
    expect((await consentsFromLedger(store.ledger, NUMBER)).consents).toEqual([
      expect.objectContaining({ purpose: 'MARKETING', status: 'GRANTED', listId: '1234', since: new Date('2017-02-15T15:42:23Z') }),
    ]);
  });

  it('keeps PENDING while Vibes cannot confirm, and confirms on a later attempt without a second PENDING', async () => {
    const { store } = await setup(database);
    const vibes = new FakeVibes().subscribe('P1', '1234');
    vibes.down = true;
    const { id } = await receiveCallback(store, { type: 'subscription_added', eventId: 'e1', date: '2017-02-15T15:42:23Z', mdn: NUMBER, personKey: 'P1' });
    expect(await failure(processInboxRow(await claimOne(store, id), processorDeps(store, vibes)))).toEqual({
      code: 'confirmation_failed',
      disposition: 'retry',
    });
    expect((await consentsFromLedger(store.ledger, NUMBER)).byPurpose).toEqual([expect.objectContaining({ status: 'PENDING' })]);

    vibes.down = false;
    const again = await processInboxRow({ ...(await store.inbox.get(id))!, attempts: 2 }, processorDeps(store, vibes));
    expect(again.outcome).toBe('granted');
    expect(again.written).toBe(1); // only the GRANTED: the PENDING was found
    expect((await store.ledger.history(NUMBER)).map((e) => e.status).sort()).toEqual(['GRANTED', 'PENDING']);
  });

  it('asks again while the read-back shows no subscription, then leaves the opt-in PENDING', async () => {
    const { store } = await setup(database);
    const vibes = new FakeVibes(); // the subscription is not active at Vibes
    const { id } = await receiveCallback(store, { type: 'subscription_added', eventId: 'e2', date: '2017-02-15T15:42:23Z', mdn: NUMBER });
    const row = await store.inbox.get(id);
    const deps = processorDeps(store, vibes, { maxConfirmAttempts: 3 });
    for (const attempts of [1, 2]) {
      expect(await failure(processInboxRow({ ...row!, attempts }, deps))).toEqual({ code: 'not_confirmed_yet', disposition: 'retry' });
    }
    const last = await processInboxRow({ ...row!, attempts: 3 }, deps);
    expect(last.outcome).toBe('unconfirmed');
    expect((await store.ledger.history(NUMBER)).map((e) => e.status)).toEqual(['PENDING']);
  });

  it('leaves a row whose person cannot be read yet in the inbox, with nothing recorded', async () => {
    const { store } = await setup(database);
    const vibes = new FakeVibes().person('ABC123', NUMBER);
    vibes.down = true;
    const { id } = await receiveCallback(store, { type: 'subscription_removed', eventId: 'e3', date: '2017-03-15T15:42:23Z' });
    expect(await failure(processInboxRow(await claimOne(store, id), processorDeps(store, vibes)))).toEqual({
      code: 'person_lookup_failed',
      disposition: 'retry',
    });
    expect(await store.ledger.history(NUMBER)).toEqual([]);
  });

  it('parks rows that can never succeed: unknown person, no MDN, invalid MDN, unreadable payload, unknown source', async () => {
    const { store } = await setup(database);
    const vibes = new FakeVibes().person('NO-MDN', null).person('BAD-MDN', '12345');
    const deps = processorDeps(store, vibes);
    const row = { id: 'r', source: 'vibes', attempts: 1 };
    const removal = (personKey: string) =>
      JSON.stringify({ ...SEED_REMOVED, subscription: { ...SEED_REMOVED.subscription, person: { id: personKey } } });
    const cases: [object, string][] = [
      [{ ...row, payload: removal('UNKNOWN') }, 'person_not_found'],
      [{ ...row, payload: removal('NO-MDN') }, 'person_has_no_mdn'],
      [{ ...row, payload: removal('BAD-MDN') }, 'invalid_mdn'],
      [{ ...row, payload: '{"event_id":"x","callback_type":"person_added"}' }, 'unparseable_payload'],
      [{ ...row, source: 'twilio', payload: JSON.stringify(SEED_REMOVED) }, 'unknown_source'],
    ];
    for (const [input, code] of cases) {
      expect(await failure(processInboxRow(input as never, deps)), code).toEqual({ code, disposition: 'dead' });
    }
    expect(await store.ledger.history(NUMBER)).toEqual([]);
  });

  it('reads national MDNs (callbacks registered with API version 1) in the default region', async () => {
    const { store } = await setup(database);
    const { id } = await receiveCallback(store, { type: 'subscription_removed', eventId: 'e4', date: '2017-03-15T15:42:23Z', mdn: '6515550123' });
    const result = await processInboxRow(await claimOne(store, id), processorDeps(store, new FakeVibes()));
    expect(result.events[0]).toMatchObject({ number: NUMBER, detail: expect.objectContaining({ numberFrom: 'callback' }) });
  });

  it('takes the purpose from VIBES_LIST_PURPOSES; lists combine per purpose, most restrictive first', async () => {
    const { store } = await setup(database);
    const vibes = new FakeVibes().subscribe('P', 'promo').subscribe('P', 'acct').subscribe('P', 'news');
    const deps = processorDeps(store, vibes, { listPurposes: 'acct=ACCOUNT' });
    const specs = [
      { type: 'subscription_added', eventId: 'a1', date: '2017-01-01T00:00:00Z', listId: 'promo' },
      { type: 'subscription_added', eventId: 'a2', date: '2017-01-01T00:00:00Z', listId: 'acct' },
      { type: 'subscription_added', eventId: 'a3', date: '2017-01-01T00:00:00Z', listId: 'news' },
      { type: 'subscription_removed', eventId: 'r1', date: '2017-02-01T00:00:00Z', listId: 'news' },
    ] as const;
    for (const spec of specs) {
      const { id } = await receiveCallback(store, { ...spec, mdn: NUMBER, personKey: 'P' });
      await processInboxRow(await claimOne(store, id), deps);
    }
    const { consents, byPurpose } = await consentsFromLedger(store.ledger, NUMBER);
    expect(consents.map((c) => [c.purpose, c.listId, c.status])).toEqual([
      ['ACCOUNT', 'acct', 'GRANTED'],
      ['MARKETING', 'news', 'REVOKED'],
      ['MARKETING', 'promo', 'GRANTED'],
    ]);
    expect(byPurpose.map((c) => [c.purpose, c.status, c.listId])).toEqual([
      ['ACCOUNT', 'GRANTED', 'acct'],
      ['MARKETING', 'REVOKED', 'news'],
    ]);
  });

  it('adds nothing, and publishes nothing, when a processed row is processed again', async () => {
    const { store } = await setup(database);
    const events = createInProcessConsentEvents();
    const live = events.subscribe(NUMBER);
    const vibes = new FakeVibes().subscribe('P', '1234');
    const deps = processorDeps(store, vibes, { events });
    const { id } = await receiveCallback(store, { type: 'subscription_added', eventId: 'e5', date: '2017-02-15T15:42:23Z', mdn: NUMBER, personKey: 'P' });
    const row = await claimOne(store, id);
    const first = await processInboxRow(row, deps);
    const second = await processInboxRow(row, deps);
    expect(first.written).toBe(2);
    expect(second.written).toBe(0);
    expect(second.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect((await live.next()).value).toEqual(first.events[0]);
    expect((await live.next()).value).toEqual(first.events[1]);
    await events.publish({ ...first.events[0]!, id: 'marker' }); // nothing else was queued before this
    expect((await live.next()).value).toMatchObject({ id: 'marker' });
  });

  it('stops at once when aborted', async () => {
    const { store } = await setup(database);
    const { id } = await receiveCallback(store, { type: 'subscription_removed', eventId: 'e6', date: '2017-03-15T15:42:23Z', mdn: NUMBER });
    const reason = new Error('shutting down');
    await expect(processInboxRow(await claimOne(store, id), processorDeps(store, new FakeVibes()), AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(await store.ledger.history(NUMBER)).toEqual([]);
  });
});
