/**
 * The contactability policy (src/consent/contactability.ts) and the two fact sources it reads today: the ledger
 * (ledgerFacts over real ledger events) and Vibes' live subscription records (vibesSubscriptionFacts). Pure
 * functions: no store, no HTTP. The gateway tests (test/integration/gateway/phone-lookup.test.ts) drive the same
 * policy through `phone(number)`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decideContactability,
  ledgerFacts,
  parseListPurposes,
  readConsentSources,
  vibesSubscriptionFacts,
  type Consent,
  type ConsentEvent,
  type ConsentFacts,
  type ConsentFactSource,
  type SourceReading,
} from '../../../src/consent/index.js';

const NUMBER = '+16514737960';

function fact(partial: Partial<Consent> & Pick<Consent, 'status'>): Consent {
  return {
    number: NUMBER,
    purpose: 'MARKETING',
    source: 'VIBES',
    evidence: 'SUBSCRIPTION_CALLBACK',
    since: new Date('2024-01-10T00:00:00Z'),
    reason: null,
    listId: '7001',
    ...partial,
  };
}

function source(name: string, vendor: ConsentFactSource['vendor']): ConsentFactSource {
  return { name, vendor, read: () => Promise.reject(new Error('not read in these tests')) };
}
const LEDGER = source('ledger', null);
const VIBES = source('vibes', 'VIBES');
const LOANPRO = source('loanpro-sbt', 'LOANPRO');

const ok = (src: ConsentFactSource, consents: Consent[], invalidations: Consent[] = []): SourceReading => ({
  source: src,
  ok: true,
  facts: { consents, invalidations },
});
const down = (src: ConsentFactSource): SourceReading => ({ source: src, ok: false });

describe('decideContactability', () => {
  it('allows a purpose that a source grants and nothing restricts, with the granting fact as the reason', () => {
    const granted = fact({ status: 'GRANTED', purpose: 'ACCOUNT', listId: '7002' });
    const decision = decideContactability('ACCOUNT', [ok(LEDGER, [granted]), ok(VIBES, [])]);
    expect(decision).toEqual({
      allowed: true,
      purpose: 'ACCOUNT',
      reasons: ['Vibes list 7002 grants ACCOUNT consent since 2024-01-10 (subscription callback).'],
      blockedBy: [],
      unavailableSources: [],
    });
  });

  it('refuses when no source grants the purpose, and says so', () => {
    const decision = decideContactability('COLLECTIONS', [ok(LEDGER, [fact({ status: 'GRANTED' })]), ok(VIBES, [])]);
    expect(decision.allowed).toBe(false);
    expect(decision.blockedBy).toEqual([]);
    expect(decision.reasons).toEqual(['No source grants COLLECTIONS consent.']);
  });

  it('lets the most restrictive fact win: one revocation blocks although another source grants', () => {
    const granted = fact({ status: 'GRANTED', evidence: 'SUBSCRIPTION_CALLBACK' });
    const revoked = fact({ status: 'REVOKED', evidence: 'VENDOR_FLAG', reason: 'user_opt_out', since: new Date('2024-02-01T00:00:00Z') });
    const decision = decideContactability('MARKETING', [ok(LEDGER, [granted]), ok(VIBES, [revoked])]);
    expect(decision.allowed).toBe(false);
    expect(decision.blockedBy).toEqual([revoked]);
    expect(decision.reasons).toEqual([
      'Vibes list 7001 revoked MARKETING consent on 2024-02-01 (vendor record, user_opt_out).',
      'Vibes list 7001 grants MARKETING consent since 2024-01-10 (subscription callback).',
    ]);
  });

  it('blocks on PENDING and NONE as well, most restrictive listed first', () => {
    const pending = fact({ status: 'PENDING', listId: '7003' });
    const none = fact({ status: 'NONE', source: 'SBT', evidence: null, listId: null, since: null });
    const decision = decideContactability('MARKETING', [ok(LEDGER, [pending, fact({ status: 'GRANTED' })]), ok(LOANPRO, [none])]);
    expect(decision.allowed).toBe(false);
    expect(decision.blockedBy).toEqual([none, pending]);
    expect(decision.reasons.slice(0, 2)).toEqual([
      'LoanPro SBT holds no MARKETING consent.',
      'Vibes list 7003 has MARKETING consent pending confirmation since 2024-01-10 (subscription callback).',
    ]);
  });

  it('only counts facts of the asked purpose', () => {
    const readings = [ok(LEDGER, [fact({ status: 'REVOKED', purpose: 'MARKETING' }), fact({ status: 'GRANTED', purpose: 'ACCOUNT', listId: '7002' })])];
    expect(decideContactability('ACCOUNT', readings).allowed).toBe(true);
    expect(decideContactability('MARKETING', readings).allowed).toBe(false);
  });

  it('blocks when a vendor cannot be read, naming it once in unavailableSources, even with every other source granting', () => {
    const granted = fact({ status: 'GRANTED' });
    const decision = decideContactability('MARKETING', [ok(LEDGER, [granted]), down(VIBES), down(LOANPRO), down(source('loanpro-dnd', 'LOANPRO'))]);
    expect(decision.allowed).toBe(false);
    expect(decision.unavailableSources).toEqual(['VIBES', 'LOANPRO']);
    expect(decision.blockedBy).toEqual([]);
    expect(decision.reasons).toEqual([
      'Vibes could not be read, so MARKETING contact is blocked until it answers.',
      'LoanPro could not be read, so MARKETING contact is blocked until it answers.',
      'Vibes list 7001 grants MARKETING consent since 2024-01-10 (subscription callback).',
    ]);
  });

  it('blocks with a reason of its own when the ledger cannot be read (the ledger is not a vendor)', () => {
    const decision = decideContactability('MARKETING', [down(LEDGER), ok(VIBES, [fact({ status: 'GRANTED', evidence: 'VENDOR_FLAG' })])]);
    expect(decision.allowed).toBe(false);
    expect(decision.unavailableSources).toEqual([]);
    expect(decision.reasons[0]).toBe('The consent ledger could not be read, so no MARKETING contact can be allowed.');
  });

  it('voids consent given before a disconnect, whatever its purpose, until consent given after it', () => {
    const disconnect = fact({ status: 'REVOKED', listId: '7001', reason: 'disconnect', since: new Date('2024-05-01T00:00:00Z') });
    const oldAccount = fact({ status: 'GRANTED', purpose: 'ACCOUNT', listId: '7002', since: new Date('2023-03-01T00:00:00Z') });
    const before = decideContactability('ACCOUNT', [ok(LEDGER, [oldAccount], [disconnect])]);
    expect(before.allowed).toBe(false);
    expect(before.blockedBy).toEqual([disconnect]);
    expect(before.reasons).toEqual(['Vibes reported the number disconnected on 2024-05-01: consent given before then no longer counts.']);

    const freshAccount = fact({ status: 'GRANTED', purpose: 'ACCOUNT', listId: '7002', since: new Date('2024-06-01T00:00:00Z') });
    const after = decideContactability('ACCOUNT', [ok(LEDGER, [freshAccount], [disconnect])]);
    expect(after).toMatchObject({ allowed: true, blockedBy: [] });
  });

  it('answers the same whatever order the sources answered in (pure, no cache)', () => {
    const statuses = ['GRANTED', 'PENDING', 'REVOKED', 'NONE'] as const;
    const arbitraryReading = fc.record({
      up: fc.boolean(),
      vendor: fc.constantFrom(null, 'VIBES' as const, 'LOANPRO' as const),
      consents: fc.array(
        fc.record({
          status: fc.constantFrom(...statuses),
          purpose: fc.constantFrom('ACCOUNT' as const, 'MARKETING' as const),
          listId: fc.constantFrom('7001', '7002', null),
        }),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(fc.array(arbitraryReading, { maxLength: 4 }), fc.constantFrom('ACCOUNT' as const, 'MARKETING' as const), (specs, purpose) => {
        const readings = specs.map((s, i) => (s.up ? ok(source(`s${i}`, s.vendor), s.consents.map((c) => fact(c))) : down(source(`s${i}`, s.vendor))));
        const forward = decideContactability(purpose, readings);
        const backward = decideContactability(purpose, [...readings].reverse());
        expect(backward.allowed).toBe(forward.allowed);
        expect(new Set(backward.reasons)).toEqual(new Set(forward.reasons));
        // Allowed exactly when every source answered, something grants, and nothing of the purpose does not.
        const facts = specs.flatMap((s) => (s.up ? s.consents.filter((c) => c.purpose === purpose) : []));
        const expected = specs.every((s) => s.up) && facts.some((c) => c.status === 'GRANTED') && facts.every((c) => c.status === 'GRANTED');
        expect(forward.allowed).toBe(expected);
      }),
      { seed: 8, numRuns: 300 },
    );
  });
});

describe('readConsentSources', () => {
  it('reads every source at once and turns a throw into an unreadable reading, reporting the source', async () => {
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: ConsentFactSource = {
      name: 'slow',
      vendor: null,
      read: async () => {
        started.push('slow');
        await gate;
        return { consents: [fact({ status: 'GRANTED' })] };
      },
    };
    const failing: ConsentFactSource = {
      name: 'failing',
      vendor: 'VIBES',
      read: async () => {
        started.push('failing');
        // Both reads are under way before either settles: they run in parallel.
        release();
        throw new Error('down');
      },
    };
    const reported: string[] = [];
    const readings = await readConsentSources([slow, failing], NUMBER, new AbortController().signal, (s) => reported.push(s.name));
    expect(started).toEqual(['slow', 'failing']);
    expect(readings.map((r) => [r.source.name, r.ok])).toEqual([
      ['slow', true],
      ['failing', false],
    ]);
    expect(reported).toEqual(['failing']);
  });
});

function event(partial: Partial<ConsentEvent> & Pick<ConsentEvent, 'id' | 'status' | 'occurredAt'>): ConsentEvent {
  return {
    number: NUMBER,
    purpose: 'MARKETING',
    source: 'VIBES',
    evidence: 'SUBSCRIPTION_CALLBACK',
    recordedAt: partial.occurredAt,
    actor: null,
    vendorEventId: `v-${partial.id}`,
    listId: '7001',
    detail: null,
    correctsEventId: null,
    retainUntil: new Date('2030-01-01T00:00:00Z'),
    ...partial,
  };
}

describe('ledgerFacts', () => {
  it('keeps a disconnect as an invalidation after a later opt-in on the same list replaced it as the current consent', () => {
    const facts: ConsentFacts = ledgerFacts([
      event({ id: '03', status: 'GRANTED', occurredAt: new Date('2024-07-01T00:00:00Z') }),
      event({ id: '02', status: 'REVOKED', occurredAt: new Date('2024-05-01T00:00:00Z'), detail: { reason: 'disconnect' } }),
      event({ id: '01', status: 'GRANTED', occurredAt: new Date('2023-01-01T00:00:00Z'), purpose: 'ACCOUNT', listId: '7002' }),
    ]);
    expect(facts.consents.map((c) => [c.purpose, c.listId, c.status])).toEqual([
      ['ACCOUNT', '7002', 'GRANTED'],
      ['MARKETING', '7001', 'GRANTED'],
    ]);
    expect(facts.invalidations).toEqual([expect.objectContaining({ status: 'REVOKED', reason: 'disconnect', since: new Date('2024-05-01T00:00:00Z') })]);
    // The account consent predates the disconnect: it no longer counts; the marketing one came after it.
    expect(decideContactability('ACCOUNT', [ok(LEDGER, [...facts.consents], [...facts.invalidations!])]).allowed).toBe(false);
    expect(decideContactability('MARKETING', [ok(LEDGER, [...facts.consents], [...facts.invalidations!])]).allowed).toBe(true);
  });

  it('ignores a revocation that was corrected away', () => {
    const facts = ledgerFacts([
      event({ id: '02', status: 'GRANTED', occurredAt: new Date('2024-05-01T00:00:00Z'), correctsEventId: '01', evidence: 'OPERATOR' }),
      event({ id: '01', status: 'REVOKED', occurredAt: new Date('2024-05-01T00:00:00Z'), detail: { reason: 'disconnect' } }),
    ]);
    expect(facts.invalidations).toEqual([]);
  });
});

describe('vibesSubscriptionFacts', () => {
  const purposes = parseListPurposes('7001=MARKETING,7002=ACCOUNT');

  it('reads each list from its deciding record: an active one (the latest opt-in), else the latest opt-out', () => {
    const facts = vibesSubscriptionFacts(
      NUMBER,
      [
        { listId: '7001', optInDate: '2019-01-01T00:00:00Z', optOutDate: '2020-03-01T00:00:00Z', optOutReason: 'api_opt_out', active: false },
        { listId: '7001', optInDate: '2022-06-01T00:00:00Z', optOutDate: null, optOutReason: null, active: true },
        { listId: '7002', optInDate: '2021-01-01T00:00:00Z', optOutDate: '2021-05-01T00:00:00Z', optOutReason: 'user_opt_out', active: false },
        { listId: '7002', optInDate: '2022-01-01T00:00:00Z', optOutDate: '2023-11-20T21:47:33Z', optOutReason: 'user_opt_out', active: false },
      ],
      purposes,
    );
    expect(facts.consents).toEqual([
      { number: NUMBER, purpose: 'MARKETING', status: 'GRANTED', source: 'VIBES', evidence: 'VENDOR_FLAG', since: new Date('2022-06-01T00:00:00Z'), reason: null, listId: '7001' },
      {
        number: NUMBER,
        purpose: 'ACCOUNT',
        status: 'REVOKED',
        source: 'VIBES',
        evidence: 'VENDOR_FLAG',
        since: new Date('2023-11-20T21:47:33Z'),
        reason: 'user_opt_out',
        listId: '7002',
      },
    ]);
    expect(facts.invalidations).toEqual([]);
  });

  it('reports every disconnect record as a number-wide invalidation, and an unmapped list as MARKETING', () => {
    const facts = vibesSubscriptionFacts(
      NUMBER,
      [{ listId: '9999', optInDate: null, optOutDate: '2024-05-01T00:00:00Z', optOutReason: 'disconnect', active: false }],
      purposes,
    );
    expect(facts.consents).toEqual([expect.objectContaining({ purpose: 'MARKETING', status: 'REVOKED', listId: '9999' })]);
    expect(facts.invalidations).toEqual([expect.objectContaining({ reason: 'disconnect', since: new Date('2024-05-01T00:00:00Z') })]);
  });

  it('says nothing for a person without records', () => {
    expect(vibesSubscriptionFacts(NUMBER, [], purposes)).toEqual({ consents: [], invalidations: [] });
  });
});
