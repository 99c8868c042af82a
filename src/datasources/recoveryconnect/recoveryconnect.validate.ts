/**
 * What the borrower-phone mutations accept, checked before any RecoveryConnect call: the seed's fields and which
 * are mandatory, the bounds the vendor is inferred to take, and which fields an explicit null may clear. The rules
 * themselves (ids, text) are the shared ones in src/validation; nothing here echoes a value.
 */
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { BadUserInputError } from '../../errors/errors.js';
import type { BorrowerPhoneInput } from '../../schema/borrower/borrower.input.js';
import { checkPositiveId, checkText, refuseNull } from '../../validation/input.js';

/** Inferred from the vendor's Laravel stack (the simulator's notes): extension `max:10`, memo a 255-char string. */
export const EXTENSION_MAX = 10;
export const MEMO_MAX = 255;

/** Validated changes. Absent: unchanged (or, on create, the vendor's default). null: clear the field. */
export interface PhoneChanges {
  readonly typeId?: number;
  readonly mobileCarrierId?: number | null;
  /** The number's national digits, as RecoveryConnect stores them ("6789321578"). */
  readonly nationalNumber?: string;
  readonly extension?: string | null;
  readonly memo?: string | null;
  readonly valid?: boolean;
  readonly doNotContact?: boolean;
}

/** Fields RecoveryConnect cannot clear, with the reason a client reads. */
const NOT_CLEARABLE = {
  number: 'a phone needs a number (delete the phone instead).',
  typeId: 'RecoveryConnect requires a phone type.',
  valid: 'give true or false, or leave the field out.',
  doNotContact: 'give true or false, or leave the field out.',
} as const;

/**
 * E.164 (already checked by the PhoneNumber scalar) -> national digits. RecoveryConnect stores numbers without a
 * country code, so only numbers of the default region's calling code (+1 for US) can be written: anything else
 * would be stored as, and read back as, a different number.
 */
function nationalNumber(e164: string, region: CountryCode, path: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const code = getCountryCallingCode(region);
  if (!parsed || !parsed.isValid() || parsed.countryCallingCode !== code) {
    throw new BadUserInputError(`${path} must be a valid +${code} number: RecoveryConnect stores numbers without a country code.`, {
      argument: path,
    });
  }
  return String(parsed.nationalNumber);
}

/** An optional text: "" is how RecoveryConnect spells "none" (it stores an empty string as null), so it clears. */
function optionalText(value: string, path: string, max: number): string | null {
  if (value === '') return null;
  checkText(value, path, { max });
  if (value.trim() === '') throw new BadUserInputError(`${path} must not be blank.`, { argument: path });
  return value;
}

function validate(input: BorrowerPhoneInput, region: CountryCode, mode: 'create' | 'update'): PhoneChanges {
  for (const field of Object.keys(NOT_CLEARABLE) as (keyof typeof NOT_CLEARABLE)[]) {
    if (input[field] === null) {
      if (mode === 'create') throw new BadUserInputError(`input.${field} must not be null.`, { argument: `input.${field}` });
      refuseNull(`input.${field}`, NOT_CLEARABLE[field]);
    }
  }
  const changes: { -readonly [K in keyof PhoneChanges]: PhoneChanges[K] } = {};
  if (input.typeId != null) changes.typeId = checkPositiveId(input.typeId, 'input.typeId');
  if (input.mobileCarrierId !== undefined) {
    changes.mobileCarrierId = input.mobileCarrierId === null ? null : checkPositiveId(input.mobileCarrierId, 'input.mobileCarrierId');
  }
  if (input.number != null) changes.nationalNumber = nationalNumber(input.number, region, 'input.number');
  if (input.extension !== undefined) {
    const extension = input.extension === null ? null : optionalText(input.extension, 'input.extension', EXTENSION_MAX);
    if (extension !== null && !/^\d+$/.test(extension)) {
      throw new BadUserInputError('input.extension must be digits only.', { argument: 'input.extension' });
    }
    changes.extension = extension;
  }
  if (input.memo !== undefined) changes.memo = input.memo === null ? null : optionalText(input.memo, 'input.memo', MEMO_MAX);
  if (input.valid != null) changes.valid = input.valid;
  if (input.doNotContact != null) changes.doNotContact = input.doNotContact;
  return changes;
}

/** createBorrowerPhone: number and typeId are mandatory (seed: "MANDATORY Yes"); a cleared field is just left out. */
export function validatePhoneCreate(input: BorrowerPhoneInput, region: CountryCode): PhoneChanges {
  if (input.number === undefined) throw new BadUserInputError('input.number is required to create a phone.', { argument: 'input.number' });
  if (input.typeId === undefined) throw new BadUserInputError('input.typeId is required to create a phone.', { argument: 'input.typeId' });
  const changes = validate(input, region, 'create');
  // A new phone has nothing to clear: null there means "none", which is the vendor's default anyway.
  const { mobileCarrierId, extension, memo, ...rest } = changes;
  return {
    ...rest,
    ...(mobileCarrierId == null ? {} : { mobileCarrierId }),
    ...(extension == null ? {} : { extension }),
    ...(memo == null ? {} : { memo }),
  };
}

/** updateBorrowerPhone: only the fields given; at least one. */
export function validatePhoneUpdate(input: BorrowerPhoneInput, region: CountryCode): PhoneChanges {
  const changes = validate(input, region, 'update');
  if (Object.keys(changes).length === 0) throw new BadUserInputError('input names nothing to change.', { argument: 'input' });
  return changes;
}
