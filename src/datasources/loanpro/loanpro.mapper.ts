import type { CountryCode } from 'libphonenumber-js';
import { BadUserInputError } from '../../errors/errors.js';
import { toE164, toNationalDigits } from '../../phone/e164.js';
import { formatPhoneId } from '../../phone/phone-id.js';
import { Vendor } from '../../schema/common/vendor.enum.js';
import { CustomerType } from '../../schema/customer/customer.enums.js';
import type { Customer } from '../../schema/customer/customer.type.js';
import { PhoneType } from '../../schema/phone/phone.enums.js';
import type { Phone, PhoneSbtFlags } from '../../schema/phone/phone.type.js';
import { sbtStateOf } from './loanpro.sbt.state.js';
import type { CustomerChanges, PhoneChange } from './loanpro.validate.js';
import { WRITE_ONLY_FIELDS } from './loanpro.validate.js';
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

const UNKNOWN_SBT: PhoneSbtFlags = Object.freeze({
  account: Object.freeze({ verified: null, pending: null }),
  marketing: Object.freeze({ verified: null, pending: null }),
});

/** The phone's SBT flags per purpose (sbtStateOf: never the `*VerifyPIN` fields). */
function sbtFlags(wire: WirePhone): PhoneSbtFlags {
  const state = sbtStateOf(wire);
  return { account: state.account, marketing: state.marketing };
}

/**
 * A LoanPro phone. `customerId` is its `entityId`, or, for a phone expanded inside a customer that left it out,
 * the customer it was read under (`ownerId`).
 */
export function phoneFromWire(wire: WirePhone, region: CountryCode, ownerId?: number): Phone {
  const raw = wire.phone ?? '';
  const entityId = typeof wire.entityId === 'number' ? wire.entityId : ownerId;
  return {
    id: formatPhoneId('LOANPRO', wire.id),
    vendor: Vendor.LOANPRO,
    vendorId: String(wire.id),
    number: raw ? toE164(raw, region) : null,
    raw,
    extension: null,
    type: (wire.type && PHONE_TYPE_FROM_WIRE[wire.type]) || PhoneType.UNKNOWN,
    // LoanPro names its types and holds no carrier id, memo or validity flag.
    typeId: null,
    isPrimary: flag(wire.isPrimary),
    isLandline: flag(wire.isLandLine),
    carrier: text(wire.carrierName),
    mobileCarrierId: null,
    memo: null,
    valid: null,
    doNotContact: flag(wire.dndEnabled) === true,
    sbt: sbtFlags(wire),
    customerId: entityId === undefined ? undefined : String(entityId),
  };
}

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * A phone found by its number (the Phones collection, or a searched customer's phones): like phoneFromWire, but
 * a record that does not say which phone and whose it is throws (the caller fails the lookup: a consent read must
 * not drop a record that might revoke).
 */
export function holderPhoneFromWire(wire: WirePhone, region: CountryCode): Phone {
  if (!positiveInteger(wire.id) || !positiveInteger(wire.entityId) || typeof wire.phone !== 'string') {
    throw new TypeError('LoanPro phone record without a usable id, entityId or phone');
  }
  return phoneFromWire(wire, region);
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
    phones: phones?.map((p) => phoneFromWire(p, region, wire.id)),
  };
}

function findPhone(current: Customer, vendorId: number, index: number): Phone {
  const phone = current.phones?.find((p) => p.vendorId === String(vendorId));
  if (!phone) throw new BadUserInputError('That phone does not belong to this customer.', { argument: `input.phones[${index}].id` });
  return phone;
}

function phoneWrite(change: PhoneChange, current: Customer, region: CountryCode): WirePhoneWrite | null {
  const existing = change.id === undefined ? undefined : findPhone(current, change.id, change.index);
  if (change.delete) return { __id: Number(existing!.vendorId), __delete: true };
  const write: WirePhoneWrite = existing ? { __id: Number(existing.vendorId), __update: true } : {};
  if (change.number !== undefined && change.number !== existing?.number) write.phone = toNationalDigits(change.number, region);
  if (change.type !== undefined && change.type !== existing?.type) write.type = PHONE_TYPE_TO_WIRE[change.type];
  if (change.isPrimary !== undefined && change.isPrimary !== (existing?.isPrimary ?? undefined)) {
    write.isPrimary = change.isPrimary ? 1 : 0;
  }
  const unchanged = existing && write.phone === undefined && write.type === undefined && write.isPrimary === undefined;
  return unchanged ? null : write;
}

/**
 * The body of `PUT odata.svc/Customers(id)`: only the fields that differ from `current` (the customer as
 * LoanPro has it, phones expanded), nested phones wrapped in `results` with `__id`/`__update`/`__delete`
 * markers, a cleared field sent as null. Null when nothing would change. `changes` is already validated.
 */
export function customerUpdateToWire(current: Customer, changes: CustomerChanges, region: CountryCode): WireCustomerUpdate | null {
  const body: WireCustomerUpdate = { __id: Number(current.id), __update: true };
  let changed = 0;
  for (const [field, value] of changes.text) {
    // Write-only fields cannot be compared: always sent when given.
    if (!WRITE_ONLY_FIELDS.has(field) && value === current[field as keyof Customer]) continue;
    (body as unknown as Record<string, unknown>)[field] = value;
    changed++;
  }
  if (changes.birthDate !== undefined && changes.birthDate !== current.birthDate) {
    body.birthDate = changes.birthDate;
    changed++;
  }
  if (changes.ssn !== undefined && changes.ssn !== current.ssn) {
    body.ssn = changes.ssn;
    changed++;
  }
  if (changes.phones && changes.phones.length > 0) {
    const results = changes.phones.map((c) => phoneWrite(c, current, region)).filter((w): w is WirePhoneWrite => w !== null);
    if (results.length > 0) {
      body.Phones = { results };
      changed++;
    }
  }
  return changed === 0 ? null : body;
}

/**
 * The phones LoanPro holds after a PUT that committed, derived from the phones before it and the nested writes
 * it carried, as LoanPro applies them (a phone made primary clears the others). Undefined when the write
 * created a phone: its id exists only at LoanPro.
 */
export function phonesAfterWrite(before: readonly Phone[], body: WireCustomerUpdate, region: CountryCode): Phone[] | undefined {
  const writes = body.Phones?.results ?? [];
  if (writes.some((w) => w.__id === undefined)) return undefined;
  let primary: string | undefined;
  const after: Phone[] = [];
  for (const phone of before) {
    const write = writes.find((w) => String(w.__id) === phone.vendorId);
    if (write?.__delete) continue;
    if (!write) {
      after.push(phone);
      continue;
    }
    const next: Phone = { ...phone };
    if (write.phone !== undefined) {
      next.raw = write.phone;
      next.number = toE164(write.phone, region);
      // LoanPro clears a phone's SBT verification when its number changes; not having read it back, the flags
      // are unknown rather than the old number's.
      if (next.sbt !== undefined) next.sbt = UNKNOWN_SBT;
    }
    if (write.type !== undefined) next.type = PHONE_TYPE_FROM_WIRE[write.type] ?? PhoneType.UNKNOWN;
    if (write.isPrimary !== undefined) {
      next.isPrimary = write.isPrimary === 1;
      if (next.isPrimary) primary = next.vendorId;
    }
    after.push(next);
  }
  return primary === undefined ? after : after.map((p) => (p.vendorId === primary || !p.isPrimary ? p : { ...p, isPrimary: false }));
}
