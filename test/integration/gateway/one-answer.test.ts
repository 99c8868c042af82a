/**
 * One answer for a number (issue #9), over real HTTP to the LoanPro, RecoveryConnect and Vibes simulators and a real
 * ledger, on SQLite and PostgreSQL: `Phone.consents` / `Phone.contactability` of LoanPro and RecoveryConnect phones
 * merge the record's own flags, LoanPro's phones holding the number, Vibes and the ledger; every vendor flag read is
 * recorded once per change; `phone(number)` finds LoanPro customers by number and stands in for RecoveryConnect
 * with the recorded flags; and contact fails closed with each source down in turn.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BorrowerPhoneConsentsQuery, CustomerPhoneConsentsQuery, PhoneCustomersQuery } from '../../__generated__/operations.js';
import { testDatabases, useTestDatabase, type IsolatedDatabase } from '../../helpers/databases.js';
import { ADMIN_KEY, BORROWER_READER_KEY, BORROWER_WRITER_KEY, CONSENT_READER_KEY, READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { consentOperation } from '../consent/gateway.fixtures.js';
import { borrowerOperation } from '../../helpers/operations.js';

const GRACE = '+16514737960'; // LoanPro 1178 phone 803 (SBT verified both), Vibes 7001 + 7002 active, RecoveryConnect 39317503
const NO_CONTACT = '+14702381946'; // RecoveryConnect 39317500, no_contact 1
const EDGE = { orderId: '57062890', borrowerId: '124927300' };
const LIST_PURPOSES = { VIBES_LIST_PURPOSES: '7001=MARKETING,7002=ACCOUNT' };

interface FlagRow {
  number: string;
  purpose: string;
  status: string;
  source: string;
  vendor_event_id: string;
  record: string;
}

/** The VENDOR_FLAG events the ledger holds for a number, in recording order. */
async function flagRows(db: IsolatedDatabase, number: string): Promise<FlagRow[]> {
  const rows = await db.query<{ number: string; purpose: string; status: string; source: string; vendor_event_id: string; detail: unknown }>(
    "SELECT number, purpose, status, source, vendor_event_id, detail FROM consent_events WHERE number = $1 AND evidence = 'VENDOR_FLAG' ORDER BY id",
    [number],
  );
  return rows.map(({ detail, ...row }) => ({ ...row, record: (typeof detail === 'string' ? JSON.parse(detail) : detail).record }));
}

const summary = (consents: ReadonlyArray<{ purpose: string; status: string; source: string; listId?: string | null }>) =>
  consents.map((c) => `${c.purpose} ${c.status} ${c.source}${c.listId ? ` ${c.listId}` : ''}`);

describe.each(testDatabases)('one answer for a number ($label)', (database) => {
  const ctx = useTestDatabase(database);
  let gw: TestGateway;

  beforeAll(async () => {
    if (database.unavailable) return;
    gw = await startGateway({ database: ctx.db, listen: true, vendors: ['loanpro', 'recoveryconnect', 'vibes'], env: LIST_PURPOSES });
  });
  afterAll(async () => {
    await gw?.close();
  });
  beforeEach(() => {
    if (database.unavailable) return;
    for (const sim of Object.values(gw.simulators)) sim?.resetFaults();
  });

  it("merges a LoanPro phone's SBT flags and do-not-disturb with Vibes, and records each flag in the ledger once", async () => {
    const res = await gw.gql<CustomerPhoneConsentsQuery>(consentOperation('CustomerPhoneConsents'), { id: '1178' }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    const [phone] = res.data!.customer!.phones!;
    expect(phone!.id).toBe('loanpro:803');
    expect(summary(phone!.consents)).toEqual([
      'ACCOUNT GRANTED SBT',
      'ACCOUNT GRANTED VIBES 7002',
      'MARKETING GRANTED SBT',
      'MARKETING GRANTED VIBES 7001',
      'COLLECTIONS GRANTED LOANPRO_DND',
    ]);
    expect(phone!.account.allowed).toBe(true);
    expect(phone!.marketing).toMatchObject({ allowed: true, unavailableSources: [], blockedBy: [] });
    expect(phone!.marketing.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^LoanPro SBT grants MARKETING consent since \d{4}-\d{2}-\d{2} \(vendor record, verified by text\)\.$/)]));
    expect(phone!.collections.allowed).toBe(true);

    const recorded = await flagRows(ctx.db, GRACE);
    expect(recorded.map((r) => `${r.record} ${r.source} ${r.purpose} ${r.status}`)).toEqual(
      expect.arrayContaining(['loanpro:803 SBT ACCOUNT GRANTED', 'loanpro:803 SBT MARKETING GRANTED', 'loanpro:803 LOANPRO_DND COLLECTIONS GRANTED']),
    );
    expect(recorded.every((r) => r.vendor_event_id.endsWith(':first'))).toBe(true);

    // Asked again (and by number): nothing changed, nothing more is written.
    await gw.gql(consentOperation('CustomerPhoneConsents'), { id: '1178' }, { key: ADMIN_KEY });
    await gw.gql(consentOperation('PhoneCustomers'), { number: GRACE }, { key: ADMIN_KEY });
    expect(await flagRows(ctx.db, GRACE)).toEqual(recorded);
  });

  it("a RecoveryConnect phone: no_contact revokes every purpose; a valid one grants COLLECTIONS; both are recorded", async () => {
    const res = await gw.gql<BorrowerPhoneConsentsQuery>(consentOperation('BorrowerPhoneConsents'), EDGE, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    const byId = new Map(res.data!.borrower!.phones!.map((p) => [p.id, p]));
    const blocked = byId.get('recoveryconnect:39317500')!;
    expect(blocked.doNotContact).toBe(true);
    for (const decision of [blocked.account, blocked.marketing, blocked.collections]) {
      expect(decision.allowed).toBe(false);
      expect(decision.blockedBy[0]).toMatchObject({ source: 'RECOVERY_CONNECT', status: 'REVOKED', evidence: 'VENDOR_FLAG', reason: 'no_contact set in RecoveryConnect' });
    }
    expect(blocked.collections.reasons[0]).toMatch(/^RecoveryConnect revoked COLLECTIONS consent on \d{4}-\d{2}-\d{2} \(vendor record, no_contact set in RecoveryConnect\)\.$/);
    // Grace's number on a borrower: RecoveryConnect and LoanPro each grant COLLECTIONS.
    const shared = byId.get('recoveryconnect:39317503')!;
    expect(shared.collections.allowed).toBe(true);
    expect(summary(shared.collections.blockedBy)).toEqual([]);
    // An invalid number is no contact number.
    expect(byId.get('recoveryconnect:39317501')!.collections.allowed).toBe(false);

    // Written together (one request), so in no particular id order.
    expect((await flagRows(ctx.db, NO_CONTACT)).map((r) => `${r.record} ${r.purpose} ${r.status}`).sort()).toEqual([
      'recoveryconnect:39317500 ACCOUNT REVOKED',
      'recoveryconnect:39317500 COLLECTIONS REVOKED',
      'recoveryconnect:39317500 MARKETING REVOKED',
    ]);
  });

  it('phone(number) finds the LoanPro customers holding it, and stands in for RecoveryConnect with what the ledger recorded', async () => {
    await gw.gql(consentOperation('BorrowerPhoneConsents'), EDGE, { key: ADMIN_KEY });
    gw.resetRequestLog();
    const res = await gw.gql<PhoneCustomersQuery>(consentOperation('PhoneCustomers'), { number: NO_CONTACT }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.phone.customers).toEqual([]);
    expect(gw.requests('recoveryconnect')).toEqual([]);
    const collections = res.data!.phone.collections;
    expect(collections.allowed).toBe(false);
    expect(collections.blockedBy).toEqual([expect.objectContaining({ source: 'RECOVERY_CONNECT', status: 'REVOKED', evidence: 'VENDOR_FLAG' })]);
    expect(collections.reasons).toContain("RecoveryConnect cannot be searched by number, so its flags count as the gateway last read them from a borrower's phones (1 record).");

    const grace = await gw.gql<PhoneCustomersQuery>(consentOperation('PhoneCustomers'), { number: GRACE }, { key: ADMIN_KEY });
    expect(grace.errors).toBeUndefined();
    expect(grace.data!.phone.customers).toEqual([{ id: '1178', firstName: 'Grace', lastName: 'Lindqvist' }]);
    expect(grace.data!.phone.marketing.allowed).toBe(true);
  });

  it('keeps customers behind customers:read and the consent fields behind consent:read', async () => {
    const res = await gw.gql<PhoneCustomersQuery>(consentOperation('PhoneCustomers'), { number: GRACE }, { key: READER_KEY });
    expect(res.data).toBeNull();
    expect(res.errors!.map((e) => e.extensions!.code)).toContain('FORBIDDEN');
    const consentOnly = await gw.gql(
      'query($n: PhoneNumber!) { phone(number: $n) { customers { id } collections: contactability(purpose: COLLECTIONS) { allowed } } }',
      { n: GRACE },
      { key: CONSENT_READER_KEY },
    );
    expect(consentOnly.errors!.map((e) => [e.path!.join('.'), e.extensions!.code])).toEqual([['phone.customers', 'FORBIDDEN']]);
  });

  it("records RecoveryConnect's flags whenever its phones are read, so a lookup by number follows each change", async () => {
    const doc = { orderId: '57062885', borrowerId: '124927241' };
    const number = '+16789321578'; // phone 39317578: valid, contactable
    const rows = async () => (await flagRows(ctx.db, number)).map((r) => `${r.purpose} ${r.status}`).sort();
    const collections = async () => {
      const res = await gw.gql<PhoneCustomersQuery>(consentOperation('PhoneCustomers'), { number }, { key: ADMIN_KEY });
      return res.data!.phone.collections;
    };

    // A plain read, no consent field asked: the flags are recorded all the same.
    expect((await gw.gql(borrowerOperation('Borrower'), doc, { key: BORROWER_READER_KEY })).errors).toBeUndefined();
    expect(await rows()).toEqual(['COLLECTIONS GRANTED']);
    expect((await collections()).allowed).toBe(true);

    // The collector marks it do-not-contact: the change is recorded from the write's answer, naming the copy it follows.
    const update = (doNotContact: boolean) =>
      gw.gql(borrowerOperation('UpdateBorrowerPhone'), { ...doc, phoneId: '39317578', input: { doNotContact } }, { key: BORROWER_WRITER_KEY });
    expect((await update(true)).errors).toBeUndefined();
    expect(await rows()).toEqual(['ACCOUNT REVOKED', 'COLLECTIONS GRANTED', 'COLLECTIONS REVOKED', 'MARKETING REVOKED']);
    const [first, revoked] = (await flagRows(ctx.db, number)).filter((r) => r.purpose === 'COLLECTIONS');
    expect(revoked!.vendor_event_id).toMatch(/^flag:recoveryconnect:39317578:01[0-9A-Z]{24}$/);
    expect(first!.vendor_event_id).toBe('flag:recoveryconnect:39317578:first');
    const blocked = await collections();
    expect(blocked.allowed).toBe(false);
    expect(blocked.blockedBy).toEqual([expect.objectContaining({ source: 'RECOVERY_CONNECT', status: 'REVOKED', reason: 'no_contact set in RecoveryConnect' })]);

    // And back: COLLECTIONS granted again; the other purposes back to "says nothing".
    expect((await update(false)).errors).toBeUndefined();
    expect((await rows()).filter((r) => !r.startsWith('COLLECTIONS'))).toEqual(['ACCOUNT NONE', 'ACCOUNT REVOKED', 'MARKETING NONE', 'MARKETING REVOKED']);
    expect((await collections()).allowed).toBe(true);
    // Reading it again changes nothing.
    const settled = await rows();
    await gw.gql(borrowerOperation('Borrower'), doc, { key: BORROWER_READER_KEY });
    expect(await rows()).toEqual(settled);

    // Deleted through the gateway: its copy stops standing in, so the number is no longer a contact number.
    const deleted = await gw.gql(borrowerOperation('DeleteBorrowerPhone'), { ...doc, phoneId: '39317578' }, { key: BORROWER_WRITER_KEY });
    expect(deleted.errors).toBeUndefined();
    expect((await rows()).filter((r) => r.startsWith('COLLECTIONS'))).toEqual(['COLLECTIONS GRANTED', 'COLLECTIONS GRANTED', 'COLLECTIONS NONE', 'COLLECTIONS REVOKED']);
    const gone = await collections();
    expect(gone.allowed).toBe(false);
    expect(gone.reasons).toContain("RecoveryConnect cannot be searched by number, so its flags count as the gateway last read them from a borrower's phones (none recorded).");
  });

  it('two writes in one operation: each answer, and each change in the ledger, follows its own write', async () => {
    const number = '+16784142290'; // RecoveryConnect 39317502, valid and contactable
    const before = (await flagRows(ctx.db, number)).length;
    const res = await gw.gql<Record<string, { doNotContact: boolean; collections: { allowed: boolean } }>>(
      `mutation($o: ID!, $b: ID!) {
        off: updateBorrowerPhone(orderId: $o, borrowerId: $b, phoneId: "39317502", input: { doNotContact: true }) { doNotContact collections: contactability(purpose: COLLECTIONS) { allowed } }
        on: updateBorrowerPhone(orderId: $o, borrowerId: $b, phoneId: "39317502", input: { doNotContact: false }) { doNotContact collections: contactability(purpose: COLLECTIONS) { allowed } }
      }`,
      { o: EDGE.orderId, b: EDGE.borrowerId },
      { key: ADMIN_KEY },
    );
    expect(res.errors).toBeUndefined();
    // The second answer is not the first one's reads again.
    expect(res.data!.off).toEqual({ doNotContact: true, collections: { allowed: false } });
    expect(res.data!.on).toEqual({ doNotContact: false, collections: { allowed: true } });
    // Both changes are in the ledger: REVOKED (every purpose), then COLLECTIONS GRANTED and the others back to NONE.
    const added = (await flagRows(ctx.db, number)).slice(before).map((r) => `${r.purpose} ${r.status}`);
    expect(added.sort()).toEqual(['ACCOUNT NONE', 'ACCOUNT REVOKED', 'COLLECTIONS GRANTED', 'COLLECTIONS REVOKED', 'MARKETING NONE', 'MARKETING REVOKED']);
  });

  it('fails closed with each source down in turn, listing what the others say', async () => {
    const cases = [
      { vendor: 'loanpro', unavailable: 'LOANPRO' },
      { vendor: 'vibes', unavailable: 'VIBES' },
    ] as const;
    for (const { vendor, unavailable } of cases) {
      gw.simulators[vendor]!.setFaults({ errorRate: 1 });
      try {
        const res = await gw.gql<PhoneCustomersQuery>(consentOperation('PhoneCustomers'), { number: GRACE }, { key: ADMIN_KEY });
        const phone = res.data!.phone;
        for (const decision of [phone.marketing, phone.collections]) {
          expect(decision.allowed).toBe(false);
          expect(decision.unavailableSources).toEqual([unavailable]);
        }
        expect(phone.marketing.reasons[0]).toMatch(/could not be read, so MARKETING contact is blocked until it answers\.$/);
        // The reachable sources still speak.
        const sources = new Set(phone.consents.map((c) => c.source));
        if (vendor === 'vibes') expect(sources.has('VIBES')).toBe(false);
        else expect(sources.has('VIBES')).toBe(true);
        const body = JSON.stringify(res);
        expect(body).not.toContain('127.0.0.1');
      } finally {
        gw.simulators[vendor]!.resetFaults();
      }
    }

    // RecoveryConnect down: its phones cannot be read at all (null, with an error naming it): nothing is allowed.
    gw.simulators.recoveryconnect!.setFaults({ errorRate: 1 });
    try {
      const res = await gw.gql<BorrowerPhoneConsentsQuery>(consentOperation('BorrowerPhoneConsents'), EDGE, { key: ADMIN_KEY });
      expect(res.data?.borrower?.phones ?? null).toBeNull();
      expect(res.errors!.some((e) => e.extensions!.vendor === 'RECOVERY_CONNECT')).toBe(true);
    } finally {
      gw.simulators.recoveryconnect!.resetFaults();
    }
  });
});

describe('one answer within the operation budget', () => {
  it('an operation past GRAPHQL_MAX_IDS is told so (QUERY_TOO_COMPLEX), never answered as a source outage', async () => {
    const gw = await startGateway({ vendors: ['loanpro', 'vibes'], env: { ...LIST_PURPOSES, GRAPHQL_MAX_IDS: '2' } });
    try {
      const res = await gw.gql<{ customers: Array<{ phones: Array<{ marketing: { allowed: boolean; unavailableSources: string[] } }> } | null> }>(
        'query { customers(ids: ["1178", "1121"]) { id phones { number marketing: contactability(purpose: MARKETING) { allowed unavailableSources } } } }',
        {},
        { key: ADMIN_KEY },
      );
      expect(res.errors!.map((e) => e.extensions!.code)).toContain('QUERY_TOO_COMPLEX');
      expect(JSON.stringify(res.data)).not.toContain('"allowed":true');
      expect(JSON.stringify(res.data)).not.toContain('LOANPRO');
    } finally {
      await gw.close();
    }
  });
});
