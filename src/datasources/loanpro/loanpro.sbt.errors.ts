/**
 * Why LoanPro refused an SBT call (a 4xx other than 429), read from its error body. The real vendor's bodies for
 * these refusals are undocumented (vendor-apis.md 6, unknown 1): the simulator's `error.type`s are matched first,
 * then, inferred, the wording a real "wrong PIN" or "missing entity" message would likely carry. Nothing here
 * ever puts the body or the PIN into a message; it only returns a reason.
 */
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
