import {
  CONSENT_PURPOSES,
  CONSENT_SOURCES,
  type Consent,
  type ConsentEvent,
  type ConsentStatus,
} from './consent.types.js';

/**
 * How ledger events become consents.
 *
 * 1. Superseded events drop out: an event named by another event's `correctsEventId` no longer counts (a
 *    correction, or an opt-in's GRANTED confirmation standing in for its PENDING record).
 * 2. Ordering, per number, source, purpose and list: the event that occurred latest wins, whatever order the
 *    events arrived in; on equal dates the more restrictive status wins (so REVOKED beats everything), and only
 *    then the later-recorded one. Given the same set of events, every arrival order gives the same answer.
 * 3. Combination, per purpose: most restrictive first. One revoked MARKETING list blocks MARKETING even when
 *    another MARKETING list is granted.
 */

/** Higher is more restrictive. REVOKED and NONE forbid outright; PENDING forbids until confirmed. */
export const RESTRICTIVENESS: Readonly<Record<ConsentStatus, number>> = { GRANTED: 0, PENDING: 1, NONE: 2, REVOKED: 3 };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative when `a` wins over `b` (sorts winners first). */
export function compareLatestFirst(a: ConsentEvent, b: ConsentEvent): number {
  return (
    b.occurredAt.getTime() - a.occurredAt.getTime() ||
    RESTRICTIVENESS[b.status] - RESTRICTIVENESS[a.status] ||
    b.recordedAt.getTime() - a.recordedAt.getTime() ||
    compareText(b.id, a.id)
  );
}

/** The events that still count: those no other event in the set corrects. */
export function effectiveEvents(events: readonly ConsentEvent[]): ConsentEvent[] {
  const superseded = new Set<string>();
  for (const e of events) if (e.correctsEventId !== null) superseded.add(e.correctsEventId);
  return events.filter((e) => !superseded.has(e.id));
}

/**
 * The vendor record a VENDOR_FLAG event copies (detail.record, a Phone.id), or null. Each record's flags are
 * ordered on their own: two borrowers sharing a number keep separate histories, so one's later "contact allowed"
 * cannot hide the other's no_contact.
 */
export function recordOf(e: Pick<ConsentEvent, 'evidence' | 'detail'>): string | null {
  const record = e.evidence === 'VENDOR_FLAG' ? e.detail?.record : undefined;
  return typeof record === 'string' && record !== '' ? record : null;
}

function groupKey(e: Pick<ConsentEvent, 'source' | 'purpose' | 'listId' | 'evidence' | 'detail'>): string {
  return JSON.stringify([e.source, e.purpose, e.listId ?? null, recordOf(e)]);
}

function reasonOf(event: ConsentEvent): string | null {
  const reason = event.detail?.reason;
  return typeof reason === 'string' && reason !== '' ? reason : null;
}

/** Sorts consents by purpose (contract order), source (contract order), then list. */
function compareConsents(a: Consent, b: Consent): number {
  return (
    CONSENT_PURPOSES.indexOf(a.purpose) - CONSENT_PURPOSES.indexOf(b.purpose) ||
    CONSENT_SOURCES.indexOf(a.source) - CONSENT_SOURCES.indexOf(b.source) ||
    compareText(a.listId ?? '', b.listId ?? '')
  );
}

/**
 * The current consent of every (source, purpose, list) the events mention, by the ordering rule. `since` is
 * when the winning status began: the earliest event of the unbroken run of that status that ends with the winner.
 */
export function currentConsents(events: readonly ConsentEvent[]): Consent[] {
  const groups = new Map<string, ConsentEvent[]>();
  for (const e of effectiveEvents(events)) {
    const key = groupKey(e);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  const consents: Consent[] = [];
  for (const group of groups.values()) {
    const ordered = [...group].sort(compareLatestFirst);
    const winner = ordered[0];
    if (!winner) continue;
    let since = winner.occurredAt;
    for (const e of ordered.slice(1)) {
      if (e.status !== winner.status) break;
      since = e.occurredAt;
    }
    consents.push({
      number: winner.number,
      purpose: winner.purpose,
      status: winner.status,
      source: winner.source,
      evidence: winner.evidence,
      since,
      reason: reasonOf(winner),
      listId: winner.listId,
      ...(recordOf(winner) === null ? {} : { record: recordOf(winner) }),
    });
  }
  return consents.sort(compareConsents);
}

/** Negative when `a` decides over `b`: more restrictive, then the more recent fact, then the list id. */
function compareDeciding(a: Consent, b: Consent): number {
  return (
    RESTRICTIVENESS[b.status] - RESTRICTIVENESS[a.status] ||
    (b.since?.getTime() ?? Number.NEGATIVE_INFINITY) - (a.since?.getTime() ?? Number.NEGATIVE_INFINITY) ||
    compareConsents(a, b)
  );
}

/** One consent per purpose present: the most restrictive of that purpose's consents (the one that decides). */
export function combineByPurpose(consents: readonly Consent[]): Consent[] {
  const byPurpose = new Map<string, Consent>();
  for (const c of consents) {
    const current = byPurpose.get(c.purpose);
    if (!current || compareDeciding(c, current) < 0) byPurpose.set(c.purpose, c);
  }
  return [...byPurpose.values()].sort(compareConsents);
}
