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
  description: 'What a message is for; consent for one purpose never authorises another.',
});
registerEnumType(ConsentStatusEnum, {
  name: 'ConsentStatus',
  description: 'GRANTED permits; PENDING (an opt-in not yet confirmed), NONE and REVOKED do not.',
});
registerEnumType(ConsentSourceEnum, { name: 'ConsentSource', description: 'Where a consent fact comes from.' });
registerEnumType(ConsentEvidenceEnum, { name: 'ConsentEvidence', description: 'How a consent fact was established.' });
