import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Customer } from '../../schema/customer/customer.type.js';
import { OptOutPersonArgs, PersonArgs } from '../../schema/person/person.args.js';
import { PersonInput } from '../../schema/person/person.input.js';
import { ListSubscription, Person } from '../../schema/person/person.type.js';
import type { GatewayContext } from '../../server/context.js';
import { afterWrite } from '../phone/number-consent.js';

@Resolver(() => Person)
export class PersonResolver {
  @Authorized('persons:read')
  @Query(() => Person, {
    nullable: true,
    description:
      'A Vibes person by exactly one of key, externalId and mobile; null when Vibes does not know it. Errors: BAD_USER_INPUT (not exactly one argument, or an invalid one), UPSTREAM_UNAVAILABLE (also for a person record the gateway cannot read).',
  })
  person(@Args(() => PersonArgs) args: PersonArgs, @Ctx() ctx: GatewayContext): Promise<Person | null> {
    return ctx.vibes.person(args);
  }

  // Nullable: one Vibes call feeds it, and its failure nulls only this field.
  @FieldResolver(() => [ListSubscription], {
    nullable: true,
    description:
      "Every subscription record of the person, in Vibes' order (one Vibes call per person per request). Null, with an error, when that call fails: NOT_FOUND when Vibes no longer knows the person, UPSTREAM_UNAVAILABLE, UPSTREAM_RATE_LIMITED.",
  })
  subscriptions(
    @Root() person: Person,
    @Arg('activeOnly', () => Boolean, { nullable: true, defaultValue: false, description: 'true: only the records without an opt-out.' }) activeOnly: boolean | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<ListSubscription[]> {
    return ctx.vibes.subscriptions(person.key, { activeOnly });
  }

  // The answers are persons and subscriptions, so writing needs reading too.
  @Authorized('persons:read', 'persons:write')
  @Mutation(() => Person, {
    description:
      'With externalId: updates the Vibes person holding it (only the fields given), or adds one when Vibes does not know it. Without: adds the person, and Vibes merges it into the person holding the MDN. Answers the person after the write. Errors: BAD_USER_INPUT (invalid input, or Vibes refused it, with its messages), CONFLICT (an MDN cannot be changed, only set or removed; or another person holds the MDN or external id), NOT_FOUND, UPSTREAM_UNAVAILABLE (committed: true when Vibes wrote it but the answer could not be read).',
  })
  upsertPerson(@Arg('input', () => PersonInput, { description: 'The person; at least one of externalId and mobile.' }) input: PersonInput, @Ctx() ctx: GatewayContext): Promise<Person> {
    return afterWrite(ctx, ctx.vibes.upsertPerson(input));
  }

  @Authorized('persons:read', 'persons:write')
  @Mutation(() => ListSubscription, {
    description:
      "Opts the person out of the Vibes list and answers the subscription, now inactive. Opting out of a list the person already left answers that inactive subscription. Errors: BAD_USER_INPUT, NOT_FOUND (no such person, or never on the list), CONFLICT (Vibes refused), UPSTREAM_UNAVAILABLE (committed: true when Vibes confirmed but the answer could not be read).",
  })
  optOutPerson(@Args(() => OptOutPersonArgs) { personKey, listId }: OptOutPersonArgs, @Ctx() ctx: GatewayContext): Promise<ListSubscription> {
    return afterWrite(ctx, ctx.vibes.optOutPerson(personKey, listId));
  }
}

/** The cross-vendor edge: a LoanPro customer's Vibes person (external_person_id = the customer id). */
@Resolver(() => Customer)
export class CustomerPersonResolver {
  @Authorized('persons:read')
  @FieldResolver(() => Person, {
    nullable: true,
    description:
      "The Vibes person whose external_person_id is this customer's id; null when Vibes knows none, or (with UPSTREAM_UNAVAILABLE or UPSTREAM_RATE_LIMITED) cannot answer. One Vibes call per distinct customer per request.",
  })
  person(@Root() customer: Customer, @Ctx() ctx: GatewayContext): Promise<Person | null> {
    return ctx.vibes.personByExternalId(customer.id);
  }
}
