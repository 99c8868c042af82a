import type { Consent, SourceReading } from '../../consent/index.js';

const PURPOSE_ORDER = ['ACCOUNT', 'MARKETING', 'COLLECTIONS'];
const SOURCE_ORDER = ['SBT', 'VIBES', 'RECOVERY_CONNECT', 'LOANPRO_DND', 'LEDGER'];
const EVIDENCE_ORDER = ['SUBSCRIPTION_CALLBACK', 'VENDOR_FLAG', 'PIN_CONFIRMED', 'BYPASS_ATTESTED', 'OPERATOR'];

/** Purpose, source, list, then what the ledger recorded before what the vendor says now, then the record. */
function compareConsents(a: Consent, b: Consent): number {
  return (
    PURPOSE_ORDER.indexOf(a.purpose) - PURPOSE_ORDER.indexOf(b.purpose) ||
    SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
    (a.listId ?? '').localeCompare(b.listId ?? '') ||
    EVIDENCE_ORDER.indexOf(a.evidence ?? '') - EVIDENCE_ORDER.indexOf(b.evidence ?? '') ||
    (a.record ?? '').localeCompare(b.record ?? '')
  );
}

/** Every fact of the readable sources, in one stable order (`consents` fields). */
export function sortConsents(readings: readonly SourceReading[]): Consent[] {
  return readings.flatMap((r) => (r.ok ? [...r.facts.consents] : [])).sort(compareConsents);
}
