import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';

import { defaultLoanProSeed } from '../../../src/simulators/loanpro/loanpro.seed.js';
import {
  BENCH_BORROWER_COUNT,
  BENCH_ORDER_ID,
  DOC_BORROWER_ID,
  DOC_DELETED_PHONE_ID,
  DOC_ORDER_ID,
  EDGE_PHONE_IDS,
  EMPTY_ORDER_ID,
  FIRST_CREATED_PHONE_ID,
  defaultRecoveryConnectSeed,
  generateRecoveryConnectSeed,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';
import { RecoveryConnectStore } from '../../../src/simulators/recoveryconnect/recoveryconnect.store.js';

const seed = defaultRecoveryConnectSeed();
const livePhones = seed.phones.filter((p) => p.deleted_at === null);
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('RecoveryConnect seed data', () => {
  it('is deterministic for a PRNG seed, and the seed matters', () => {
    expect(generateRecoveryConnectSeed()).toEqual(generateRecoveryConnectSeed());
    expect(generateRecoveryConnectSeed(1)).not.toEqual(generateRecoveryConnectSeed(2));
  });

  it('has unique ids, and every borrower and phone points at a stored parent', () => {
    for (const list of [seed.orders, seed.borrowers, seed.phones]) expect(new Set(list.map((x) => x.id)).size).toBe(list.length);
    const orders = new Set(seed.orders.map((o) => o.id));
    const borrowers = new Set(seed.borrowers.map((b) => b.id));
    for (const b of seed.borrowers) expect(orders.has(b.order_id)).toBe(true);
    for (const p of seed.phones) expect(borrowers.has(p.borrower_id)).toBe(true);
    expect(seed.orders.length).toBeGreaterThanOrEqual(5);
  });

  it('has the 20-borrower benchmark order, every borrower with 1-3 phones', () => {
    const bench = seed.borrowers.filter((b) => b.order_id === BENCH_ORDER_ID);
    expect(bench).toHaveLength(BENCH_BORROWER_COUNT);
    for (const b of bench) {
      const n = livePhones.filter((p) => p.borrower_id === b.id).length;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(3);
    }
  });

  it('stores every number with dashes, unique and NANP-valid (except the one invalid on purpose)', () => {
    const digits = livePhones.map((p) => p.number.replace(/-/g, ''));
    expect(new Set(digits).size).toBe(digits.length);
    for (const p of livePhones) {
      expect(p.number).toMatch(/^\d{3}-\d{3}-\d{4}$/);
      if (p.id === EDGE_PHONE_IDS.notNanp) continue;
      // 887-213-6744 is the seed article's own number (887 is a reserved toll-free code).
      if (p.number === '887-213-6744') continue;
      expect(parsePhoneNumberFromString(p.number, 'US')?.isValid(), p.number).toBe(true);
    }
    expect(parsePhoneNumberFromString('123-456-7890', 'US')?.isValid() ?? false).toBe(false);
  });

  it('uses the vendor timestamp format, with updated_at never before created_at', () => {
    for (const r of [...seed.borrowers, ...seed.phones]) {
      expect(r.created_at).toMatch(TIMESTAMP_RE);
      expect(r.updated_at).toMatch(TIMESTAMP_RE);
      // The format sorts lexically in time order.
      expect(r.updated_at >= r.created_at).toBe(true);
    }
  });

  it('covers the edge cases the gateway must handle', () => {
    expect(livePhones.some((p) => p.no_contact === 1)).toBe(true);
    expect(livePhones.some((p) => p.valid === 0)).toBe(true);
    expect(livePhones.some((p) => p.type !== 5 && p.type !== 6)).toBe(true);
    expect(livePhones.some((p) => p.extension !== null)).toBe(true);
    expect(livePhones.some((p) => p.memo !== null)).toBe(true);
    expect(livePhones.some((p) => p.mobile_carrier_id !== null)).toBe(true);
    const withPhones = new Set(livePhones.map((p) => p.borrower_id));
    expect(seed.borrowers.filter((b) => !withPhones.has(b.id)).length).toBeGreaterThan(1);
    expect(seed.borrowers.some((b) => b.order_id === EMPTY_ORDER_ID)).toBe(false);
    expect(seed.borrowers.every((b) => b.ssn === null)).toBe(true);
  });

  it('shares one number with the LoanPro seed, for cross-vendor lookups', () => {
    const shared = livePhones.find((p) => p.id === EDGE_PHONE_IDS.sharedWithLoanPro);
    const loanPro = defaultLoanProSeed().phones.find((p) => p.phone === shared?.number.replace(/-/g, ''));
    expect(loanPro).toBeDefined();
  });

  it('keeps generated phone ids below the documented ones, so the first create gets the seed example id', () => {
    const doc = seed.phones.filter((p) => p.borrower_id === DOC_BORROWER_ID);
    expect(doc.map((p) => p.id).sort()).toEqual([39317578, 39317579, DOC_DELETED_PHONE_ID]);
    expect(seed.borrowers.find((b) => b.id === DOC_BORROWER_ID)?.order_id).toBe(DOC_ORDER_ID);
    expect(Math.max(...seed.phones.map((p) => p.id))).toBe(FIRST_CREATED_PHONE_ID - 1);
    expect(new RecoveryConnectStore(seed).allocatePhoneId()).toBe(FIRST_CREATED_PHONE_ID);
  });

  it('is frozen, so a store cannot change the shared default dataset', () => {
    const store = new RecoveryConnectStore(seed);
    const phone = store.phoneOf(DOC_BORROWER_ID, 39317578);
    if (phone === undefined) throw new Error('doc phone missing');
    phone.memo = 'changed';
    expect(seed.phones.find((p) => p.id === 39317578)?.memo).toBeNull();
    store.reset();
    expect(store.phoneOf(DOC_BORROWER_ID, 39317578)?.memo).toBeNull();
    expect(Object.isFrozen(seed.phones[0])).toBe(true);
  });
});
