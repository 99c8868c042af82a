import { CONSENT_PURPOSES, type ConsentPurpose, type VendorFlagState, type VendorRecordReading } from '../../consent/index.js';
import type { Phone, SbtFlag } from '../../schema/phone/phone.type.js';

/**
 * What one vendor phone record says about consent (src/consent/vendor-flags.ts), from the domain Phone:
 * - LoanPro dndEnabled on: REVOKED for every purpose (source LOANPRO_DND). Off: COLLECTIONS GRANTED, since a phone
 *   on a LoanPro customer is a contact number of the account (the COLLECTIONS rule).
 * - LoanPro SBT, per purpose (ACCOUNT: account, MARKETING: marketing): verified GRANTED; a PIN out and not yet
 *   verified PENDING; neither: nothing. An unreadable flag states nothing and is not recorded.
 * - RecoveryConnect no_contact on: REVOKED for every purpose. Off and `valid`: COLLECTIONS GRANTED. Off and not
 *   valid: nothing (an invalid number is no contact number).
 * Null for a phone whose number cannot be read (no number to hold facts about) or of another vendor.
 */
export function phoneRecordReading(phone: Phone): VendorRecordReading | null {
  if (phone.number === null) return null;
  const states: VendorFlagState[] = [];
  if (phone.vendor === 'LOANPRO') {
    for (const purpose of CONSENT_PURPOSES) {
      states.push(
        phone.doNotContact
          ? { source: 'LOANPRO_DND', purpose, status: 'REVOKED', reason: 'do-not-disturb on in LoanPro' }
          : purpose === 'COLLECTIONS'
            ? { source: 'LOANPRO_DND', purpose, status: 'GRANTED', reason: 'contact number on a LoanPro customer, do-not-disturb off' }
            : { source: 'LOANPRO_DND', purpose, status: null, reason: 'do-not-disturb off in LoanPro' },
      );
    }
    if (phone.sbt) {
      pushSbt(states, 'ACCOUNT', phone.sbt.account);
      pushSbt(states, 'MARKETING', phone.sbt.marketing);
    }
  } else if (phone.vendor === 'RECOVERY_CONNECT') {
    for (const purpose of CONSENT_PURPOSES) {
      if (phone.doNotContact) {
        states.push({ source: 'RECOVERY_CONNECT', purpose, status: 'REVOKED', reason: 'no_contact set in RecoveryConnect' });
      } else if (purpose !== 'COLLECTIONS') {
        states.push({ source: 'RECOVERY_CONNECT', purpose, status: null, reason: 'no_contact off in RecoveryConnect' });
      } else if (phone.valid !== null) {
        states.push(
          phone.valid
            ? { source: 'RECOVERY_CONNECT', purpose, status: 'GRANTED', reason: 'valid contact number on a RecoveryConnect account' }
            : { source: 'RECOVERY_CONNECT', purpose, status: null, reason: 'marked not valid in RecoveryConnect' },
        );
      }
    }
  } else {
    return null;
  }
  return { record: phone.id, vendor: phone.vendor, number: phone.number, states };
}

function pushSbt(states: VendorFlagState[], purpose: ConsentPurpose, flag: SbtFlag): void {
  if (flag.verified === true) states.push({ source: 'SBT', purpose, status: 'GRANTED', reason: 'verified by text' });
  else if (flag.verified === false && flag.pending === true) states.push({ source: 'SBT', purpose, status: 'PENDING', reason: 'verification PIN sent, not confirmed' });
  else if (flag.verified === false && flag.pending === false) states.push({ source: 'SBT', purpose, status: null, reason: 'not verified by text' });
}
