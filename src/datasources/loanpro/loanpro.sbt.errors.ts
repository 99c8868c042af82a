/**
 * Why LoanPro refused an SBT call (a 4xx other than 429), read from its error body. The real vendor's bodies for
 * these refusals are undocumented (vendor-apis.md 6, unknown 1): the simulator's `error.type`s are matched first,
 * then, inferred, the wording a real "wrong PIN" or "missing entity" message would likely carry. Nothing here
 * ever puts the body or the PIN into a message; it only returns a reason.
 */
import { BadUserInputError, GatewayError, VendorError } from '../../errors/errors.js';
import { fromUpstreamError } from '../http/upstream.catalogue.js';
import { UpstreamError } from '../http/upstream.errors.js';
import { SBT_INVALID_PIN_ERROR_TYPE, SBT_NOT_PENDING_ERROR_TYPE } from './loanpro.sbt.wire.js';
import type { WireError } from './loanpro.wire.js';

/**
 * - `wrong_pin`: the PIN did not match the one texted for that phone and type.
 * - `not_pending`: no verification of that type is pending for the phone (never requested, or already confirmed).
 * - `unknown_entity`: no such phone (confirm, request) or customer (verifyCustomer).
 * - `invalid_request`: any other refusal of the payload (LoanPro answers those with 409 too).
 */
export type SbtRefusal = 'wrong_pin' | 'not_pending' | 'unknown_entity' | 'invalid_request';

const MISSING_ENTITY = /\bno\s+\w+\s+entity\b|\b(?:not\s+found|does\s+not\s+exist|doesn't\s+exist|unknown\s+(?:phone|customer))\b/i;
const PIN = /\bpin\b/i;
const MISMATCH = /\b(?:invalid|incorrect|wrong|mismatch(?:ed)?|does\s+not\s+match|doesn't\s+match|not\s+match)\b/i;
const NOT_PENDING = /\b(?:no|not)\b[^.]*\bpending\b|\bnot\s+awaiting\b/i;

function messageOf(body: WireError | undefined): string {
  const message = body?.error?.message;
  if (typeof message === 'string') return message;
  if (typeof message === 'object' && message !== null && typeof message.value === 'string') return message.value;
  return '';
}

/** The reason for a refused SBT call, or undefined when `err` is no vendor refusal (5xx, 429, a timeout, ...). */
export function sbtRefusalOf(err: unknown): SbtRefusal | undefined {
  if (!(err instanceof UpstreamError) || !err.isClientError) return undefined;
  const body = (typeof err.body === 'object' && err.body !== null ? err.body : undefined) as WireError | undefined;
  const type = body?.error?.type;
  if (type === SBT_INVALID_PIN_ERROR_TYPE) return 'wrong_pin';
  if (type === SBT_NOT_PENDING_ERROR_TYPE) return 'not_pending';
  const message = messageOf(body);
  if (MISSING_ENTITY.test(message)) return 'unknown_entity';
  if (PIN.test(message) && MISMATCH.test(message)) return 'wrong_pin';
  if (NOT_PENDING.test(message)) return 'not_pending';
  return 'invalid_request';
}

/**
 * Whether a refused confirm must count as a PIN attempt for the brute-force guard. Only the reasons that prove
 * no PIN was compared are free; an unrecognised refusal counts, so a vendor wording this code does not know
 * can never turn the guard off.
 */
export function refusalCountsAsPinAttempt(refusal: SbtRefusal): boolean {
  return refusal === 'wrong_pin' || refusal === 'invalid_request';
}

/* ---------------------------------------------------------------- the catalogue's reading, for the SBT mutations */

/** The SBT call that failed, for messages: what LoanPro was asked to do. */
export type SbtAction = 'request' | 'confirm' | 'verifyCustomer';

const ENTITY: Readonly<Record<SbtAction, string>> = { request: 'phone', confirm: 'phone', verifyCustomer: 'customer' };

export function sbtNotFound(action: SbtAction): VendorError {
  return new VendorError('NOT_FOUND', 'LOANPRO', `LoanPro has no ${ENTITY[action]} with that id.`);
}

/**
 * A failed SBT call as the client sees it: a refusal by its reason (unknown id NOT_FOUND, nothing pending
 * CONFLICT, anything else CONFLICT), every other vendor failure as the catalogue reads it. Errors that are already
 * catalogued pass unchanged. The vendor's body never reaches the message.
 */
export function sbtError(err: unknown, action: SbtAction): unknown {
  if (err instanceof GatewayError || !(err instanceof UpstreamError)) return err;
  switch (sbtRefusalOf(err)) {
    case undefined:
      return fromUpstreamError(err);
    case 'unknown_entity':
      return sbtNotFound(action);
    case 'not_pending':
      return new VendorError(
        'CONFLICT',
        'LOANPRO',
        'LoanPro has no verification of that purpose pending for this phone (never requested, or confirmed already); request a new one with requestPhoneVerification.',
      );
    case 'wrong_pin':
    case 'invalid_request':
      return new VendorError('CONFLICT', 'LOANPRO', 'LoanPro refused the verification call.');
  }
}

/** The first call whose SBT write may or may not have reached LoanPro: a retry with the same key reads the outcome. */
export function sbtOutcomeUnknown(action: Exclude<SbtAction, 'confirm'>): VendorError {
  const what = action === 'request' ? 'verification request' : 'customer verification';
  return new VendorError(
    'OUTCOME_UNKNOWN',
    'LOANPRO',
    `LoanPro did not confirm the ${what}; it may have happened. Retry with the same idempotency key: the gateway then reads the phones at LoanPro before sending anything again.`,
  );
}

/** A PIN LoanPro did not accept (or a refusal that counts as one). `remaining`: attempts left, when the store said. */
export function wrongPinError(refusal: 'wrong_pin' | 'invalid_request', remaining: number | undefined): BadUserInputError {
  const message =
    refusal === 'wrong_pin' ? 'The PIN is not the one LoanPro texted for that purpose.' : 'LoanPro refused the PIN confirmation.';
  return new BadUserInputError(message, {
    argument: 'pin',
    vendor: 'LOANPRO',
    ...(remaining === undefined ? {} : { remainingAttempts: remaining }),
  });
}

/** The brute-force guard refused the attempt: no vendor call was made. */
export function pinLockedError(retryAfterSeconds: number): GatewayError {
  return new GatewayError(
    'RATE_LIMITED',
    `Too many wrong PINs for this phone and purpose; PIN confirmation is locked for ${retryAfterSeconds} more seconds.`,
    { retryAfterSeconds },
  );
}
