/**
 * A LoanPro phone's SBT state, read from its wire flags (vendor-apis.md 1.7): per type, verified
 * (`sbtActVerified`, `sbtMktVerified`) and pending (`sbtActVerifyPending`, `sbtMktVerifyPending`). The
 * `*VerifyPIN` fields are never read here: they hold the texted PINs, which must not leave the client layer.
 */
import type { SbtType } from './loanpro.sbt.wire.js';
import { SBT_TYPES } from './loanpro.sbt.wire.js';
import type { Flag, WirePhone } from './loanpro.wire.js';

export interface SbtTypeState {
  /** null when the field is absent or null on the wire: unknown, not false. */
  readonly verified: boolean | null;
  readonly pending: boolean | null;
}

export type SbtPhoneState = Readonly<Record<SbtType, SbtTypeState>>;

const FLAGS: Readonly<Record<SbtType, { verified: 'sbtActVerified' | 'sbtMktVerified'; pending: 'sbtActVerifyPending' | 'sbtMktVerifyPending' }>> = {
  account: { verified: 'sbtActVerified', pending: 'sbtActVerifyPending' },
  marketing: { verified: 'sbtMktVerified', pending: 'sbtMktVerifyPending' },
};

/** LoanPro sends 0/1, and takes "0"/"1" and booleans (vendor-apis.md 1.4); anything else is unknown. */
function readFlag(value: Flag | undefined): boolean | null {
  if (value === 1 || value === '1' || value === true) return true;
  if (value === 0 || value === '0' || value === false) return false;
  return null;
}

export function sbtStateOf(phone: WirePhone): SbtPhoneState {
  const state = {} as Record<SbtType, SbtTypeState>;
  for (const type of SBT_TYPES) {
    state[type] = { verified: readFlag(phone[FLAGS[type].verified]), pending: readFlag(phone[FLAGS[type].pending]) };
  }
  return state;
}

/** The types with a PIN out for confirmation, in SBT_TYPES order. */
export function sbtPendingTypes(phone: WirePhone): SbtType[] {
  const state = sbtStateOf(phone);
  return SBT_TYPES.filter((type) => state[type].pending === true);
}

/** The types the customer has confirmed (or that were bypassed), in SBT_TYPES order. */
export function sbtVerifiedTypes(phone: WirePhone): SbtType[] {
  const state = sbtStateOf(phone);
  return SBT_TYPES.filter((type) => state[type].verified === true);
}

/**
 * What a read of the phone says about a requestVerification whose answer was lost (timeout, reset): it went
 * through when a PIN is now pending, or when there was nothing to text (every type already verified). Either way
 * the customer holds a usable PIN for each pending type (the one texted before, or the one the lost call texted),
 * so answering "done" never texts again. Nothing pending and something unverified: it did not go through.
 * With the VBT type None a successful request leaves no trace (loanpro.sbt-state.ts in the simulator), so it reads
 * as not gone through; re-sending then sends the keyword message the seed describes for a second request.
 */
export function verificationRequestEvidence(phone: WirePhone): { readonly wentThrough: boolean; readonly pending: SbtType[] } {
  const pending = sbtPendingTypes(phone);
  const allVerified = sbtVerifiedTypes(phone).length === SBT_TYPES.length;
  return { wentThrough: pending.length > 0 || allVerified, pending };
}
