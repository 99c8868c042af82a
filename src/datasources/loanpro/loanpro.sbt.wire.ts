/**
 * LoanPro's SBT (Solutions By Text) actions on the wire (vendor-apis.md 1.9, seed 000_9f4734d96bf1add0):
 *   POST sbt/requestVerification()        {"customerPhoneId": 178}
 *   POST sbt/confirmVerificationPIN()     {"customerPhoneId": 5463, "type": "account", "pin": "68662"}
 *   POST sbt/verifyCustomer({id})         [?bypassVerify=true]
 * The seed shows none of their answers. Only "HTTP 200 and a root `d`" is relied on (LoanPro's own success test,
 * vendor-apis.md 1.4); the phone's state is read back from the phone (`sbt*` fields of WirePhone).
 */
import type { Flag } from './loanpro.wire.js';

/** confirmVerificationPIN's `type`: which texts the customer opts in to (one PIN each). */
export const SBT_TYPES = ['account', 'marketing'] as const;
export type SbtType = (typeof SBT_TYPES)[number];

export function isSbtType(value: unknown): value is SbtType {
  return (SBT_TYPES as readonly unknown[]).includes(value);
}

export interface WireSbtRequestVerification {
  customerPhoneId: number;
}

export interface WireSbtConfirmPin {
  customerPhoneId: number;
  type: SbtType;
  pin: string;
}

/**
 * `d` of an SBT action's 200. Inferred: the simulator answers `{"d": {"success": true}}`; a bare `{"d": true}` is
 * read as the same. Other fields the real vendor may add are kept, unread.
 */
export interface WireSbtResult {
  success?: Flag;
  [field: string]: unknown;
}

/**
 * Error `type`s the simulator gives the two SBT refusals that are not about a missing entity or a bad payload
 * (inferred; the real vendor's are unknown, so the classifier in loanpro.sbt.errors.ts also reads messages).
 */
export const SBT_INVALID_PIN_ERROR_TYPE = 'SbtInvalidPinException';
export const SBT_NOT_PENDING_ERROR_TYPE = 'SbtNotPendingException';
