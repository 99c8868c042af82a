import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { decideContactability, type Consent, type ConsentEvent, type ContactabilityDecision } from '../../consent/index.js';
import { BadUserInputError, GatewayError } from '../../errors/errors.js';
import { ConsentPurposeEnum } from '../../schema/consent/consent.enums.js';
import { Consent as ConsentType, ConsentEventType, Contactability } from '../../schema/consent/consent.type.js';
import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_PAGE, PhoneLookup } from '../../schema/consent/phone-lookup.type.js';
import { Person } from '../../schema/person/person.type.js';
import { PhoneNumberScalar } from '../../schema/scalars/phone-number.scalar.js';
import type { GatewayContext } from '../../server/context.js';
import { PhoneLookupRoot } from './phone-lookup.root.js';
import { logCode } from '../../server/log-code.js';

const PURPOSE_ORDER = ['ACCOUNT', 'MARKETING', 'COLLECTIONS'];
const SOURCE_ORDER = ['SBT', 'VIBES', 'RECOVERY_CONNECT', 'LOANPRO_DND', 'LEDGER'];
const EVIDENCE_ORDER = ['SUBSCRIPTION_CALLBACK', 'VENDOR_FLAG', 'PIN_CONFIRMED', 'BYPASS_ATTESTED', 'OPERATOR'];

/** Purpose, source, list, then what the ledger recorded before what the vendor says now. */
function compareConsents(a: Consent, b: Consent): number {
  return (
    PURPOSE_ORDER.indexOf(a.purpose) - PURPOSE_ORDER.indexOf(b.purpose) ||
    SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
    (a.listId ?? '').localeCompare(b.listId ?? '') ||
    EVIDENCE_ORDER.indexOf(a.evidence ?? '') - EVIDENCE_ORDER.indexOf(b.evidence ?? '')
  );
}

/**
 * `phone(number)`. The consent fields never fail for a vendor outage: `consents` lists what the reachable sources
 * say and `contactability` blocks, naming the unreachable ones. `history` has one source, the ledger, and is
 * nullable like every list one call feeds (a ledger failure nulls only it). Vendor reads run in parallel with the
 * ledger read, and each source is read once per lookup.
 */
@Resolver(() => PhoneLookup)
export class PhoneLookupResolver {
  @Query(() => PhoneLookup, { description: 'Everything the gateway knows about one number across vendors. Needs no scope itself; each of its fields names its own.' })
  phone(@Arg('number', () => PhoneNumberScalar, { description: 'E.164 (BAD_USER_INPUT otherwise).' }) number: string, @Ctx() ctx: GatewayContext): PhoneLookupRoot {
    return new PhoneLookupRoot(number, ctx);
  }

  @Authorized('persons:read')
  @FieldResolver(() => Person, { nullable: true, description: 'The Vibes person with this MDN; null when Vibes knows none, or (with UPSTREAM_UNAVAILABLE or UPSTREAM_RATE_LIMITED) cannot answer.' })
  person(@Root() root: PhoneLookupRoot, @Ctx() ctx: GatewayContext): Promise<Person | null> {
    return ctx.vibes.personByMobile(root.number, 'phone.person');
  }

  @Authorized('consent:read')
  @FieldResolver(() => [ConsentType], {
    description:
      "What every reachable source knows about this number: the ledger's current consents (evidence as recorded) and Vibes' subscriptions now (VENDOR_FLAG). Never fails for a vendor outage: a source that cannot be read is left out, and contactability names it.",
  })
  async consents(@Root() root: PhoneLookupRoot): Promise<Consent[]> {
    const readings = await root.readings();
    return readings.flatMap((r) => (r.ok ? [...r.facts.consents] : [])).sort(compareConsents);
  }

  @Authorized('consent:read')
  @FieldResolver(() => [ConsentEventType], {
    nullable: true,
    description:
      "The ledger's events for this number, newest first (by when they happened). Errors: BAD_USER_INPUT (limit out of range); null with INTERNAL_SERVER_ERROR when the ledger cannot be read.",
  })
  async history(
    @Root() root: PhoneLookupRoot,
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
      'May this number be contacted for the purpose now? Allowed only when some source grants it and none revokes, pends or denies it; an unreadable source blocks (never an error). Read fresh on every request.',
  })
  async contactability(
    @Root() root: PhoneLookupRoot,
    @Arg('purpose', () => ConsentPurposeEnum, { description: 'The purpose to decide for.' }) purpose: ConsentPurposeEnum,
  ): Promise<ContactabilityDecision> {
    return decideContactability(purpose, await root.readings());
  }
}
