import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Customer } from '../../schema/customer/customer.type.js';
import { OptOutPersonArgs, PersonArgs } from '../../schema/person/person.args.js';
import { PersonInput } from '../../schema/person/person.input.js';
import { ListSubscription, Person } from '../../schema/person/person.type.js';
import type { GatewayContext } from '../../server/context.js';

@Resolver(() => Person)
export class PersonResolver {
  @Authorized('persons:read')
  @Query(() => Person, {
    nullable: true,
    description: 'A Vibes person by exactly one of key, externalId and mobile; null when Vibes does not know it.',
  })
  person(@Args(() => PersonArgs) args: PersonArgs, @Ctx() ctx: GatewayContext): Promise<Person | null> {
    return ctx.vibes.person(args);
  }

  // Nullable: one Vibes call feeds it, and its failure nulls only this field.
  @FieldResolver(() => [ListSubscription], {
    nullable: true,
    description: "Every subscription record of the person (one Vibes call per person per request); activeOnly keeps those without an opt-out.",
  })
  subscriptions(
    @Root() person: Person,
    @Arg('activeOnly', () => Boolean, { nullable: true, defaultValue: false }) activeOnly: boolean | null,
    @Ctx() ctx: GatewayContext,
  ): Promise<ListSubscription[]> {
    return ctx.vibes.subscriptions(person.key, { activeOnly });
  }

  // The answers are persons and subscriptions, so writing needs reading too.
  @Authorized('persons:read', 'persons:write')
  @Mutation(() => Person, {
    description:
      'With externalId: updates the Vibes person holding it (only the fields given), or adds one when Vibes does not know it. Without: adds the person, and Vibes merges it into the person holding the MDN.',
  })
  upsertPerson(@Arg('input', () => PersonInput) input: PersonInput, @Ctx() ctx: GatewayContext): Promise<Person> {
    return ctx.vibes.upsertPerson(input);
  }

  @Authorized('persons:read', 'persons:write')
  @Mutation(() => ListSubscription, {
    description: "Opts the person out of the list and answers the subscription, now inactive. Opting out of a list the person already left answers that inactive subscription.",
  })
  optOutPerson(@Args(() => OptOutPersonArgs) { personKey, listId }: OptOutPersonArgs, @Ctx() ctx: GatewayContext): Promise<ListSubscription> {
    return ctx.vibes.optOutPerson(personKey, listId);
  }
}

/** The cross-vendor edge: a LoanPro customer's Vibes person (external_person_id = the customer id). */
@Resolver(() => Customer)
export class CustomerPersonResolver {
  @Authorized('persons:read')
  @FieldResolver(() => Person, {
    nullable: true,
    description: "The Vibes person whose external_person_id is this customer's id (needs persons:read). One Vibes call per distinct customer per request.",
  })
  person(@Root() customer: Customer, @Ctx() ctx: GatewayContext): Promise<Person | null> {
    return ctx.vibes.personByExternalId(customer.id);
  }
}
