import { registerEnumType } from 'type-graphql';
import type { ConsentEvidence, ConsentPurpose, ConsentSource, ConsentStatus } from '../../consent/consent.types.js';

/**
 * The contract's consent enums for the schema. The domain (src/consent/consent.types.ts) spells them as string
 * unions; the checks below fail to compile when the two lists drift apart.
 */
export enum ConsentPurposeEnum {
  ACCOUNT = 'ACCOUNT',
  MARKETING = 'MARKETING',
  COLLECTIONS = 'COLLECTIONS',
}

export enum ConsentStatusEnum {
  GRANTED = 'GRANTED',
  PENDING = 'PENDING',
  REVOKED = 'REVOKED',
  NONE = 'NONE',
}

export enum ConsentSourceEnum {
  SBT = 'SBT',
  VIBES = 'VIBES',
  RECOVERY_CONNECT = 'RECOVERY_CONNECT',
  LOANPRO_DND = 'LOANPRO_DND',
  LEDGER = 'LEDGER',
}

export enum ConsentEvidenceEnum {
  PIN_CONFIRMED = 'PIN_CONFIRMED',
  BYPASS_ATTESTED = 'BYPASS_ATTESTED',
  SUBSCRIPTION_CALLBACK = 'SUBSCRIPTION_CALLBACK',
  VENDOR_FLAG = 'VENDOR_FLAG',
  OPERATOR = 'OPERATOR',
}

// Same members both ways: a value the domain has and the schema lacks (or the reverse) does not compile.
const _purposes: [Record<ConsentPurpose, ConsentPurposeEnum>, Record<`${ConsentPurposeEnum}`, ConsentPurpose>] = [ConsentPurposeEnum, ConsentPurposeEnum];
const _statuses: [Record<ConsentStatus, ConsentStatusEnum>, Record<`${ConsentStatusEnum}`, ConsentStatus>] = [ConsentStatusEnum, ConsentStatusEnum];
const _sources: [Record<ConsentSource, ConsentSourceEnum>, Record<`${ConsentSourceEnum}`, ConsentSource>] = [ConsentSourceEnum, ConsentSourceEnum];
const _evidence: [Record<ConsentEvidence, ConsentEvidenceEnum>, Record<`${ConsentEvidenceEnum}`, ConsentEvidence>] = [ConsentEvidenceEnum, ConsentEvidenceEnum];
void [_purposes, _statuses, _sources, _evidence];

registerEnumType(ConsentPurposeEnum, {
  name: 'ConsentPurpose',
  description: 'What a message is for; consent for one purpose never authorises another. Each Vibes list counts for the purpose VIBES_LIST_PURPOSES gives it (MARKETING when unnamed).',
  valuesConfig: {
    ACCOUNT: { description: 'Account servicing: messages about an existing account (payment reminders, alerts).' },
    MARKETING: { description: 'Marketing messages.' },
    COLLECTIONS: { description: 'Collections: contact about a debt.' },
  },
});
registerEnumType(ConsentStatusEnum, {
  name: 'ConsentStatus',
  description: 'GRANTED permits; PENDING (an opt-in not yet confirmed), NONE and REVOKED do not.',
  valuesConfig: {
    GRANTED: { description: 'Consent is held: the source permits contact for the purpose.' },
    PENDING: { description: 'An opt-in not yet confirmed (a Vibes opt-in callback not yet confirmed by reading Vibes back, an SBT PIN not yet entered); blocks contact.' },
    REVOKED: { description: 'Consent was withdrawn (an opt-out, a texted STOP); blocks contact.' },
    NONE: { description: 'The source says no consent is held; blocks contact.' },
  },
});
registerEnumType(ConsentSourceEnum, {
  name: 'ConsentSource',
  description: 'Where a consent fact comes from.',
  valuesConfig: {
    SBT: { description: "LoanPro's SBT (Solutions By Text) verification of a phone: PIN confirmations and bypass attestations." },
    VIBES: { description: 'Vibes subscription lists: callbacks recorded in the ledger, and the subscriptions Vibes holds now.' },
    RECOVERY_CONNECT: { description: "RecoveryConnect's no_contact flag on a borrower phone." },
    LOANPRO_DND: { description: "LoanPro's dndEnabled (do not disturb) flag on a customer phone." },
    LEDGER: { description: "An entry made in the gateway's consent ledger itself (by an operator)." },
  },
});
registerEnumType(ConsentEvidenceEnum, {
  name: 'ConsentEvidence',
  description: 'How a consent fact was established.',
  valuesConfig: {
    PIN_CONFIRMED: { description: 'The PIN SBT texted to the number was confirmed.' },
    BYPASS_ATTESTED: { description: 'Consent gathered outside the PIN flow, attested through the gateway (who, how, when).' },
    SUBSCRIPTION_CALLBACK: { description: 'A Vibes subscription callback (opt-in or opt-out) the gateway received and recorded.' },
    VENDOR_FLAG: { description: "What a vendor's record says now, read live (e.g. a Vibes subscription)." },
    OPERATOR: { description: 'Recorded in the ledger by an operator.' },
  },
});
