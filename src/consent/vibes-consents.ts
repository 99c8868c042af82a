import { NUMBER_INVALIDATING_REASONS, type ConsentFacts } from './contactability.js';
import type { Consent } from './consent.types.js';
import type { ListPurposes } from './list-purposes.js';

/**
 * What Vibes itself says about a number now: its person's subscription records, read live, as consent facts.
 * (The ledger holds what Vibes' callbacks said; this is the current record, which a missed or late callback
 * cannot change.)
 *
 * Per list, the record that decides is an active one (the latest opt-in), else the latest opt-out: Vibes keeps
 * one record per subscription period, so a person who came back has an ended record and a newer active one.
 * Active: GRANTED since the opt-in; ended: REVOKED since the opt-out with its reason. Evidence VENDOR_FLAG (the
 * vendor's record), source VIBES, purpose by VIBES_LIST_PURPOSES. Every ended record whose reason says the
 * number itself died (`disconnect`) is also a number-wide invalidation.
 */
export interface VibesSubscriptionRecord {
  readonly listId: string;
  readonly optInDate: Date | string | null;
  readonly optOutDate: Date | string | null;
  readonly optOutReason: string | null;
  readonly active: boolean;
}

function dateOf(value: Date | string | null): Date | null {
  if (value === null) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Later first; an undated record sorts last. */
function byDateDesc(a: Date | null, b: Date | null): number {
  return (b?.getTime() ?? Number.NEGATIVE_INFINITY) - (a?.getTime() ?? Number.NEGATIVE_INFINITY);
}

function revoked(number: string, record: VibesSubscriptionRecord, purposes: ListPurposes): Consent {
  return {
    number,
    purpose: purposes.purposeOf(record.listId),
    status: 'REVOKED',
    source: 'VIBES',
    evidence: 'VENDOR_FLAG',
    since: dateOf(record.optOutDate),
    reason: record.optOutReason,
    listId: record.listId,
  };
}

export function vibesSubscriptionFacts(
  number: string,
  records: readonly VibesSubscriptionRecord[],
  purposes: ListPurposes,
): ConsentFacts {
  const byList = new Map<string, VibesSubscriptionRecord[]>();
  for (const record of records) {
    const list = byList.get(record.listId);
    if (list) list.push(record);
    else byList.set(record.listId, [record]);
  }
  const consents: Consent[] = [];
  for (const [listId, list] of byList) {
    const active = list.filter((r) => r.active).sort((a, b) => byDateDesc(dateOf(a.optInDate), dateOf(b.optInDate)))[0];
    if (active) {
      consents.push({
        number,
        purpose: purposes.purposeOf(listId),
        status: 'GRANTED',
        source: 'VIBES',
        evidence: 'VENDOR_FLAG',
        since: dateOf(active.optInDate),
        reason: null,
        listId,
      });
      continue;
    }
    const ended = [...list].sort((a, b) => byDateDesc(dateOf(a.optOutDate), dateOf(b.optOutDate)))[0];
    if (ended) consents.push(revoked(number, ended, purposes));
  }
  const invalidations = records
    .filter((r) => !r.active && r.optOutReason !== null && NUMBER_INVALIDATING_REASONS.has(r.optOutReason))
    .map((r) => revoked(number, r, purposes));
  return { consents, invalidations };
}
