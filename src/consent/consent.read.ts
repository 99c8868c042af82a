import { MAX_HISTORY_LIMIT, type ConsentLedger } from '../store/consent-ledger.js';
import { combineByPurpose, currentConsents } from './consent.rules.js';
import type { Consent } from './consent.types.js';

/**
 * The read side the GraphQL layer uses: what the ledger says about one number now.
 * - `consents`: one per (source, purpose, list) the ledger has heard of, by the ordering rule (consent.rules.ts);
 *   source is the event's original source (VIBES for callbacks, SBT for PIN confirmations, LEDGER for operator
 *   entries).
 * - `byPurpose`: one per purpose present, the most restrictive of those (the one that decides).
 * A purpose the ledger has never heard of is absent from both (the caller reads that as NONE).
 */
export interface LedgerConsents {
  readonly consents: Consent[];
  readonly byPurpose: Consent[];
}

export async function consentsFromLedger(
  ledger: Pick<ConsentLedger, 'history'>,
  number: string,
): Promise<LedgerConsents> {
  // The newest events decide; a number with more than MAX_HISTORY_LIMIT events is judged on its newest ones.
  const events = await ledger.history(number, { limit: MAX_HISTORY_LIMIT });
  const consents = currentConsents(events);
  return { consents, byPurpose: combineByPurpose(consents) };
}
