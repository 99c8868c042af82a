/**
 * What the SBT mutations accept, checked before any LoanPro call (and before a PIN attempt is counted). Messages
 * name the argument's path and what was expected, never the value: a PIN, a reference or a method may be
 * sensitive, and a PIN in an error would undo the brute-force guard's point.
 */
import { BadUserInputError } from '../../errors/errors.js';
import type { ConsentPurposeEnum } from '../../schema/consent/consent.enums.js';
import type { BypassAttestationInput } from '../../schema/verification/verification.input.js';
import {
  ATTESTATION_METHOD_MAX_LENGTH,
  ATTESTATION_REFERENCE_MAX_LENGTH,
  PIN_MAX_DIGITS,
  PIN_MIN_DIGITS,
} from '../../schema/verification/verification.limits.js';
import { PIN_PURPOSES, type PinPurpose } from '../../store/pin-attempts.js';
import { checkText } from '../../validation/input.js';

const PIN = new RegExp(`^\\d{${PIN_MIN_DIGITS},${PIN_MAX_DIGITS}}$`);

/** ACCOUNT or MARKETING: the purposes LoanPro's SBT texts a PIN for. */
export function checkSbtPurpose(purpose: ConsentPurposeEnum, path = 'purpose'): PinPurpose {
  if (!(PIN_PURPOSES as readonly string[]).includes(purpose)) {
    throw new BadUserInputError(`${path} must be ACCOUNT or MARKETING: SBT texts no PIN for ${String(purpose)}.`, { argument: path });
  }
  return purpose as PinPurpose;
}

export function checkPin(pin: string, path = 'pin'): string {
  if (typeof pin !== 'string' || !PIN.test(pin)) {
    throw new BadUserInputError(`${path} must be ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits.`, { argument: path });
  }
  return pin;
}

/** A validated attestation, as stored in the ledger's detail and in the idempotency fingerprint. */
export interface Attestation {
  readonly method: string;
  readonly capturedAt: Date;
  readonly reference: string;
}

function required(value: string, path: string, max: number): string {
  checkText(value, path, { max, min: 1 });
  if (value.trim() === '') throw new BadUserInputError(`${path} must not be blank.`, { argument: path });
  return value;
}

/** Every field required; capturedAt a real instant not after `now`. */
export function checkAttestation(input: BypassAttestationInput, now: Date, path = 'bypass'): Attestation {
  const method = required(input.method, `${path}.method`, ATTESTATION_METHOD_MAX_LENGTH);
  const reference = required(input.reference, `${path}.reference`, ATTESTATION_REFERENCE_MAX_LENGTH);
  const capturedAt = input.capturedAt;
  if (!(capturedAt instanceof Date) || Number.isNaN(capturedAt.getTime())) {
    throw new BadUserInputError(`${path}.capturedAt must be a date-time.`, { argument: `${path}.capturedAt` });
  }
  if (capturedAt.getTime() > now.getTime()) {
    throw new BadUserInputError(`${path}.capturedAt must not be in the future.`, { argument: `${path}.capturedAt` });
  }
  return { method, capturedAt, reference };
}
