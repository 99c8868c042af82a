import { describe, expect, it } from 'vitest';
import {
  customerFromWire,
  customerUpdateToWire,
  parseCustomerId,
  parsePhoneId,
  phoneFromWire,
  wireDateToIso,
} from '../../../src/datasources/loanpro/loanpro.mapper.js';
import type { WireCustomer, WirePhone } from '../../../src/datasources/loanpro/loanpro.wire.js';
import { BadUserInputError } from '../../../src/errors/errors.js';
import { PhoneType } from '../../../src/schema/phone/phone.enums.js';

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
      isPrimary: true,
      isLandline: false,
      carrier: 'Verizon',
      doNotContact: true,
    });
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

  it('validates ids', () => {
    expect(parseCustomerId('42')).toBe(42);
    for (const bad of ['0', '-1', 'abc', '1.5', '', '99999999999999999999']) {
      expect(() => parseCustomerId(bad)).toThrow(BadUserInputError);
    }
    expect(parsePhoneId('loanpro:803')).toBe(803);
    expect(parsePhoneId('803')).toBe(803);
    expect(() => parsePhoneId('recoveryconnect:39317578')).toThrow(BadUserInputError);
  });
});

describe('customerUpdateToWire', () => {
  const current = customerFromWire(CUSTOMER, 'US');

  it('sends only the fields that change', () => {
    expect(customerUpdateToWire(current, { firstName: 'Ana', lastName: 'Souza', email: 'ana@example.com' }, 'US')).toEqual({
      __id: 1178,
      __update: true,
      lastName: 'Souza',
    });
  });

  it('returns null when nothing changes', () => {
    expect(customerUpdateToWire(current, { firstName: 'Ana', ssn: '462-45-4573', birthDate: '1990-01-01' }, 'US')).toBeNull();
  });

  it('always sends write-only fields', () => {
    expect(customerUpdateToWire(current, { accessPassword: 'pw' }, 'US')).toEqual({ __id: 1178, __update: true, accessPassword: 'pw' });
  });

  it('builds nested phone create, update and delete', () => {
    const body = customerUpdateToWire(
      current,
      {
        phones: [
          { id: 'loanpro:803', number: '+16785550100', isPrimary: true },
          { id: '804', delete: true },
          { number: '+16789321578', type: PhoneType.HOME },
        ],
      },
      'US',
    );
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
    const body = customerUpdateToWire(current, { phones: [{ number: '+442079460958' }] }, 'US');
    expect(body?.Phones?.results[0]).toEqual({ phone: '+442079460958' });
  });

  it('refuses bad input before anything is sent', () => {
    const bad = (input: Parameters<typeof customerUpdateToWire>[1]) => () => customerUpdateToWire(current, input, 'US');
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
    expect(bad({ phones: [{ number: '+16785550100', isPrimary: true }, { number: '+16785550101', isPrimary: true }] })).toThrow(/one phone/);
  });

  it('never echoes the SSN or a number in its errors', () => {
    const thrown = (() => {
      try {
        customerUpdateToWire(current, { ssn: '12345678' }, 'US');
      } catch (err) {
        return err as Error;
      }
      throw new Error('expected a BadUserInputError');
    })();
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect(thrown.message).not.toContain('12345678');
  });
});
