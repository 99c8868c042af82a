import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineByPurpose, currentConsents, effectiveEvents } from '../../../src/consent/consent.rules.js';
import type { Consent, ConsentEvent, ConsentStatus } from '../../../src/consent/consent.types.js';

const NUMBER = '+16515550123';
let sequence = 0;

function event(overrides: Omit<Partial<ConsentEvent>, 'occurredAt'> & { status: ConsentStatus; occurredAt: Date | string }): ConsentEvent {
  sequence += 1;
  const { occurredAt, ...rest } = overrides;
  return {
    id: `01EVENT${String(sequence).padStart(19, '0')}`,
    number: NUMBER,
    purpose: 'MARKETING',
    source: 'VIBES',
    evidence: 'SUBSCRIPTION_CALLBACK',
    recordedAt: new Date(Date.UTC(2030, 0, 1) + sequence * 1_000),
    actor: null,
    vendorEventId: `evt-${sequence}`,
    listId: '1234',
    detail: null,
    correctsEventId: null,
    retainUntil: new Date(Date.UTC(2035, 0, 1)),
    occurredAt: typeof occurredAt === 'string' ? new Date(occurredAt) : occurredAt,
    ...rest,
  };
}

const statusOf = (consents: Consent[], listId = '1234') => consents.find((c) => c.listId === listId)?.status;

describe('the ordering rule (per number, source, purpose and list)', () => {
  it('lets the latest event_date win whatever the arrival order', () => {
    const removed = event({ status: 'REVOKED', occurredAt: '2017-03-15T15:42:23Z' });
    const added = event({ status: 'GRANTED', occurredAt: '2017-02-15T15:42:23Z' }); // recorded later, occurred earlier
    expect(statusOf(currentConsents([removed, added]))).toBe('REVOKED');
    expect(statusOf(currentConsents([added, removed]))).toBe('REVOKED');

    const resubscribed = event({ status: 'GRANTED', occurredAt: '2017-04-01T00:00:00Z' });
    expect(statusOf(currentConsents([resubscribed, removed, added]))).toBe('GRANTED');
  });

  it('lets REVOKED win on equal dates, and the more restrictive status generally', () => {
    const at = '2017-03-15T15:42:23Z';
    const granted = event({ status: 'GRANTED', occurredAt: at });
    const revoked = event({ status: 'REVOKED', occurredAt: at });
    const pending = event({ status: 'PENDING', occurredAt: at });
    expect(statusOf(currentConsents([revoked, granted]))).toBe('REVOKED');
    expect(statusOf(currentConsents([granted, revoked]))).toBe('REVOKED');
    expect(statusOf(currentConsents([granted, pending]))).toBe('PENDING');
    expect(statusOf(currentConsents([pending, granted, revoked]))).toBe('REVOKED');
  });

  it('lets an opt-in’s confirmation stand in for its PENDING record (correctsEventId)', () => {
    const at = '2017-02-15T15:42:23Z';
    const pending = event({ status: 'PENDING', occurredAt: at, vendorEventId: 'same' });
    const granted = event({ status: 'GRANTED', occurredAt: at, vendorEventId: 'same', correctsEventId: pending.id });
    expect(effectiveEvents([pending, granted])).toEqual([granted]);
    expect(statusOf(currentConsents([granted, pending]))).toBe('GRANTED');
    // A revocation at the same instant still wins over the confirmed grant.
    expect(statusOf(currentConsents([pending, granted, event({ status: 'REVOKED', occurredAt: at })]))).toBe('REVOKED');
  });

  it('drops a corrected event, so an operator’s correction decides instead', () => {
    const wrong = event({ status: 'REVOKED', occurredAt: '2017-03-15T00:00:00Z' });
    const correction = event({ status: 'NONE', source: 'VIBES', occurredAt: '2017-03-16T00:00:00Z', correctsEventId: wrong.id });
    const earlier = event({ status: 'GRANTED', occurredAt: '2017-01-01T00:00:00Z' });
    expect(statusOf(currentConsents([earlier, wrong, correction]))).toBe('NONE');
  });

  it('keeps lists, purposes and sources apart, and sorts the result', () => {
    const consents = currentConsents([
      event({ status: 'GRANTED', occurredAt: '2017-01-01Z', listId: 'b' }),
      event({ status: 'REVOKED', occurredAt: '2017-01-02Z', listId: 'a' }),
      event({ status: 'GRANTED', occurredAt: '2017-01-03Z', listId: null, purpose: 'ACCOUNT', source: 'SBT', evidence: 'PIN_CONFIRMED' }),
    ]);
    expect(consents.map((c) => [c.purpose, c.source, c.listId, c.status])).toEqual([
      ['ACCOUNT', 'SBT', null, 'GRANTED'],
      ['MARKETING', 'VIBES', 'a', 'REVOKED'],
      ['MARKETING', 'VIBES', 'b', 'GRANTED'],
    ]);
  });

  it('gives since (when the status began), reason and evidence of the deciding events', () => {
    const consents = currentConsents([
      event({ status: 'GRANTED', occurredAt: '2017-01-01Z' }),
      event({ status: 'REVOKED', occurredAt: '2017-02-01Z', detail: { reason: 'keyword_opt_out' } }),
      event({ status: 'REVOKED', occurredAt: '2017-03-01Z', detail: { reason: 'user_opt_out' } }),
    ]);
    expect(consents).toEqual([
      {
        number: NUMBER,
        purpose: 'MARKETING',
        status: 'REVOKED',
        source: 'VIBES',
        evidence: 'SUBSCRIPTION_CALLBACK',
        since: new Date('2017-02-01Z'),
        reason: 'user_opt_out',
        listId: '1234',
      },
    ]);
  });

  it('gives the same answer for every arrival order of the same events (property)', () => {
    const statuses = fc.constantFrom<ConsentStatus>('GRANTED', 'PENDING', 'REVOKED', 'NONE');
    const spec = fc.record({ status: statuses, day: fc.integer({ min: 1, max: 4 }), list: fc.constantFrom('a', 'b') });
    // Some events, and the same events in another arrival order.
    const arrivals = fc
      .array(spec, { minLength: 1, maxLength: 8 })
      .chain((specs) => fc.tuple(fc.constant(specs), fc.shuffledSubarray(specs, { minLength: specs.length, maxLength: specs.length })));
    type Spec = { status: ConsentStatus; day: number; list: string };
    // Recording order sets recordedAt and the id, as the ledger would.
    const record = (specs: Spec[]) => specs.map((s) => event({ status: s.status, occurredAt: new Date(Date.UTC(2017, 0, s.day)), listId: s.list }));
    fc.assert(
      fc.property(arrivals, ([inOrder, reordered]) => {
        const made = record(inOrder);
        const summary = (cs: Consent[]) => cs.map((c) => [c.listId, c.status, c.since?.toISOString()]);
        expect(summary(currentConsents(record(reordered)))).toEqual(summary(currentConsents(made)));
        // And a revocation on the latest date of a list always decides that list.
        for (const list of ['a', 'b']) {
          const ofList = made.filter((e) => e.listId === list);
          if (ofList.length === 0) continue;
          const latest = Math.max(...ofList.map((e) => e.occurredAt.getTime()));
          if (ofList.some((e) => e.status === 'REVOKED' && e.occurredAt.getTime() === latest)) {
            expect(statusOf(currentConsents(made), list)).toBe('REVOKED');
          }
        }
      }),
      { numRuns: 300, seed: 20_250_601 },
    );
  });
});

describe('the combination rule (per purpose, most restrictive first)', () => {
  const consent = (overrides: Partial<Consent>): Consent => ({
    number: NUMBER,
    purpose: 'MARKETING',
    status: 'GRANTED',
    source: 'VIBES',
    evidence: 'SUBSCRIPTION_CALLBACK',
    since: new Date('2017-01-01Z'),
    reason: null,
    listId: '1',
    ...overrides,
  });

  it('lets one revoked MARKETING list block MARKETING', () => {
    const combined = combineByPurpose([
      consent({ listId: 'promo', status: 'GRANTED' }),
      consent({ listId: 'news', status: 'REVOKED', reason: 'user_opt_out' }),
      consent({ listId: 'deals', status: 'GRANTED' }),
    ]);
    expect(combined).toEqual([consent({ listId: 'news', status: 'REVOKED', reason: 'user_opt_out' })]);
  });

  it('orders REVOKED > NONE > PENDING > GRANTED, and keeps purposes apart', () => {
    expect(combineByPurpose([consent({ status: 'PENDING', listId: 'p' }), consent({ status: 'GRANTED', listId: 'g' })])[0]?.status).toBe(
      'PENDING',
    );
    expect(combineByPurpose([consent({ status: 'PENDING', listId: 'p' }), consent({ status: 'NONE', listId: 'n' })])[0]?.status).toBe('NONE');
    const combined = combineByPurpose([
      consent({ purpose: 'ACCOUNT', status: 'GRANTED', listId: 'acct' }),
      consent({ purpose: 'MARKETING', status: 'REVOKED', listId: 'promo' }),
    ]);
    expect(combined.map((c) => [c.purpose, c.status])).toEqual([
      ['ACCOUNT', 'GRANTED'],
      ['MARKETING', 'REVOKED'],
    ]);
  });

  it('shows the most recent of equally restrictive facts', () => {
    const combined = combineByPurpose([
      consent({ status: 'REVOKED', listId: 'old', since: new Date('2017-01-01Z') }),
      consent({ status: 'REVOKED', listId: 'new', since: new Date('2017-05-01Z') }),
    ]);
    expect(combined[0]?.listId).toBe('new');
  });

  it('gives nothing for no consents', () => {
    expect(combineByPurpose([])).toEqual([]);
  });
});
