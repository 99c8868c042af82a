import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { decideContactability, type Consent, type ContactabilityDecision } from '../../consent/index.js';
import { ConsentPurposeEnum } from '../../schema/consent/consent.enums.js';
import { Consent as ConsentType, Contactability } from '../../schema/consent/consent.type.js';
import { Phone } from '../../schema/phone/phone.type.js';
import type { GatewayContext } from '../../server/context.js';
import { sortConsents } from './consent-order.js';
import { numberConsent } from './number-consent.js';

const VENDOR_NAMES: Readonly<Record<string, string>> = { LOANPRO: 'LoanPro', RECOVERY_CONNECT: 'RecoveryConnect' };

/**
 * `Phone.consents` and `Phone.contactability`: the number's one answer (src/resolvers/phone/number-consent.ts, the
 * same reads `phone(number)` makes, shared by every phone of the request with that number), plus the phone's own
 * vendor record, which is in hand. A phone whose number cannot be read has nothing to look up: no consents, and
 * contact is never allowed.
 */
@Resolver(() => Phone)
export class PhoneConsentResolver {
  @Authorized('consent:read')
  @FieldResolver(() => [ConsentType], {
    description:
      "What every reachable source knows about this phone's number: this record's flags (LoanPro SBT and do-not-disturb, RecoveryConnect no_contact and valid), the other LoanPro phones with the number, Vibes' subscriptions and the consent ledger. Never fails for a vendor outage: an unreadable source is left out (contactability names it). Errors: QUERY_TOO_COMPLEX when the operation is past GRAPHQL_MAX_IDS.",
  })
  async consents(@Root() phone: Phone, @Ctx() ctx: GatewayContext): Promise<Consent[]> {
    if (phone.number === null) return [];
    return sortConsents(await numberConsent(ctx, phone.number).readings(phone));
  }

  @Authorized('consent:read')
  @FieldResolver(() => Contactability, {
    description:
      'May this phone be contacted for the purpose now? Allowed only when some source grants the purpose and none revokes, pends or denies it; a source that cannot be read blocks and is listed in unavailableSources. Read fresh on every request. Errors: none for an outage; QUERY_TOO_COMPLEX when the operation is past GRAPHQL_MAX_IDS (each number looked up takes one).',
  })
  async contactability(
    @Root() phone: Phone,
    @Ctx() ctx: GatewayContext,
    @Arg('purpose', () => ConsentPurposeEnum, { description: 'What the contact would be for.' }) purpose: ConsentPurposeEnum,
  ): Promise<ContactabilityDecision> {
    if (phone.number === null) {
      return {
        allowed: false,
        purpose,
        reasons: [`${VENDOR_NAMES[phone.vendor] ?? phone.vendor} holds this number in a form that is not a phone number (see raw), so no ${purpose} contact can be allowed.`],
        blockedBy: [],
        unavailableSources: [],
      };
    }
    return decideContactability(purpose, await numberConsent(ctx, phone.number).readings(phone));
  }
}
