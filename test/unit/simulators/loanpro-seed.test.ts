import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';

import { PHONE_TYPES } from '../../../src/simulators/loanpro/loanpro.model.js';
import { defaultLoanProSeed, generateLoanProSeed, phoneKey } from '../../../src/simulators/loanpro/loanpro.seed.js';

const seed = defaultLoanProSeed();
const live = seed.customers.filter((c) => c.deleted === 0);
const livePhones = seed.phones.filter((p) => p.deleted === 0);
const INVALID_ON_PURPOSE = new Set(['12345', '4555555555']);

describe('LoanPro seed data', () => {
  it('is deterministic', () => {
    expect(generateLoanProSeed()).toEqual(generateLoanProSeed());
    expect(generateLoanProSeed(1)).not.toEqual(generateLoanProSeed(2));
  });

  it('has ~250 customers with unique ids starting at 1001, plus the documented hand-written ones', () => {
    expect(live.length).toBeGreaterThanOrEqual(250);
    expect(new Set(seed.customers.map((c) => c.id)).size).toBe(seed.customers.length);
    const ids = new Set(live.map((c) => c.id));
    for (const id of [1001, 1002, 1250, 1178, 1121, 1183, 555, 396, 1251, 1252, 1253]) expect(ids.has(id)).toBe(true);
    expect(ids.has(1254)).toBe(false); // soft-deleted
  });

  it('contains the doc example phone 803 on customer 1178 exactly as documented', () => {
    const p = seed.phones.find((x) => x.id === 803);
    expect(p).toMatchObject({
      entityId: 1178,
      phone: '6514737960',
      type: 'customer.phoneType.cell',
      isPrimary: 1,
      isSecondary: 0,
      sbtMktVerifyPIN: null,
      sbtActVerifyPIN: null,
      sbtMktVerified: 1,
      sbtActVerified: 1,
      carrierName: null,
      carrierVerified: 1,
      isLandLine: 0,
      dndEnabled: 0,
      active: 1,
    });
  });

  it('has the edge cases: no phones, garbage phone, company customer', () => {
    expect(livePhones.filter((p) => p.entityId === 1251)).toEqual([]);
    expect(livePhones.find((p) => p.entityId === 1252)?.phone).toBe('12345');
    expect(seed.customers.find((c) => c.id === 1253)).toMatchObject({
      customerType: 'customer.type.company',
      companyName: 'Acme Freight Logistics LLC',
      contactName: 'Dana Whitfield',
    });
  });

  it('uses realistic, unique, NANP-valid 10-digit numbers (except the deliberate bad ones)', () => {
    const keys = new Set<string>();
    for (const p of livePhones) {
      const key = phoneKey(p.phone);
      expect(keys.has(key), `duplicate ${p.id}`).toBe(false);
      keys.add(key);
      if (INVALID_ON_PURPOSE.has(p.phone)) continue;
      expect(p.phone).toMatch(/^[2-9]\d{2}[2-9]\d{6}$/);
      expect(parsePhoneNumberFromString(p.phone, 'US')?.isValid(), p.phone).toBe(true);
      expect(p.phone.slice(3, 6)).not.toBe('555');
    }
  });

  it('gives each customer with phones exactly one primary, and mixes types and flags', () => {
    const byCustomer = new Map<number, number>();
    for (const p of livePhones) byCustomer.set(p.entityId, (byCustomer.get(p.entityId) ?? 0) + p.isPrimary);
    for (const [id, primaries] of byCustomer) expect(primaries, `customer ${id}`).toBe(1);
    const types = new Set(livePhones.map((p) => p.type));
    for (const t of PHONE_TYPES) expect(types.has(t)).toBe(true);
    expect(livePhones.some((p) => p.dndEnabled === 1)).toBe(true);
    expect(livePhones.some((p) => p.isLandLine === 1)).toBe(true);
    expect(livePhones.some((p) => p.sbtActVerified === 1)).toBe(true);
    for (const p of livePhones) {
      for (const f of ['isPrimary', 'isSecondary', 'isLandLine', 'dndEnabled', 'active', 'carrierVerified'] as const) {
        expect([0, 1]).toContain(p[f]);
      }
    }
    const perCustomer = new Map<number, number>();
    for (const p of livePhones) if (p.entityId >= 1001 && p.entityId <= 1250) perCustomer.set(p.entityId, (perCustomer.get(p.entityId) ?? 0) + 1);
    expect(new Set(perCustomer.values())).toEqual(new Set([1, 2, 3]));
  });

  it('uses 9-digit unique SSNs and no accessPassword', () => {
    const ssns = live.map((c) => c.ssn).filter((s) => s !== '');
    expect(new Set(ssns).size).toBe(ssns.length);
    for (const s of ssns) expect(s).toMatch(/^\d{9}$/);
    for (const c of live) expect(c.accessPassword).toBeNull();
  });
});
