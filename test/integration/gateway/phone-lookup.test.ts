/**
 * `phone(number)` over the seeded Vibes simulator and a real ledger, on SQLite and PostgreSQL: person, history,
 * consents from both sources, contactability(purpose) by the policy; the scopes; every source read once per
 * lookup however many fields ask; a Vibes outage and a ledger failure answered without failing the consent
 * fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhoneEverythingQuery, PhoneHistoryQuery, PhoneLookupQuery, PhonePersonQuery } from '../../__generated__/operations.js';
import { testDatabases, useTestDatabase, type IsolatedDatabase } from '../../helpers/databases.js';
import { ADMIN_KEY, CONSENT_READER_KEY, PERSON_READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { callbackText, consentOperation, inboxRows, post, SETTLE } from '../consent/gateway.fixtures.js';

const GRACE = '+16514737960'; // 7001 (MARKETING) and 7002 (ACCOUNT) active
const MARCUS = '+18012364481'; // 7001 opted out 2023-11-20 (user_opt_out), 7002 active since 2018
const NOBODY = '+16125550999';

const LIST_PURPOSES = { VIBES_LIST_PURPOSES: '7001=MARKETING,7002=ACCOUNT' };
/** Every decision says that RecoveryConnect was not (cannot be) searched by number. */
const RC_NOTE = "RecoveryConnect cannot be searched by number, so its flags count as the gateway last read them from a borrower's phones (none recorded).";

/** Vibes' facts, live or recorded from callbacks (LoanPro's live facts about these numbers are one-answer.test.ts's). */
const vibesOnly = <T extends { source: string }>(consents: readonly T[]): T[] => consents.filter((c) => c.source === 'VIBES');
/** The ledger's events other than its copies of vendor flags. */
const callbacksOnly = <T extends { evidence: string }>(events: readonly T[]): T[] => events.filter((e) => e.evidence !== 'VENDOR_FLAG');

async function recordCallback(gw: TestGateway, db: IsolatedDatabase, spec: Parameters<typeof callbackText>[0]): Promise<void> {
  expect((await post(gw.vibesCallbackUrl!, callbackText(spec))).status).toBe(200);
  await expect.poll(async () => (await inboxRows(db, spec.eventId)).map((r) => r.state), SETTLE).toEqual(['done']);
}

/** A real failure of the ledger's read: its table is renamed away (and back), from outside the gateway. */
async function withLedgerGone<T>(db: IsolatedDatabase, run: () => Promise<T>): Promise<T> {
  await db.query('ALTER TABLE consent_events RENAME TO consent_events_away');
  try {
    return await run();
  } finally {
    await db.query('ALTER TABLE consent_events_away RENAME TO consent_events');
  }
}

describe.each(testDatabases)('phone(number) ($label)', (database) => {
  const ctx = useTestDatabase(database);
  let gw: TestGateway;

  beforeAll(async () => {
    if (database.unavailable) return;
    gw = await startGateway({ database: ctx.db, listen: true, vendors: ['loanpro', 'vibes'], env: LIST_PURPOSES });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers from Vibes alone for a number the ledger has not heard of', async () => {
    const res = await gw.gql<PhoneEverythingQuery>(consentOperation('PhoneEverything'), { number: GRACE }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    const phone = res.data!.phone;
    expect(phone.person).toEqual({ key: '2b6f0cc1-7d0e-4f3a-9c8e-5a1d3e7b9f01', externalId: '1178', mobile: GRACE });
    expect(phone.history).toEqual([]);
    expect(vibesOnly(phone.consents)).toEqual([
      { number: GRACE, purpose: 'ACCOUNT', status: 'GRANTED', source: 'VIBES', evidence: 'VENDOR_FLAG', since: '2019-07-02T10:16:40.000Z', reason: null, listId: '7002' },
      { number: GRACE, purpose: 'MARKETING', status: 'GRANTED', source: 'VIBES', evidence: 'VENDOR_FLAG', since: '2021-03-04T17:20:11.000Z', reason: null, listId: '7001' },
    ]);
    // Grace is also LoanPro customer 1178: her phone's SBT flags and do-not-disturb speak too.
    expect(phone.consents.filter((c) => c.source !== 'VIBES').map((c) => `${c.purpose} ${c.status} ${c.source}`)).toEqual([
      'ACCOUNT GRANTED SBT',
      'MARKETING GRANTED SBT',
      'COLLECTIONS GRANTED LOANPRO_DND',
    ]);
    expect(phone.account).toMatchObject({ allowed: true, purpose: 'ACCOUNT', unavailableSources: [], blockedBy: [] });
    expect(phone.account.reasons[0]).toBe('Vibes list 7002 grants ACCOUNT consent since 2019-07-02 (vendor record).');
    expect(phone.account.reasons.at(-1)).toBe(RC_NOTE);
    expect(phone.marketing.allowed).toBe(true);
    expect(phone.collections).toMatchObject({ allowed: true, blockedBy: [] });
  });

  it('reads each source once per lookup, whatever number of fields and aliases ask', async () => {
    gw.resetRequestLog();
    const res = await gw.gql<PhoneEverythingQuery>(consentOperation('PhoneEverything'), { number: MARCUS }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    // person + consents + three contactability aliases: one person read by MDN, one subscriptions read.
    expect(gw.requests('vibes').map((r) => `${r.method} ${r.path.replace(/persons\/[^/]+/, 'persons/:key')}`)).toEqual([
      'GET /companies/simco/mobiledb/persons',
      'GET /companies/simco/mobiledb/persons/:key/subscriptions',
    ]);
    // ... and one LoanPro read of the phones holding the number.
    expect(gw.requests('loanpro').map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`)).toEqual(['GET /api/public/api/1/odata.svc/Phones']);
    expect(res.data!.phone.marketing).toMatchObject({
      allowed: false,
      reasons: ['Vibes list 7001 revoked MARKETING consent on 2023-11-20 (vendor record, user_opt_out).', 'No source grants MARKETING consent.', RC_NOTE],
      blockedBy: [{ source: 'VIBES', status: 'REVOKED', evidence: 'VENDOR_FLAG', listId: '7001', reason: 'user_opt_out' }],
    });
    expect(res.data!.phone.account.allowed).toBe(true);
  });

  it('lets a ledger revocation block what Vibes still grants (most restrictive wins), with the history newest first', async () => {
    await recordCallback(gw, ctx.db, { type: 'subscription_removed', eventId: 'lookup-1', date: '2026-05-01T08:00:00Z', mdn: GRACE, listId: '7001', reason: 'user_opt_out' });
    const res = await gw.gql<PhoneLookupQuery>(consentOperation('PhoneLookup'), { number: GRACE, purpose: 'MARKETING' }, { key: CONSENT_READER_KEY });
    expect(res.errors).toBeUndefined();
    const phone = res.data!.phone;
    expect(callbacksOnly(phone.history!).map((e) => [e.status, e.vendorEventId, e.listId])).toEqual([['REVOKED', 'lookup-1', '7001']]);
    expect(vibesOnly(phone.consents).map((c) => [c.purpose, c.status, c.evidence, c.listId])).toEqual([
      ['ACCOUNT', 'GRANTED', 'VENDOR_FLAG', '7002'],
      ['MARKETING', 'REVOKED', 'SUBSCRIPTION_CALLBACK', '7001'],
      ['MARKETING', 'GRANTED', 'VENDOR_FLAG', '7001'],
    ]);
    expect(phone.contactability).toMatchObject({ allowed: false, unavailableSources: [] });
    expect(phone.contactability.blockedBy.map((c) => [c.status, c.evidence])).toEqual([['REVOKED', 'SUBSCRIPTION_CALLBACK']]);
    expect(phone.contactability.reasons).toEqual([
      'Vibes list 7001 revoked MARKETING consent on 2026-05-01 (subscription callback, user_opt_out).',
      'Vibes list 7001 grants MARKETING consent since 2021-03-04 (vendor record).',
      expect.stringMatching(/^LoanPro SBT grants MARKETING consent since \d{4}-\d{2}-\d{2} \(vendor record, verified by text\)\.$/),
      RC_NOTE,
    ]);
  });

  it('voids every earlier consent of a number Vibes reports disconnected, whatever its purpose', async () => {
    await recordCallback(gw, ctx.db, { type: 'subscription_removed', eventId: 'lookup-2', date: '2026-05-02T08:00:00Z', mdn: MARCUS, listId: '7001', reason: 'disconnect' });
    const res = await gw.gql<PhoneLookupQuery>(consentOperation('PhoneLookup'), { number: MARCUS, purpose: 'ACCOUNT' }, { key: CONSENT_READER_KEY });
    // Vibes still grants 7002 (ACCOUNT) since 2018, but that consent predates the disconnect.
    expect(res.data!.phone.contactability).toMatchObject({
      allowed: false,
      reasons: ['Vibes reported the number disconnected on 2026-05-02: consent given before then no longer counts.', RC_NOTE],
      blockedBy: [{ status: 'REVOKED', reason: 'disconnect', listId: '7001', evidence: 'SUBSCRIPTION_CALLBACK' }],
    });
  });

  it('answers a number nobody knows with no person, no consents and no contact', async () => {
    const res = await gw.gql<PhoneEverythingQuery>(consentOperation('PhoneEverything'), { number: NOBODY }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.phone).toMatchObject({ person: null, consents: [], history: [] });
    expect(res.data!.phone.marketing).toEqual({ allowed: false, purpose: 'MARKETING', reasons: ['No source grants MARKETING consent.', RC_NOTE], unavailableSources: [], blockedBy: [] });
  });

  it('keeps person behind persons:read and the consent fields behind consent:read, with no Vibes call for a refused field', async () => {
    gw.resetRequestLog();
    const consentOnly = await gw.gql<PhoneEverythingQuery>(
      `query { phone(number: "${GRACE}") { number person { key } contactability(purpose: ACCOUNT) { allowed } } }`,
      {},
      { key: CONSENT_READER_KEY },
    );
    expect(consentOnly.data).toEqual({ phone: { number: GRACE, person: null, contactability: { allowed: true } } });
    expect(consentOnly.errors).toEqual([expect.objectContaining({ path: ['phone', 'person'], extensions: expect.objectContaining({ code: 'FORBIDDEN', requiredScope: 'persons:read' }) })]);

    const personOnly = await gw.gql<PhonePersonQuery>(consentOperation('PhonePerson'), { number: GRACE }, { key: PERSON_READER_KEY });
    expect(personOnly.errors).toBeUndefined();
    expect(personOnly.data!.phone.person!.externalId).toBe('1178');
    const refused = await gw.gql(`query { phone(number: "${GRACE}") { history { id } } }`, {}, { key: PERSON_READER_KEY });
    expect(refused.data).toEqual({ phone: { history: null } });
    expect(refused.errors).toEqual([expect.objectContaining({ path: ['phone', 'history'], extensions: expect.objectContaining({ code: 'FORBIDDEN', requiredScope: 'consent:read' }) })]);
  });

  it('checks its arguments: an invalid number, a history limit out of range', async () => {
    const bad = await gw.gql(`query { phone(number: "651-473-7960") { number } }`, {}, { key: ADMIN_KEY });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const limit0 = await gw.gql<PhoneHistoryQuery>(consentOperation('PhoneHistory'), { number: GRACE, limit: 0 }, { key: ADMIN_KEY });
    expect(limit0.errors).toEqual([expect.objectContaining({ path: ['phone', 'history'], extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'limit' }) })]);
    const limit1 = await gw.gql<PhoneHistoryQuery>(consentOperation('PhoneHistory'), { number: MARCUS, limit: 1 }, { key: ADMIN_KEY });
    expect(limit1.data!.phone.history).toHaveLength(1);
  });

  it('answers with what the ledger says when Vibes is down, and blocks contact naming VIBES', async () => {
    const vibes = gw.simulators.vibes!;
    vibes.setFaults({ errorRate: 1 });
    try {
      const res = await gw.gql<PhoneEverythingQuery>(consentOperation('PhoneEverything'), { number: GRACE }, { key: ADMIN_KEY });
      const phone = res.data!.phone;
      // Only `person` fails (it has one source); the consent fields answer.
      expect(res.errors!.map((e) => [e.path!.join('.'), e.extensions!.code, e.extensions!.vendor])).toEqual([['phone.person', 'UPSTREAM_UNAVAILABLE', 'VIBES']]);
      expect(phone.person).toBeNull();
      expect(vibesOnly(phone.consents).map((c) => [c.purpose, c.status, c.evidence])).toEqual([['MARKETING', 'REVOKED', 'SUBSCRIPTION_CALLBACK']]);
      // LoanPro's SBT grant cannot outweigh a source that could not be read.
      expect(phone.account).toMatchObject({ allowed: false, purpose: 'ACCOUNT', unavailableSources: ['VIBES'], blockedBy: [] });
      expect(phone.account.reasons[0]).toBe('Vibes could not be read, so ACCOUNT contact is blocked until it answers.');
      expect(gw.logs.join('\n')).toContain('consent source could not be read');
    } finally {
      vibes.resetFaults();
    }
  });

  it('when the ledger cannot be read: history is null with an error, consents are what Vibes says, contact is blocked', async () => {
    const res = await withLedgerGone(ctx.db, () => gw.gql<PhoneEverythingQuery>(consentOperation('PhoneEverything'), { number: GRACE }, { key: ADMIN_KEY }));
    expect(res.errors!.map((e) => [e.path!.join('.'), e.extensions!.code, e.message])).toEqual([
      ['phone.history', 'INTERNAL_SERVER_ERROR', 'The consent ledger could not be read; try again shortly.'],
    ]);
    const phone = res.data!.phone;
    expect(phone.history).toBeNull();
    expect(vibesOnly(phone.consents).map((c) => [c.purpose, c.status, c.evidence])).toEqual([
      ['ACCOUNT', 'GRANTED', 'VENDOR_FLAG'],
      ['MARKETING', 'GRANTED', 'VENDOR_FLAG'],
    ]);
    expect(phone.account).toMatchObject({ allowed: false, unavailableSources: [] });
    expect(phone.account.reasons[0]).toBe('The consent ledger could not be read, so no ACCOUNT contact can be allowed.');
    // Back: the ledger's revocation is there again.
    const after = await gw.gql<PhoneLookupQuery>(consentOperation('PhoneLookup'), { number: GRACE, purpose: 'MARKETING' }, { key: ADMIN_KEY });
    expect(callbacksOnly(after.data!.phone.history!).map((e) => e.vendorEventId)).toEqual(['lookup-1']);
  });
});
