import { currentConsents, effectiveEvents } from './consent.rules.js';
import type { Consent, ConsentEvent } from './consent.types.js';
import { NUMBER_INVALIDATING_REASONS, type ConsentFacts } from './contactability.js';

/**
 * The ledger as a contactability source: its current consents by the ordering rules (consent.rules.ts), plus
 * every revocation still in force in the history whose reason voids the number's consent altogether (a Vibes
 * opt-out with reason `disconnect`). Those are taken from the whole history, not only from the current
 * consents: a later opt-in on the same list must not bring back consent another list gave before the disconnect.
 */
export function ledgerFacts(events: readonly ConsentEvent[]): ConsentFacts {
  const invalidations: Consent[] = [];
  for (const event of effectiveEvents(events)) {
    const reason = typeof event.detail?.reason === 'string' ? event.detail.reason : null;
    if (event.status !== 'REVOKED' || reason === null || !NUMBER_INVALIDATING_REASONS.has(reason)) continue;
    invalidations.push({
      number: event.number,
      purpose: event.purpose,
      status: event.status,
      source: event.source,
      evidence: event.evidence,
      since: event.occurredAt,
      reason,
      listId: event.listId,
    });
  }
  return { consents: currentConsents(events), invalidations };
}
