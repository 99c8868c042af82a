import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { decideContactability, type Consent, type ConsentEvent, type ContactabilityDecision } from '../../consent/index.js';
import { BadUserInputError, GatewayError } from '../../errors/errors.js';
import { ConsentPurposeEnum } from '../../schema/consent/consent.enums.js';
import { Consent as ConsentType, ConsentEventType, Contactability } from '../../schema/consent/consent.type.js';
import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_PAGE, PhoneLookup } from '../../schema/consent/phone-lookup.type.js';
import { Person } from '../../schema/person/person.type.js';
import { PhoneNumberScalar } from '../../schema/scalars/phone-number.scalar.js';
import type { GatewayContext } from '../../server/context.js';
import { numberConsent, type NumberConsent } from './number-consent.js';
import { sortConsents } from './consent-order.js';
import { Customer } from '../../schema/customer/customer.type.js';
import { logCode } from '../../server/log-code.js';

/**
 * `phone(number)`. The consent fields never fail for a vendor outage: `consents` lists what the reachable sources
 * say and `contactability` blocks, naming the unreachable ones. `history` has one source, the ledger, and is
 * nullable like every list one call feeds (a ledger failure nulls only it). Vendor reads run in parallel with the
 * ledger read, and each source is read once per lookup.
 */
@Resolver(() => PhoneLookup)
export class PhoneLookupResolver {
  @Query(() => PhoneLookup, { description: 'Everything the gateway knows about one number across vendors. Needs no scope itself; each of its fields names its own.' })
  phone(@Arg('number', () => PhoneNumberScalar, { description: 'E.164 (BAD_USER_INPUT otherwise).' }) number: string, @Ctx() ctx: GatewayContext): NumberConsent {
    return numberConsent(ctx, number);
  }

  @Authorized('customers:read')
  @FieldResolver(() => [Customer], {
    nullable: true,
    description:
      "LoanPro customers holding this number as a phone (LoanPro's phones collection; where LoanPro refuses it, its customer search by primary phone, which finds primary phones only). Errors: null with UPSTREAM_UNAVAILABLE or UPSTREAM_RATE_LIMITED (vendor LOANPRO) when LoanPro cannot be read.",
  })
  customers(@Root() root: NumberConsent, @Ctx() ctx: GatewayContext): Promise<Customer[]> {
    return ctx.loanpro.customersWithNumber(root.number);
  }

  @Authorized('persons:read')
  @FieldResolver(() => Person, { nullable: true, description: 'The Vibes person with this MDN; null when Vibes knows none, or (with UPSTREAM_UNAVAILABLE or UPSTREAM_RATE_LIMITED) cannot answer.' })
  person(@Root() root: NumberConsent, @Ctx() ctx: GatewayContext): Promise<Person | null> {
    return ctx.vibes.personByMobile(root.number, 'phone.person');
  }

  @Authorized('consent:read')
  @FieldResolver(() => [ConsentType], {
    description:
      "What every reachable source knows about this number: the ledger's current consents (evidence as recorded), Vibes' subscriptions now, LoanPro's phones holding it (SBT flags, do-not-disturb: VENDOR_FLAG) and RecoveryConnect's flags as the ledger last recorded them. Never fails for a vendor outage: a source that cannot be read is left out, and contactability names it.",
  })
  async consents(@Root() root: NumberConsent): Promise<Consent[]> {
    return sortConsents(await root.readings());
  }

  @Authorized('consent:read')
  @FieldResolver(() => [ConsentEventType], {
    nullable: true,
    description:
      "The ledger's events for this number, newest first (by when they happened). Errors: BAD_USER_INPUT (limit out of range); null with INTERNAL_SERVER_ERROR when the ledger cannot be read.",
  })
  async history(
    @Root() root: NumberConsent,
    @Ctx() ctx: GatewayContext,
    @Arg('limit', () => Int, { defaultValue: DEFAULT_HISTORY_PAGE, description: `At most this many (1 to ${MAX_HISTORY_PAGE}).` }) limit: number,
  ): Promise<ConsentEvent[]> {
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) {
      throw new BadUserInputError(`limit must be from 1 to ${MAX_HISTORY_PAGE}.`, { argument: 'limit' });
    }
    let events: ConsentEvent[];
    try {
      events = await root.history();
    } catch (error) {
      ctx.logger.warn({ code: logCode(error) }, 'consent ledger could not be read');
      throw new GatewayError('INTERNAL_SERVER_ERROR', 'The consent ledger could not be read; try again shortly.');
    }
    return events.slice(0, limit);
  }

  @Authorized('consent:read')
  @FieldResolver(() => Contactability, {
    description:
      'May this number be contacted for the purpose now? Allowed only when some source grants it and none revokes, pends or denies it; an unreadable source blocks (never an error). Read fresh on every request. Errors: QUERY_TOO_COMPLEX when the operation is past GRAPHQL_MAX_IDS.',
  })
  async contactability(
    @Root() root: NumberConsent,
    @Arg('purpose', () => ConsentPurposeEnum, { description: 'The purpose to decide for.' }) purpose: ConsentPurposeEnum,
  ): Promise<ContactabilityDecision> {
    return decideContactability(purpose, await root.readings());
  }
}
