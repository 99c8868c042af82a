/**
 * What `updateCustomer` accepts, checked before any LoanPro call: bounds LoanPro takes, and which fields an
 * explicit null may clear. The rules themselves (lengths, email, SSN, dates, ids) are the shared ones in
 * src/validation; this file only says which rule each LoanPro field follows. Nothing here echoes a value.
 */
import { BadUserInputError } from '../../errors/errors.js';
import { parsePhoneId } from '../../phone/phone-id.js';
import type { CustomerPhoneInput, UpdateCustomerInput } from '../../schema/customer/customer.input.js';
import { PhoneType } from '../../schema/phone/phone.enums.js';
import { checkEmail, checkIsoDate, checkSsn, checkText, refuseNull } from '../../validation/input.js';

/** Text fields of the customer, with LoanPro's bounds and whether it lets them be emptied. */
const TEXT_FIELDS = {
  customId: { max: 100, clear: true },
  status: { max: 100, min: 1, clear: 'LoanPro requires a status.' },
  firstName: { max: 100, clear: 'LoanPro requires a first name.' },
  middleName: { max: 100, clear: true },
  lastName: { max: 100, clear: 'LoanPro requires a last name.' },
  email: { max: 254, clear: true },
  companyName: { max: 255, clear: true },
  contactName: { max: 255, clear: true },
  driverLicense: { max: 50, clear: true },
  // Write-only portal credentials: always sent when given, never readable, never cleared from here.
  accessUserName: { max: 100, min: 1, clear: 'the portal login cannot be removed through the gateway.' },
  accessPassword: { max: 128, min: 8, clear: 'the portal password cannot be removed through the gateway.' },
} as const satisfies Record<string, { max: number; min?: number; clear: true | string }>;

export type CustomerTextField = keyof typeof TEXT_FIELDS;
export const CUSTOMER_TEXT_FIELDS = Object.keys(TEXT_FIELDS) as CustomerTextField[];
export const WRITE_ONLY_FIELDS: ReadonlySet<CustomerTextField> = new Set(['accessUserName', 'accessPassword']);

/** At most this many phone operations in one update (LoanPro customers hold a handful of numbers). */
export const MAX_PHONE_CHANGES = 20;

export interface PhoneChange {
  /** Position in input.phones, for error paths. */
  readonly index: number;
  /** LoanPro's phone id when the change updates or deletes an existing phone. */
  readonly id?: number;
  readonly number?: string;
  readonly type?: PhoneType;
  readonly isPrimary?: boolean;
  readonly delete: boolean;
}

/** A validated update: `null` clears a field; an absent key leaves it unchanged. */
export interface CustomerChanges {
  readonly text: ReadonlyMap<CustomerTextField, string | null>;
  readonly birthDate?: string | null;
  /** Nine digits, or null to clear. */
  readonly ssn?: string | null;
  readonly phones?: readonly PhoneChange[];
}

export function validateCustomerUpdate(input: UpdateCustomerInput, now: Date = new Date()): CustomerChanges {
  const text = new Map<CustomerTextField, string | null>();
  for (const field of CUSTOMER_TEXT_FIELDS) {
    const value = input[field];
    if (value === undefined) continue;
    const rule = TEXT_FIELDS[field];
    const path = `input.${field}`;
    if (value === null) {
      if (rule.clear !== true) refuseNull(path, rule.clear);
      text.set(field, null);
      continue;
    }
    checkText(value, path, rule);
    if (field === 'email' && value !== '') checkEmail(value, path);
    // An empty (or blank) string is how LoanPro spells "no value": the same as clearing, with the same rule.
    if (value.trim() === '' && rule.clear !== true) refuseNull(path, rule.clear);
    text.set(field, value === '' ? null : value);
  }
  const changes: { -readonly [K in keyof CustomerChanges]: CustomerChanges[K] } = { text };
  if (input.birthDate !== undefined) {
    changes.birthDate = input.birthDate === null ? null : checkIsoDate(input.birthDate, 'input.birthDate', { notAfter: now });
  }
  if (input.ssn !== undefined) {
    changes.ssn = input.ssn === null ? null : checkSsn(input.ssn, 'input.ssn');
  }
  if (input.phones !== undefined) {
    if (input.phones === null) refuseNull('input.phones', 'delete phones one by one with { id, delete: true }.');
    changes.phones = validatePhones(input.phones);
  }
  if (text.size === 0 && changes.birthDate === undefined && changes.ssn === undefined && !changes.phones?.length) {
    throw new BadUserInputError('input names nothing to change.', { argument: 'input' });
  }
  return changes;
}

function validatePhones(phones: readonly CustomerPhoneInput[]): PhoneChange[] {
  if (phones.length > MAX_PHONE_CHANGES) {
    throw new BadUserInputError(`input.phones takes at most ${MAX_PHONE_CHANGES} entries.`, { argument: 'input.phones' });
  }
  const seen = new Set<number>();
  let primaries = 0;
  const changes = phones.map((phone, index): PhoneChange => {
    const path = `input.phones[${index}]`;
    for (const field of ['number', 'type', 'isPrimary', 'delete'] as const) {
      if (phone[field] === null) refuseNull(`${path}.${field}`, field === 'number' ? 'a phone needs a number (delete the phone instead).' : 'give a value or leave the field out.');
    }
    const id = phone.id === undefined || phone.id === null ? undefined : parsePhoneId(phone.id, 'LOANPRO', `${path}.id`);
    if (id !== undefined) {
      if (seen.has(id)) throw new BadUserInputError('Each phone id may appear once in input.phones.', { argument: `${path}.id` });
      seen.add(id);
    }
    const remove = phone.delete === true;
    const changesSomething = phone.number !== undefined || phone.type !== undefined || phone.isPrimary !== undefined;
    if (remove) {
      if (id === undefined) throw new BadUserInputError('Deleting a phone needs its id.', { argument: path });
      if (changesSomething) throw new BadUserInputError('A phone that is deleted takes no other fields.', { argument: path });
    } else if (id === undefined && phone.number === undefined) {
      throw new BadUserInputError('A new phone needs a number.', { argument: `${path}.number` });
    } else if (id !== undefined && !changesSomething) {
      throw new BadUserInputError('A phone update needs number, type or isPrimary.', { argument: path });
    }
    if (phone.type === PhoneType.UNKNOWN) {
      throw new BadUserInputError('Phone type UNKNOWN cannot be written; use OTHER.', { argument: `${path}.type` });
    }
    if (phone.isPrimary === true) primaries++;
    // Nulls were refused above: what is left is a value or absent.
    const { number, type, isPrimary } = phone as { number?: string; type?: PhoneType; isPrimary?: boolean };
    return {
      index,
      ...(id === undefined ? {} : { id }),
      ...(number === undefined ? {} : { number }),
      ...(type === undefined ? {} : { type }),
      ...(isPrimary === undefined ? {} : { isPrimary }),
      delete: remove,
    };
  });
  if (primaries > 1) throw new BadUserInputError('At most one phone can be made primary.', { argument: 'input.phones' });
  return changes;
}
