import type { VendorName } from '../errors/errors.js';
import { compareLatestFirst, effectiveEvents, recordOf } from './consent.rules.js';
import type { Consent, ConsentEvent, ConsentPurpose, ConsentSource, ConsentStatus, NewConsentEvent } from './consent.types.js';

/**
 * Vendor flags as consent facts, and their copies in the ledger.
 *
 * A vendor record (one phone as LoanPro or RecoveryConnect holds it) states, per source and purpose, a status or
 * nothing: LoanPro's SBT flags (verified: GRANTED, PIN out: PENDING, neither: nothing), its dndEnabled (REVOKED for
 * every purpose; off on a contact number: COLLECTIONS GRANTED), RecoveryConnect's no_contact and valid (the same
 * shape). Read live, those are facts for contactability. Every change the gateway sees is also recorded in the
 * ledger (evidence VENDOR_FLAG, detail.record naming the record), once per change, so a lookup by number that no
 * vendor search can answer (RecoveryConnect has none) still sees what the gateway last read. "Says nothing" is
 * recorded as NONE, which as a ledger copy means exactly that: no fact (see `ledgerCopiesAsFacts`).
 */

/** What one record states for one source and purpose; null: it says nothing (a flag that is off). */
export interface VendorFlagState {
  readonly source: ConsentSource;
  readonly purpose: ConsentPurpose;
  readonly status: Exclude<ConsentStatus, 'NONE'> | null;
  /** Why, in a few words, for the fact's `reason` ("do-not-disturb on in LoanPro"). */
  readonly reason: string;
}

/** One vendor record read live: its id, vendor, number and what it states. Pairs it cannot tell are left out. */
export interface VendorRecordReading {
  /** The record's Phone.id ("loanpro:803"). */
  readonly record: string;
  readonly vendor: VendorName;
  /** E.164. */
  readonly number: string;
  readonly states: readonly VendorFlagState[];
}

interface RecordedFlag {
  readonly event: ConsentEvent;
  /** Start of the unbroken run of the winning status. */
  readonly since: Date;
}

/** The ledger's latest copy of each (record, source, purpose), by the ledger's ordering rule. */
function recordedFlags(history: readonly ConsentEvent[], record: string): Map<string, RecordedFlag> {
  const groups = new Map<string, ConsentEvent[]>();
  for (const e of effectiveEvents(history)) {
    if (recordOf(e) !== record) continue;
    const key = `${e.source}|${e.purpose}`;
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const out = new Map<string, RecordedFlag>();
  for (const [key, group] of groups) {
    const ordered = [...group].sort(compareLatestFirst);
    const winner = ordered[0]!;
    let since = winner.occurredAt;
    for (const e of ordered.slice(1)) {
      if (e.status !== winner.status) break;
      since = e.occurredAt;
    }
    out.set(key, { event: winner, since });
  }
  return out;
}

/**
 * The record's live facts. `since` is when the gateway first saw the current status (its ledger copy's run), or
 * `observedAt` when the ledger has no copy in that status yet (or could not be read: `history` null).
 */
export function vendorFlagFacts(reading: VendorRecordReading, history: readonly ConsentEvent[] | null, observedAt: Date): Consent[] {
  const recorded = history === null ? new Map<string, RecordedFlag>() : recordedFlags(history, reading.record);
  const facts: Consent[] = [];
  for (const state of reading.states) {
    if (state.status === null) continue;
    const copy = recorded.get(`${state.source}|${state.purpose}`);
    facts.push({
      number: reading.number,
      purpose: state.purpose,
      status: state.status,
      source: state.source,
      evidence: 'VENDOR_FLAG',
      since: copy !== undefined && copy.event.status === state.status ? copy.since : observedAt,
      reason: state.reason,
      listId: null,
      record: reading.record,
    });
  }
  return facts;
}

/**
 * The ledger events that bring its copy of the record up to date: one per (source, purpose) whose status differs
 * from the latest copy (nothing recorded and nothing stated: no event). Each names the copy it follows in its
 * vendorEventId, so replicas that saw the same change at once write it once (the ledger's vendor-event index).
 */
export function vendorFlagChanges(reading: VendorRecordReading, history: readonly ConsentEvent[], observedAt: Date): NewConsentEvent[] {
  const recorded = recordedFlags(history, reading.record);
  const events: NewConsentEvent[] = [];
  for (const state of reading.states) {
    const status: ConsentStatus = state.status ?? 'NONE';
    const copy = recorded.get(`${state.source}|${state.purpose}`);
    if (copy === undefined ? status === 'NONE' : copy.event.status === status) continue;
    events.push({
      number: reading.number,
      purpose: state.purpose,
      status,
      source: state.source,
      evidence: 'VENDOR_FLAG',
      occurredAt: observedAt,
      vendorEventId: `flag:${reading.record}:${copy?.event.id ?? 'first'}`,
      detail: { record: reading.record, vendor: reading.vendor, reason: state.reason },
    });
  }
  return events;
}

/**
 * The ledger's copies of vendor flags as facts, minus those a live read supersedes: a copy of a record read live
 * now, or of a source whose every record was read live now (LoanPro searched by number, completely). A NONE copy
 * is "the record says nothing": no fact.
 */
export function ledgerCopiesAsFacts(
  consents: readonly Consent[],
  live: { readonly records: ReadonlySet<string>; readonly completeSources: ReadonlySet<ConsentSource> },
): Consent[] {
  return consents.filter((c) => {
    if (c.evidence !== 'VENDOR_FLAG' || c.record == null) return true;
    if (c.status === 'NONE') return false;
    return !live.records.has(c.record) && !live.completeSources.has(c.source);
  });
}
