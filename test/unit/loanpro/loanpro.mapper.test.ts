import { describe, expect, it } from 'vitest';
import {
  customerFromWire,
  customerUpdateToWire,
  holderPhoneFromWire,
  phoneFromWire,
  phonesAfterWrite,
  wireDateToIso,
} from '../../../src/datasources/loanpro/loanpro.mapper.js';
import { validateCustomerUpdate } from '../../../src/datasources/loanpro/loanpro.validate.js';
import type { WireCustomer, WirePhone } from '../../../src/datasources/loanpro/loanpro.wire.js';
import { BadUserInputError } from '../../../src/errors/errors.js';
import { parsePhoneId } from '../../../src/phone/phone-id.js';
import type { UpdateCustomerInput } from '../../../src/schema/customer/customer.input.js';
import { PhoneType } from '../../../src/schema/phone/phone.enums.js';
import { checkPositiveId } from '../../../src/validation/input.js';

const PHONE: WirePhone = {
  id: 803,
  entityId: 1178,
  entityType: 'Entity.Customer',
  phone: '6514737960',
  type: 'customer.phoneType.cell',
  isPrimary: 1,
  isSecondary: 0,
  carrierName: 'Verizon',
  isLandLine: 0,
  dndEnabled: 1,
  active: 1,
};

const CUSTOMER: WireCustomer = {
  id: 1178,
  customId: 'C-1178',
  customerType: 'customer.type.individual',
  status: 'Active',
  firstName: 'Ana',
  middleName: '',
  lastName: 'Silva',
  email: 'ana@example.com',
  birthDate: '/Date(631152000)/',
  ssn: '462454573',
  driverLicense: 'D123',
  creditLimit: '1500.00',
  ofacMatch: 0,
  ofacTested: 1,
  Phones: [PHONE, { ...PHONE, id: 804, phone: '12345', type: 'customer.phoneType.office', isPrimary: 0, dndEnabled: 0 }],
};

describe('LoanPro mapper', () => {
  it('maps a phone to E.164 and keeps the raw spelling', () => {
    expect(phoneFromWire(PHONE, 'US')).toEqual({
      id: 'loanpro:803',
      vendor: 'LOANPRO',
      vendorId: '803',
      number: '+16514737960',
      raw: '6514737960',
      extension: null,
      type: PhoneType.MOBILE,
      typeId: null,
      mobileCarrierId: null,
      memo: null,
      valid: null,
      isPrimary: true,
      isLandline: false,
      carrier: 'Verizon',
      doNotContact: true,
      // No sbt* fields on this record: unknown, not false.
      sbt: { account: { verified: null, pending: null }, marketing: { verified: null, pending: null } },
      customerId: '1178',
    });
  });

  it("carries the SBT flags per purpose and the customer id, never the texted PINs", () => {
    const wire: WirePhone = {
      ...PHONE,
      sbtActVerified: 1,
      sbtActVerifyPending: 0,
      sbtMktVerified: '0',
      sbtMktVerifyPending: true,
      sbtActVerifyPIN: '68662',
      sbtMktVerifyPIN: '40213',
    };
    const phone = phoneFromWire(wire, 'US');
    expect(phone.sbt).toEqual({ account: { verified: true, pending: false }, marketing: { verified: false, pending: true } });
    expect(phone.customerId).toBe('1178');
    expect(JSON.stringify(phone)).not.toMatch(/68662|40213/);
  });

  it("gives a customer's expanded phones the customer's id when they leave entityId out", () => {
    const { entityId: _omitted, ...bare } = PHONE;
    const customer = customerFromWire({ ...CUSTOMER, Phones: [bare as WirePhone] }, 'US');
    expect(customer.phones!.map((p) => p.customerId)).toEqual(['1178']);
    expect(phoneFromWire(bare as WirePhone, 'US').customerId).toBeUndefined();
  });

  it('refuses a phone found by number that does not say which phone or whose it is', () => {
    expect(holderPhoneFromWire(PHONE, 'US')).toMatchObject({ id: 'loanpro:803', customerId: '1178' });
    const { entityId: _omitted, ...orphan } = PHONE;
    for (const bad of [orphan, { ...PHONE, id: 0 }, { ...PHONE, id: '803' }, { ...PHONE, entityId: -1 }, { ...PHONE, phone: null }]) {
      expect(() => holderPhoneFromWire(bad as unknown as WirePhone, 'US')).toThrow(TypeError);
    }
  });

  it('maps every LoanPro phone type', () => {
    const type = (t: string) => phoneFromWire({ ...PHONE, type: t }, 'US').type;
    expect(type('customer.phoneType.cellSmartPhone')).toBe(PhoneType.MOBILE);
    expect(type('customer.phoneType.home')).toBe(PhoneType.HOME);
    expect(type('customer.phoneType.office')).toBe(PhoneType.WORK);
    expect(type('customer.phoneType.fax')).toBe(PhoneType.FAX);
    expect(type('customer.phoneType.other')).toBe(PhoneType.OTHER);
    expect(type('customer.phoneNumber.type.cell')).toBe(PhoneType.UNKNOWN);
  });

  it('uses the configured default region for national numbers', () => {
    expect(phoneFromWire({ ...PHONE, phone: '020 7946 0958' }, 'GB').number).toBe('+442079460958');
    expect(phoneFromWire({ ...PHONE, phone: '+442079460958' }, 'US').number).toBe('+442079460958');
  });

  it('maps a customer, with an unparseable phone left as raw', () => {
    const customer = customerFromWire(CUSTOMER, 'US');
    expect(customer).toMatchObject({
      id: '1178',
      customId: 'C-1178',
      type: 'INDIVIDUAL',
      middleName: null,
      birthDate: '1990-01-01',
      ssn: '462454573',
      ssnLast4: '4573',
      creditLimit: 1500,
      ofacMatch: false,
      ofacTested: true,
    });
    expect(customer.phones?.[1]).toMatchObject({ number: null, raw: '12345', type: PhoneType.WORK });
  });

  it('accepts expanded phones as {results} and leaves deferred phones unloaded', () => {
    expect(customerFromWire({ ...CUSTOMER, Phones: { results: [PHONE] } }, 'US').phones).toHaveLength(1);
    expect(customerFromWire({ ...CUSTOMER, Phones: { __deferred: { uri: 'x' } } }, 'US').phones).toBeUndefined();
  });

  it('reads LoanPro dates', () => {
    expect(wireDateToIso('/Date(1562112000)/')).toBe('2019-07-03');
    expect(wireDateToIso('/Date(-62169984000)/')).toBeNull();
    expect(wireDateToIso('garbage')).toBeNull();
  });

  it('validates ids with the shared rules', () => {
    expect(checkPositiveId('42', 'id')).toBe(42);
    for (const bad of ['0', '-1', 'abc', '1.5', '', '99999999999999999999']) {
      expect(() => checkPositiveId(bad, 'id')).toThrow(BadUserInputError);
    }
    expect(parsePhoneId('loanpro:803', 'LOANPRO', 'phoneId')).toBe(803);
    expect(parsePhoneId('803', 'LOANPRO', 'phoneId')).toBe(803);
    expect(() => parsePhoneId('recoveryconnect:39317578', 'LOANPRO', 'phoneId')).toThrow(/RecoveryConnect phone/);
    expect(() => parsePhoneId('nope:1', 'LOANPRO', 'phoneId')).toThrow(BadUserInputError);
  });
});

describe('customerUpdateToWire', () => {
  const current = customerFromWire(CUSTOMER, 'US');
  const toWire = (input: UpdateCustomerInput) => customerUpdateToWire(current, validateCustomerUpdate(input), 'US');

  it('sends only the fields that change', () => {
    expect(toWire({ firstName: 'Ana', lastName: 'Souza', email: 'ana@example.com' })).toEqual({
      __id: 1178,
      __update: true,
      lastName: 'Souza',
    });
  });

  it('returns null when nothing changes', () => {
    expect(toWire({ firstName: 'Ana', ssn: '462-45-4573', birthDate: '1990-01-01' })).toBeNull();
  });

  it('always sends write-only fields', () => {
    expect(toWire({ accessPassword: 'pw-long-enough' })).toEqual({ __id: 1178, __update: true, accessPassword: 'pw-long-enough' });
  });

  it('builds nested phone create, update and delete', () => {
    const body = toWire({
      phones: [
        { id: 'loanpro:803', number: '+16785550100', isPrimary: true },
        { id: '804', delete: true },
        { number: '+16789321578', type: PhoneType.HOME },
      ],
    });
    expect(body).toEqual({
      __id: 1178,
      __update: true,
      Phones: {
        results: [
          { __id: 803, __update: true, phone: '6785550100' },
          { __id: 804, __delete: true },
          { phone: '6789321578', type: 'customer.phoneType.home' },
        ],
      },
    });
  });

  it('writes foreign numbers in E.164', () => {
    const body = toWire({ phones: [{ number: '+442079460958' }] });
    expect(body?.Phones?.results[0]).toEqual({ phone: '+442079460958' });
  });

  it('refuses bad input before anything is sent', () => {
    const bad = (input: UpdateCustomerInput) => () => toWire(input);
    expect(bad({})).toThrow(/nothing to change/);
    expect(bad({ birthDate: '1990-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(bad({ ssn: '12345' })).toThrow(/nine digits/);
    expect(bad({ email: 'nope' })).toThrow(/email/);
    expect(bad({ phones: [{ id: '999', number: '+16785550100' }] })).toThrow(/does not belong/);
    expect(bad({ phones: [{ id: '803', delete: true, number: '+16785550100' }] })).toThrow(/no other fields/);
    expect(bad({ phones: [{ delete: true }] })).toThrow(/needs its id/);
    expect(bad({ phones: [{ type: PhoneType.HOME }] })).toThrow(/needs a number/);
    expect(bad({ phones: [{ id: '803' }] })).toThrow(/needs number, type or isPrimary/);
    expect(bad({ phones: [{ id: '803', type: PhoneType.UNKNOWN }] })).toThrow(/UNKNOWN/);
    expect(bad({ phones: [{ id: '803', isPrimary: true }, { id: 'loanpro:803', isPrimary: false }] })).toThrow(/once/);
    expect(bad({ phones: [{ id: 'recoveryconnect:803', isPrimary: true }] })).toThrow(/input.phones\[0\].id names a RecoveryConnect phone/);
    expect(bad({ phones: [{ number: '+16785550100', isPrimary: true }, { number: '+16785550101', isPrimary: true }] })).toThrow(/one phone/);
  });

  it('clears with an explicit null where LoanPro can, and refuses it where it cannot', () => {
    expect(toWire({ email: null, middleName: null, birthDate: null, ssn: null })).toEqual({
      __id: 1178,
      __update: true,
      email: null,
      birthDate: null,
      ssn: null,
    });
    expect(() => toWire({ firstName: null })).toThrow(/input.firstName cannot be cleared/);
    expect(() => toWire({ status: '' })).toThrow(/input.status/);
    expect(() => toWire({ phones: null })).toThrow(/input.phones cannot be cleared/);
    expect(() => toWire({ phones: [{ id: '803', number: null }] })).toThrow(/input.phones\[0\].number cannot be cleared/);
  });

  it('bounds strings to what LoanPro takes, naming the field and never the value', () => {
    const long = 'x'.repeat(10_000);
    expect(() => toWire({ firstName: long })).toThrow('input.firstName must be at most 100 characters.');
    expect(() => toWire({ accessPassword: 'short' })).toThrow(/input.accessPassword must be at least 8/);
    expect(() => toWire({ lastName: 'bad\u0000name' })).toThrow(/control characters/);
    expect(() => toWire({ birthDate: '2999-01-01' })).toThrow(/future/);
  });

  it('never echoes the SSN or a number in its errors', () => {
    const thrown = (() => {
      try {
        toWire({ ssn: '12345678' });
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a BadUserInputError');
    })();
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect(thrown.message).not.toContain('12345678');
  });
});

describe('phonesAfterWrite', () => {
  const current = customerFromWire(CUSTOMER, 'US');

  it('applies updates and deletes as LoanPro does, a new primary clearing the others', () => {
    const body = customerUpdateToWire(
      current,
      validateCustomerUpdate({ phones: [{ id: '804', isPrimary: true, number: '+16785550100' }] }),
      'US',
    )!;
    const after = phonesAfterWrite(current.phones!, body, 'US')!;
    expect(after.find((p) => p.vendorId === '804')).toMatchObject({ isPrimary: true, number: '+16785550100', raw: '6785550100' });
    expect(after.filter((p) => p.isPrimary)).toHaveLength(1);
    const removed = customerUpdateToWire(current, validateCustomerUpdate({ phones: [{ id: '804', delete: true }] }), 'US')!;
    expect(phonesAfterWrite(current.phones!, removed, 'US')!.map((p) => p.vendorId)).toEqual(['803']);
  });

  it("makes a renumbered phone's SBT flags unknown (LoanPro clears them), leaving the others'", () => {
    const verified = customerFromWire({ ...CUSTOMER, Phones: [{ ...PHONE, sbtActVerified: 1, sbtMktVerified: 1 }, { ...PHONE, id: 804, phone: '12345', isPrimary: 0, sbtActVerified: 1 }] }, 'US');
    const body = customerUpdateToWire(verified, validateCustomerUpdate({ phones: [{ id: '804', number: '+16785550100' }] }), 'US')!;
    const after = phonesAfterWrite(verified.phones!, body, 'US')!;
    expect(after.find((p) => p.vendorId === '804')!.sbt).toEqual({ account: { verified: null, pending: null }, marketing: { verified: null, pending: null } });
    expect(after.find((p) => p.vendorId === '803')!.sbt!.account.verified).toBe(true);
  });

  it('cannot tell the phones after a create: the new id exists only at LoanPro', () => {
    const body = customerUpdateToWire(current, validateCustomerUpdate({ phones: [{ number: '+16789321578' }] }), 'US')!;
    expect(phonesAfterWrite(current.phones!, body, 'US')).toBeUndefined();
  });
});
