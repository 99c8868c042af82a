import type { CountryCode } from 'libphonenumber-js';
import { BadUserInputError } from '../../errors/errors.js';
import { toE164, toNationalDigits } from '../../phone/e164.js';
import { Vendor } from '../../schema/common/vendor.enum.js';
import { CustomerType } from '../../schema/customer/customer.enums.js';
import type { CustomerPhoneInput, UpdateCustomerInput } from '../../schema/customer/customer.input.js';
import type { Customer } from '../../schema/customer/customer.type.js';
import { PhoneType } from '../../schema/phone/phone.enums.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import type { Flag, WireCustomer, WireCustomerUpdate, WirePhone, WirePhoneWrite } from './loanpro.wire.js';

/** The one place that knows both LoanPro's wire format and the gateway's types. */

const PHONE_TYPE_FROM_WIRE: Readonly<Record<string, PhoneType>> = {
  'customer.phoneType.cell': PhoneType.MOBILE,
  'customer.phoneType.cellSmartPhone': PhoneType.MOBILE,
  'customer.phoneType.home': PhoneType.HOME,
  'customer.phoneType.office': PhoneType.WORK,
  'customer.phoneType.fax': PhoneType.FAX,
  'customer.phoneType.other': PhoneType.OTHER,
};

const PHONE_TYPE_TO_WIRE: Readonly<Record<PhoneType, string | undefined>> = {
  [PhoneType.MOBILE]: 'customer.phoneType.cell',
  [PhoneType.HOME]: 'customer.phoneType.home',
  [PhoneType.WORK]: 'customer.phoneType.office',
  [PhoneType.FAX]: 'customer.phoneType.fax',
  [PhoneType.OTHER]: 'customer.phoneType.other',
  [PhoneType.UNKNOWN]: undefined,
};

const CUSTOMER_TYPE_FROM_WIRE: Readonly<Record<string, CustomerType>> = {
  'customer.type.individual': CustomerType.INDIVIDUAL,
  'customer.type.company': CustomerType.COMPANY,
  'customer.type.flooringCustomer': CustomerType.FLOORING,
};

export const PHONE_ID_PREFIX = 'loanpro:';

function flag(value: Flag | undefined): boolean | null {
  if (value === undefined || value === null) return null;
  return value === 1 || value === '1' || value === true;
}

function text(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** `/Date(631152000)/` (seconds since the epoch) -> "1990-01-01"; LoanPro's zero date and junk -> null. */
export function wireDateToIso(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = /^\/Date\((-?\d+)\)\/$/.exec(value);
  if (!match) return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
  const seconds = Number(match[1]);
  if (seconds <= -62_000_000_000) return null;
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export function phoneFromWire(wire: WirePhone, region: CountryCode): Phone {
  const raw = wire.phone ?? '';
  return {
    id: PHONE_ID_PREFIX + wire.id,
    vendor: Vendor.LOANPRO,
    vendorId: String(wire.id),
    number: raw ? toE164(raw, region) : null,
    raw,
    extension: null,
    type: (wire.type && PHONE_TYPE_FROM_WIRE[wire.type]) || PhoneType.UNKNOWN,
    isPrimary: flag(wire.isPrimary),
    isLandline: flag(wire.isLandLine),
    carrier: text(wire.carrierName),
    doNotContact: flag(wire.dndEnabled) === true,
  };
}

function wirePhones(wire: WireCustomer): WirePhone[] | undefined {
  const phones = wire.Phones;
  if (phones === undefined) return undefined;
  if (Array.isArray(phones)) return phones;
  if ('results' in phones && Array.isArray(phones.results)) return phones.results;
  return undefined; // __deferred: not expanded
}

export function customerFromWire(wire: WireCustomer, region: CountryCode): Customer {
  const ssnDigits = wire.ssn ? wire.ssn.replace(/\D/g, '') : '';
  const creditLimit = wire.creditLimit === null || wire.creditLimit === undefined ? null : Number(wire.creditLimit);
  const phones = wirePhones(wire);
  return {
    id: String(wire.id),
    customId: text(wire.customId),
    type: (wire.customerType && CUSTOMER_TYPE_FROM_WIRE[wire.customerType]) || null,
    status: text(wire.status),
    firstName: text(wire.firstName),
    middleName: text(wire.middleName),
    lastName: text(wire.lastName),
    companyName: text(wire.companyName),
    contactName: text(wire.contactName),
    email: text(wire.email),
    birthDate: wireDateToIso(wire.birthDate),
    ssnLast4: ssnDigits.length >= 4 ? ssnDigits.slice(-4) : null,
    ssn: ssnDigits || null,
    driverLicense: text(wire.driverLicense),
    creditLimit: creditLimit === null || Number.isNaN(creditLimit) ? null : creditLimit,
    ofacMatch: flag(wire.ofacMatch),
    ofacTested: flag(wire.ofacTested),
    phones: phones?.map((p) => phoneFromWire(p, region)),
  };
}

/** LoanPro customer ids are positive integers; anything else is the caller's mistake, not a vendor call. */
export function parseCustomerId(id: string): number {
  if (!/^[1-9]\d{0,15}$/.test(id) || !Number.isSafeInteger(Number(id))) {
    throw new BadUserInputError('A customer id is a positive whole number.', { argument: 'id' });
  }
  return Number(id);
}

/** "loanpro:803" or "803" -> 803. */
export function parsePhoneId(id: string): number {
  const local = id.startsWith(PHONE_ID_PREFIX) ? id.slice(PHONE_ID_PREFIX.length) : id;
  if (!/^[1-9]\d{0,15}$/.test(local)) {
    throw new BadUserInputError('A LoanPro phone id is "loanpro:<number>" or the number alone.', { argument: 'phones.id' });
  }
  return Number(local);
}

const SCALAR_FIELDS = [
  'customId',
  'status',
  'firstName',
  'middleName',
  'lastName',
  'email',
  'companyName',
  'contactName',
  'driverLicense',
] as const;

/** Write-only fields: never readable, so always sent when given. */
const WRITE_ONLY_FIELDS = ['accessUserName', 'accessPassword'] as const;

function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function phoneWrite(input: CustomerPhoneInput, index: number, current: Customer, region: CountryCode): WirePhoneWrite | null {
  const where = { argument: `input.phones[${index}]` };
  const changes = input.number !== undefined || input.type !== undefined || input.isPrimary !== undefined;
  const existing = input.id === undefined ? undefined : findPhone(current, parsePhoneId(input.id), where);
  if (input.delete) {
    if (!existing) throw new BadUserInputError('Deleting a phone needs its id.', where);
    if (changes) throw new BadUserInputError('A phone that is deleted takes no other fields.', where);
    return { __id: Number(existing.vendorId), __delete: true };
  }
  const write: WirePhoneWrite = {};
  if (existing) {
    if (!changes) throw new BadUserInputError('A phone update needs number, type or isPrimary.', where);
    write.__id = Number(existing.vendorId);
    write.__update = true;
  } else if (input.number === undefined) {
    throw new BadUserInputError('A new phone needs a number.', where);
  }
  if (input.number !== undefined && input.number !== existing?.number) {
    write.phone = toNationalDigits(input.number, region);
  }
  if (input.type !== undefined) {
    const type = PHONE_TYPE_TO_WIRE[input.type];
    if (!type) throw new BadUserInputError('Phone type UNKNOWN cannot be written; use OTHER.', where);
    if (input.type !== existing?.type) write.type = type;
  }
  if (input.isPrimary !== undefined && input.isPrimary !== (existing?.isPrimary ?? undefined)) {
    write.isPrimary = input.isPrimary ? 1 : 0;
  }
  const unchanged = existing && write.phone === undefined && write.type === undefined && write.isPrimary === undefined;
  return unchanged ? null : write;
}

function findPhone(current: Customer, vendorId: number, where: { argument: string }): Phone {
  const phone = current.phones?.find((p) => p.vendorId === String(vendorId));
  if (!phone) throw new BadUserInputError('That phone does not belong to this customer.', where);
  return phone;
}

/**
 * The body of `PUT odata.svc/Customers(id)`: only the fields that differ from `current` (the customer as
 * LoanPro has it, phones expanded), nested phones wrapped in `results` with `__id`/`__update`/`__delete`
 * markers. Null when nothing would change.
 */
export function customerUpdateToWire(
  current: Customer,
  input: UpdateCustomerInput,
  region: CountryCode,
): WireCustomerUpdate | null {
  const body: WireCustomerUpdate = { __id: Number(current.id), __update: true };
  let given = 0;
  let changed = 0;
  for (const field of SCALAR_FIELDS) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    given++;
    if ((value === '' ? null : value) === current[field]) continue;
    body[field] = value;
    changed++;
  }
  for (const field of WRITE_ONLY_FIELDS) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    given++;
    body[field] = value;
    changed++;
  }
  if (body.status !== undefined && body.status.trim() === '') {
    throw new BadUserInputError('status cannot be empty.', { argument: 'input.status' });
  }
  if (body.email !== undefined && body.email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) {
    throw new BadUserInputError('email is not an email address.', { argument: 'input.email' });
  }
  if (input.birthDate !== undefined && input.birthDate !== null) {
    given++;
    if (!isRealDate(input.birthDate)) {
      throw new BadUserInputError('birthDate must be a date written YYYY-MM-DD.', { argument: 'input.birthDate' });
    }
    if (input.birthDate !== current.birthDate) {
      body.birthDate = input.birthDate;
      changed++;
    }
  }
  if (input.ssn !== undefined && input.ssn !== null) {
    given++;
    if (!/^\d{3}-?\d{2}-?\d{4}$/.test(input.ssn)) {
      throw new BadUserInputError('ssn must be nine digits, with or without dashes.', { argument: 'input.ssn' });
    }
    const ssn = input.ssn.replace(/-/g, '');
    if (ssn !== current.ssn) {
      body.ssn = ssn;
      changed++;
    }
  }
  if (input.phones && input.phones.length > 0) {
    given++;
    const ids = input.phones.filter((p) => p.id !== undefined).map((p) => parsePhoneId(p.id!));
    if (new Set(ids).size !== ids.length) {
      throw new BadUserInputError('Each phone id may appear once in input.phones.', { argument: 'input.phones' });
    }
    if (input.phones.filter((p) => p.isPrimary === true).length > 1) {
      throw new BadUserInputError('At most one phone can be made primary.', { argument: 'input.phones' });
    }
    const results = input.phones
      .map((phone, index) => phoneWrite(phone, index, current, region))
      .filter((w): w is WirePhoneWrite => w !== null);
    if (results.length > 0) {
      body.Phones = { results };
      changed++;
    }
  }
  if (given === 0) throw new BadUserInputError('input names nothing to change.', { argument: 'input' });
  return changed === 0 ? null : body;
}
