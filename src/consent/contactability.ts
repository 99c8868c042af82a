import { VENDOR_DISPLAY_NAMES, type VendorName } from '../errors/errors.js';
import { RESTRICTIVENESS } from './consent.rules.js';
import type { Consent, ConsentEvidence, ConsentPurpose, ConsentSource } from './consent.types.js';

/**
 * May this number be contacted for this purpose, now? (GraphQL `contactability(purpose)`.)
 *
 * The policy reads facts, not vendors: each source (the gateway's ledger, Vibes' live subscriptions, LoanPro's
 * phones holding the number with their SBT flags and dndEnabled, the vendor record a Phone came from: see
 * src/resolvers/phone/number-consent.ts) is read once per question and hands back Consent-shaped facts, or fails.
 * Then, for one purpose:
 *
 * 1. An unreadable source blocks, and its vendor is listed in `unavailableSources`; the ledger unreadable blocks
 *    with a reason of its own (it is not a vendor).
 * 2. Most restrictive wins: any fact of the purpose that is not GRANTED (REVOKED, NONE, PENDING) blocks, whatever
 *    other sources grant. A source that knows nothing says nothing (no fact); NONE is a source saying "no".
 * 3. Something must grant: with no GRANTED fact for the purpose, contact is not allowed.
 * 4. Number-wide invalidations (a Vibes opt-out with reason `disconnect`; later a carrier DEACT or an RND "yes")
 *    void every consent given before them, whatever its purpose: only a grant that began after the latest
 *    invalidation counts (compliance doc 1.5, acceptance item 7).
 *
 * Every blocking and every granting fact gets one readable sentence in `reasons`. Nothing is cached: each
 * question reads the sources again (a revocation must block the very next decision).
 */

/** Which source a reading came from. */
export interface ConsentSourceRef {
  /** For logs: 'ledger', 'vibes', ... */
  readonly name: string;
  /** The vendor behind it (listed in unavailableSources when it cannot be read); null for the gateway's ledger. */
  readonly vendor: VendorName | null;
}

/** One place consent facts come from, with its own read. */
export interface ConsentFactSource extends ConsentSourceRef {
  read(number: string, signal: AbortSignal): Promise<ConsentFacts>;
}

export interface ConsentFacts {
  /** What the source says now, per purpose (and list, where it has lists). */
  readonly consents: readonly Consent[];
  /** Facts that void every earlier consent of the number, whatever their purpose (e.g. a disconnect). */
  readonly invalidations?: readonly Consent[] | undefined;
  /** Sentences every decision drawn from this reading adds to its reasons (what the source could not tell). */
  readonly notes?: readonly string[] | undefined;
}

export type SourceReading =
  | { readonly source: ConsentSourceRef; readonly ok: true; readonly facts: ConsentFacts }
  | { readonly source: ConsentSourceRef; readonly ok: false };

export interface ContactabilityDecision {
  readonly allowed: boolean;
  readonly purpose: ConsentPurpose;
  readonly reasons: readonly string[];
  readonly blockedBy: readonly Consent[];
  readonly unavailableSources: readonly VendorName[];
}

/** Opt-out reasons that mean the number itself changed hands or died, not that one list was left: how reasons say it. */
const INVALIDATIONS: Readonly<Record<string, string>> = { disconnect: 'disconnected' };
export const NUMBER_INVALIDATING_REASONS: ReadonlySet<string> = new Set(Object.keys(INVALIDATIONS));

/**
 * Reads every source at once (they are independent). A source that throws is an unreadable source, never a
 * failed question; `onError` gets the source's name (log it: the error may carry vendor detail, so log its code).
 */
export async function readConsentSources(
  sources: readonly ConsentFactSource[],
  number: string,
  signal: AbortSignal,
  onError?: (source: ConsentFactSource, error: unknown) => void,
): Promise<SourceReading[]> {
  return Promise.all(
    sources.map(async (source): Promise<SourceReading> => {
      try {
        return { source, ok: true, facts: await source.read(number, signal) };
      } catch (error) {
        try {
          onError?.(source, error);
        } catch {
          // a failing reporter must not turn an unreadable source into a failed question
        }
        return { source, ok: false };
      }
    }),
  );
}

const SOURCE_NAMES: Readonly<Record<ConsentSource, string>> = {
  SBT: 'LoanPro SBT',
  VIBES: 'Vibes',
  RECOVERY_CONNECT: 'RecoveryConnect',
  LOANPRO_DND: 'LoanPro do-not-disturb',
  LEDGER: 'The consent ledger',
};

const EVIDENCE: Readonly<Record<ConsentEvidence, string>> = {
  PIN_CONFIRMED: 'PIN confirmed',
  BYPASS_ATTESTED: 'verification bypass attested',
  SUBSCRIPTION_CALLBACK: 'subscription callback',
  VENDOR_FLAG: 'vendor record',
  OPERATOR: 'recorded by an operator',
};

function day(date: Date | null): string | null {
  return date === null ? null : date.toISOString().slice(0, 10);
}

/** "Vibes list 7001", "LoanPro SBT". */
function subject(fact: Consent): string {
  const name = SOURCE_NAMES[fact.source];
  return fact.listId === null ? name : `${name} list ${fact.listId}`;
}

/** "(subscription callback, user_opt_out)" from what the fact knows. */
function detailOf(fact: Consent): string {
  const parts = [fact.evidence === null ? null : EVIDENCE[fact.evidence], fact.reason].filter((p): p is string => p !== null);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

export function describeFact(fact: Consent): string {
  const since = day(fact.since);
  const who = subject(fact);
  switch (fact.status) {
    case 'GRANTED':
      return `${who} grants ${fact.purpose} consent${since ? ` since ${since}` : ''}${detailOf(fact)}.`;
    case 'REVOKED':
      return `${who} revoked ${fact.purpose} consent${since ? ` on ${since}` : ''}${detailOf(fact)}.`;
    case 'PENDING':
      return `${who} has ${fact.purpose} consent pending confirmation${since ? ` since ${since}` : ''}${detailOf(fact)}.`;
    case 'NONE':
      return `${who} holds no ${fact.purpose} consent${detailOf(fact)}.`;
  }
}

function latest(facts: readonly Consent[]): Consent | undefined {
  // An invalidation without a date voids everything: it sorts as the latest.
  let found: Consent | undefined;
  for (const fact of facts) {
    if (found === undefined) found = fact;
    else if (found.since !== null && (fact.since === null || fact.since > found.since)) found = fact;
  }
  return found;
}

/** The same fact, read twice (a ledger's current consent and its invalidation are separate objects). */
function sameFact(a: Consent, b: Consent): boolean {
  return (
    a.source === b.source &&
    a.purpose === b.purpose &&
    a.status === b.status &&
    a.listId === b.listId &&
    a.since?.getTime() === b.since?.getTime()
  );
}

/** Whether a grant began after the invalidation (an undated grant or invalidation never does). */
function grantedAfter(grant: Consent, invalidation: Consent): boolean {
  return grant.since !== null && invalidation.since !== null && grant.since > invalidation.since;
}

/** Applies the policy (see the header) to what the sources said. Pure: same readings, same answer. */
export function decideContactability(purpose: ConsentPurpose, readings: readonly SourceReading[]): ContactabilityDecision {
  const reasons: string[] = [];
  const unavailable: VendorName[] = [];
  let ledgerUnreadable = false;
  const facts: Consent[] = [];
  const invalidations: Consent[] = [];
  const notes: string[] = [];
  for (const reading of readings) {
    if (!reading.ok) {
      if (reading.source.vendor === null) ledgerUnreadable = true;
      else if (!unavailable.includes(reading.source.vendor)) unavailable.push(reading.source.vendor);
      continue;
    }
    facts.push(...reading.facts.consents.filter((c) => c.purpose === purpose));
    invalidations.push(...(reading.facts.invalidations ?? []));
    for (const note of reading.facts.notes ?? []) if (!notes.includes(note)) notes.push(note);
  }

  if (ledgerUnreadable) reasons.push(`The consent ledger could not be read, so no ${purpose} contact can be allowed.`);
  for (const vendor of unavailable) {
    reasons.push(`${VENDOR_DISPLAY_NAMES[vendor]} could not be read, so ${purpose} contact is blocked until it answers.`);
  }

  // Most restrictive first, so the sentence that decides comes first.
  const blockedBy = facts
    .filter((c) => c.status !== 'GRANTED')
    .sort((a, b) => RESTRICTIVENESS[b.status] - RESTRICTIVENESS[a.status]);
  const grants = facts.filter((c) => c.status === 'GRANTED');
  const invalidation = latest(invalidations);
  const fresh = invalidation === undefined ? grants : grants.filter((g) => grantedAfter(g, invalidation));
  if (invalidation !== undefined && fresh.length < grants.length) {
    const when = day(invalidation.since);
    reasons.push(
      `${SOURCE_NAMES[invalidation.source]} reported the number ${INVALIDATIONS[invalidation.reason ?? ''] ?? 'invalidated'}${when ? ` on ${when}` : ''}: ` +
        'consent given before then no longer counts.',
    );
    // The invalidation blocks only while no grant after it exists; its own sentence above says why.
    if (fresh.length === 0 && !blockedBy.some((b) => sameFact(b, invalidation))) blockedBy.push(invalidation);
  }
  for (const fact of blockedBy) if (fact !== invalidation) reasons.push(describeFact(fact));
  for (const grant of fresh) reasons.push(describeFact(grant));
  if (grants.length === 0) reasons.push(`No source grants ${purpose} consent.`);
  reasons.push(...notes);

  return {
    allowed: !ledgerUnreadable && unavailable.length === 0 && blockedBy.length === 0 && fresh.length > 0,
    purpose,
    reasons,
    blockedBy,
    unavailableSources: unavailable,
  };
}
