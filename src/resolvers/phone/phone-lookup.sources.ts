/**
 * The sources `phone(number)` reads consent facts from, for `consents` and `contactability` alike. Each is
 * { name, vendor, read(number) }: the SBT issue adds LoanPro's SBT flags and dndEnabled and RecoveryConnect's
 * no_contact here as more entries; the policy (src/consent/contactability.ts) does not change.
 */
import {
  ledgerFacts,
  vibesSubscriptionFacts,
  type ConsentEvent,
  type ConsentFacts,
  type ConsentFactSource,
} from '../../consent/index.js';
import { GatewayError } from '../../errors/errors.js';
import type { GatewayContext } from '../../server/context.js';

const NO_FACTS: ConsentFacts = { consents: [] };

/** What Vibes says now: the person holding the number and their subscription records. */
async function vibesFacts(ctx: GatewayContext, number: string): Promise<ConsentFacts> {
  const person = await ctx.vibes.personByMobile(number, 'phone.consents');
  if (person === null) return NO_FACTS;
  let records;
  try {
    records = await ctx.vibes.subscriptions(person.key);
  } catch (error) {
    // The person went away between the two reads: Vibes knows nothing about the number now.
    if (error instanceof GatewayError && error.code === 'NOT_FOUND') return NO_FACTS;
    throw error;
  }
  return vibesSubscriptionFacts(number, records, ctx.consent.listPurposes);
}

/**
 * The sources for one lookup. `ledgerHistory` is the lookup's one read of the number's ledger events (shared with
 * the `history` field).
 */
export function consentSources(ctx: GatewayContext, ledgerHistory: () => Promise<readonly ConsentEvent[]>): ConsentFactSource[] {
  return [
    { name: 'ledger', vendor: null, read: async () => ledgerFacts(await ledgerHistory()) },
    { name: 'vibes', vendor: 'VIBES', read: (number) => vibesFacts(ctx, number) },
  ];
}
