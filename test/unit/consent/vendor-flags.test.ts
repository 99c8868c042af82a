import { describe, expect, it } from 'vitest';
import { currentConsents, decideContactability, ledgerCopiesAsFacts, ledgerFacts, vendorFlagChanges, vendorFlagFacts, type ConsentEvent, type NewConsentEvent, type VendorRecordReading } from '../../../src/consent/index.js';
import { phoneRecordReading } from '../../../src/resolvers/phone/phone-record.js';
import { Vendor } from '../../../src/schema/common/vendor.enum.js';
import { PhoneType } from '../../../src/schema/phone/phone.enums.js';
import type { Phone } from '../../../src/schema/phone/phone.type.js';
import { ledgerEvent } from '../../helpers/consent-events.js';

const NUMBER = '+16514737960';
const T0 = new Date('2026-11-01T10:00:00Z');
const T1 = new Date('2026-11-02T10:00:00Z');
const T2 = new Date('2026-11-03T10:00:00Z');

function reading(states: VendorRecordReading['states'], record = 'recoveryconnect:39317578'): VendorRecordReading {
  return { record, vendor: 'RECOVERY_CONNECT', number: NUMBER, states };
}

/** What the ledger would hold after appending `event` at `at` (ids in order). */
function stored(event: NewConsentEvent, n: number): ConsentEvent {
  return ledgerEvent(event.number, {
    id: `01FLAG${String(n).padStart(20, '0')}`,
    purpose: event.purpose,
    status: event.status,
    source: event.source,
    evidence: event.evidence,
    occurredAt: event.occurredAt,
    recordedAt: event.occurredAt,
    vendorEventId: event.vendorEventId ?? null,
    listId: null,
    detail: event.detail ?? null,
  });
}

const noContact = reading([{ source: 'RECOVERY_CONNECT', purpose: 'COLLECTIONS', status: 'REVOKED', reason: 'no_contact set in RecoveryConnect' }]);
const contactable = reading([{ source: 'RECOVERY_CONNECT', purpose: 'COLLECTIONS', status: 'GRANTED', reason: 'valid contact number' }]);
const silent = reading([{ source: 'RECOVERY_CONNECT', purpose: 'COLLECTIONS', status: null, reason: 'marked not valid' }]);

describe('vendor flags in the ledger: once per change', () => {
  it('records a first observation, nothing while it holds, and each change naming the copy it follows', () => {
    const first = vendorFlagChanges(contactable, [], T0);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ status: 'GRANTED', source: 'RECOVERY_CONNECT', evidence: 'VENDOR_FLAG', vendorEventId: 'flag:recoveryconnect:39317578:first' });
    expect(first[0]!.detail).toMatchObject({ record: 'recoveryconnect:39317578', vendor: 'RECOVERY_CONNECT' });
    const history = [stored(first[0]!, 1)];

    expect(vendorFlagChanges(contactable, history, T1)).toEqual([]);

    const revoked = vendorFlagChanges(noContact, history, T1);
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ status: 'REVOKED', vendorEventId: `flag:recoveryconnect:39317578:${history[0]!.id}` });
    history.unshift(stored(revoked[0]!, 2));

    // The flag clears: recorded as NONE ("says nothing"), then nothing more while it stays clear.
    const cleared = vendorFlagChanges(silent, history, T2);
    expect(cleared.map((e) => e.status)).toEqual(['NONE']);
    history.unshift(stored(cleared[0]!, 3));
    expect(vendorFlagChanges(silent, history, T2)).toEqual([]);
  });

  it('says nothing about a record that never stated anything', () => {
    expect(vendorFlagChanges(silent, [], T0)).toEqual([]);
  });

  it('two replicas seeing the same change at once compute the same vendor event id', () => {
    const history = [stored(vendorFlagChanges(contactable, [], T0)[0]!, 1)];
    expect(vendorFlagChanges(noContact, history, T1)[0]!.vendorEventId).toBe(vendorFlagChanges(noContact, history, T2)[0]!.vendorEventId);
  });

  it("keeps each record's copies apart: one borrower's later 'valid' cannot hide another's no_contact", () => {
    const a = stored({ ...vendorFlagChanges(noContact, [], T0)[0]! }, 1);
    const b = stored({ ...vendorFlagChanges(reading(contactable.states, 'recoveryconnect:2'), [], T1)[0]! }, 2);
    const current = currentConsents([b, a]);
    expect(current.map((c) => [c.record, c.status])).toEqual(
      expect.arrayContaining([
        ['recoveryconnect:39317578', 'REVOKED'],
        ['recoveryconnect:2', 'GRANTED'],
      ]),
    );
    const decision = decideContactability('COLLECTIONS', [{ source: { name: 'ledger', vendor: null }, ok: true, facts: ledgerFacts([b, a]) }]);
    expect(decision.allowed).toBe(false);
  });

  it("live facts date from when the gateway first saw the status, else from now", () => {
    const history = [stored(vendorFlagChanges(contactable, [], T0)[0]!, 1)];
    expect(vendorFlagFacts(contactable, history, T2)[0]!.since).toEqual(T0);
    expect(vendorFlagFacts(noContact, history, T2)[0]!.since).toEqual(T2);
    expect(vendorFlagFacts(contactable, null, T2)[0]!.since).toEqual(T2);
    expect(vendorFlagFacts(silent, history, T2)).toEqual([]);
  });

  it('a live read supersedes the ledger copy of its record, or of a source read completely; NONE copies are no fact', () => {
    const grant = stored(vendorFlagChanges(contactable, [], T0)[0]!, 1);
    const other = stored(vendorFlagChanges(reading(noContact.states, 'recoveryconnect:2'), [], T0)[0]!, 2);
    const copies = currentConsents([grant, other]);
    const none = new Set<string>();
    expect(ledgerCopiesAsFacts(copies, { records: none, completeSources: new Set() })).toHaveLength(2);
    expect(ledgerCopiesAsFacts(copies, { records: new Set(['recoveryconnect:2']), completeSources: new Set() }).map((c) => c.record)).toEqual(['recoveryconnect:39317578']);
    expect(ledgerCopiesAsFacts(copies, { records: none, completeSources: new Set(['RECOVERY_CONNECT']) })).toEqual([]);
    const cleared = stored(vendorFlagChanges(silent, [grant], T1)[0]!, 3);
    expect(ledgerCopiesAsFacts(currentConsents([cleared, grant]), { records: none, completeSources: new Set() })).toEqual([]);
    // Facts of other evidence are never touched.
    const callback = ledgerEvent(NUMBER);
    expect(ledgerCopiesAsFacts(currentConsents([callback]), { records: none, completeSources: new Set(['VIBES']) })).toHaveLength(1);
  });
});

function phone(overrides: Partial<Phone>): Phone {
  return Object.assign(new (class {})() as Phone, {
    id: 'loanpro:803',
    vendor: Vendor.LOANPRO,
    vendorId: '803',
    number: NUMBER,
    raw: '6514737960',
    extension: null,
    type: PhoneType.MOBILE,
    typeId: null,
    isPrimary: true,
    isLandline: false,
    carrier: null,
    mobileCarrierId: null,
    memo: null,
    valid: null,
    doNotContact: false,
    ...overrides,
  });
}

const statesOf = (p: Phone) => phoneRecordReading(p)!.states.map((s) => `${s.source}:${s.purpose}:${s.status ?? '-'}`);

describe('a vendor phone record as consent states', () => {
  it('LoanPro: a contact number grants COLLECTIONS; SBT verified grants, a PIN out pends, neither says nothing', () => {
    const p = phone({ sbt: { account: { verified: true, pending: false }, marketing: { verified: false, pending: true } } });
    expect(statesOf(p)).toEqual(['LOANPRO_DND:ACCOUNT:-', 'LOANPRO_DND:MARKETING:-', 'LOANPRO_DND:COLLECTIONS:GRANTED', 'SBT:ACCOUNT:GRANTED', 'SBT:MARKETING:PENDING']);
    const off = phone({ sbt: { account: { verified: false, pending: false }, marketing: { verified: null, pending: null } } });
    expect(statesOf(off)).toEqual(['LOANPRO_DND:ACCOUNT:-', 'LOANPRO_DND:MARKETING:-', 'LOANPRO_DND:COLLECTIONS:GRANTED', 'SBT:ACCOUNT:-']);
  });

  it('LoanPro dndEnabled revokes every purpose, whatever SBT says', () => {
    const p = phone({ doNotContact: true, sbt: { account: { verified: true, pending: false }, marketing: { verified: true, pending: false } } });
    const facts = vendorFlagFacts(phoneRecordReading(p)!, [], T0);
    for (const purpose of ['ACCOUNT', 'MARKETING', 'COLLECTIONS'] as const) {
      const decision = decideContactability(purpose, [{ source: { name: 'loanpro', vendor: 'LOANPRO' }, ok: true, facts: { consents: facts } }]);
      expect(decision.allowed).toBe(false);
      expect(decision.blockedBy[0]).toMatchObject({ source: 'LOANPRO_DND', status: 'REVOKED' });
    }
  });

  it('RecoveryConnect: no_contact revokes every purpose; valid and contactable grants COLLECTIONS; not valid says nothing', () => {
    const rc = { id: 'recoveryconnect:39317578', vendor: Vendor.RECOVERY_CONNECT, vendorId: '39317578' };
    expect(statesOf(phone({ ...rc, doNotContact: true, valid: true }))).toEqual(['RECOVERY_CONNECT:ACCOUNT:REVOKED', 'RECOVERY_CONNECT:MARKETING:REVOKED', 'RECOVERY_CONNECT:COLLECTIONS:REVOKED']);
    expect(statesOf(phone({ ...rc, valid: true }))).toEqual(['RECOVERY_CONNECT:ACCOUNT:-', 'RECOVERY_CONNECT:MARKETING:-', 'RECOVERY_CONNECT:COLLECTIONS:GRANTED']);
    expect(statesOf(phone({ ...rc, valid: false }))).toEqual(['RECOVERY_CONNECT:ACCOUNT:-', 'RECOVERY_CONNECT:MARKETING:-', 'RECOVERY_CONNECT:COLLECTIONS:-']);
  });

  it('a phone whose number cannot be read, or of another vendor, is no record', () => {
    expect(phoneRecordReading(phone({ number: null }))).toBeNull();
    expect(phoneRecordReading(phone({ vendor: Vendor.VIBES }))).toBeNull();
  });
});
