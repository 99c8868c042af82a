import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  AssignDedicatedNumberArgs,
  AvailableNumbersArgs,
  DedicatedNumbersArgs,
  ReleaseDedicatedNumberArgs,
  UpdateNumberAssignmentArgs,
} from '../../schema/number/number.args.js';
import { DedicatedNumberConnection } from '../../schema/number/number.connection.js';
import { DedicatedNumber, NumberAssignment } from '../../schema/number/number.type.js';
import type { GatewayContext } from '../../server/context.js';

// The connections are nullable (the contract draws them non-null): each is fed by one MessageMedia call, and the
// contract's own rule for such lists is that a failure nulls only that field, not the whole response.
@Resolver(() => DedicatedNumber)
export class NumberResolver {
  @Authorized('numbers:read')
  @Query(() => DedicatedNumberConnection, {
    nullable: true,
    description:
      'MessageMedia numbers that can be assigned now. One MessageMedia call per page; null (with an error) when it fails. Errors: BAD_USER_INPUT (country, first, matching or after invalid), UPSTREAM_UNAVAILABLE (also when the account is not enabled for dedicated numbers), UPSTREAM_RATE_LIMITED. A record the gateway cannot read nulls only its edge.',
  })
  availableNumbers(@Args(() => AvailableNumbersArgs) args: AvailableNumbersArgs, @Ctx() ctx: GatewayContext): Promise<DedicatedNumberConnection> {
    return ctx.messagemedia.availableNumbers(args);
  }

  @Authorized('numbers:read')
  @Query(() => DedicatedNumberConnection, {
    nullable: true,
    description:
      'Numbers assigned to the account, each with its assignment. One MessageMedia call per page; null (with an error) when it fails. Errors: BAD_USER_INPUT (first, after or label invalid), UPSTREAM_UNAVAILABLE, UPSTREAM_RATE_LIMITED.',
  })
  dedicatedNumbers(@Args(() => DedicatedNumbersArgs) args: DedicatedNumbersArgs, @Ctx() ctx: GatewayContext): Promise<DedicatedNumberConnection> {
    return ctx.messagemedia.dedicatedNumbers(args);
  }

  @Authorized('numbers:read')
  @Query(() => DedicatedNumber, { nullable: true, description: 'One MessageMedia number; null when MessageMedia does not know the id. Errors: BAD_USER_INPUT (id not a UUID).' })
  dedicatedNumber(@Arg('id', () => ID, { description: 'MessageMedia number id (a UUID, any case).' }) id: string, @Ctx() ctx: GatewayContext): Promise<DedicatedNumber | null> {
    return ctx.messagemedia.dedicatedNumber(id);
  }

  @FieldResolver(() => NumberAssignment, { nullable: true, description: "The account's assignment at MessageMedia; null when the account does not hold the number. Comes with the listing or write that produced the number; otherwise one read per number per request." })
  assignment(@Root() number: DedicatedNumber, @Ctx() ctx: GatewayContext): Promise<NumberAssignment | null> {
    return ctx.messagemedia.assignmentOf(number);
  }

  // The answers are numbers, so writing needs reading too.
  @Authorized('numbers:read', 'numbers:write')
  @Mutation(() => DedicatedNumber, {
    description:
      'Assigns ("buys") a number for the account (POST at MessageMedia) and answers it with its assignment. Idempotent per key. Errors: BAD_USER_INPUT, NOT_FOUND (no such number), CONFLICT (assigned already, or availableAfter is in the future), IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_REQUEST_IN_PROGRESS, OUTCOME_UNKNOWN (retry with the same key: the gateway reads the outcome first), UPSTREAM_UNAVAILABLE (committed: true when assigned but unreadable).',
  })
  assignDedicatedNumber(@Args(() => AssignDedicatedNumberArgs) args: AssignDedicatedNumberArgs, @Ctx() ctx: GatewayContext): Promise<DedicatedNumber> {
    return ctx.messagemedia.assignNumber(args);
  }

  @Authorized('numbers:read', 'numbers:write')
  @Mutation(() => DedicatedNumber, {
    description:
      "Changes an assigned number's label or metadata (one PATCH; absent is unchanged, null clears) and answers the number. Errors: BAD_USER_INPUT (neither label nor metadata given, or invalid), NOT_FOUND (no such number, or the account does not hold it), UPSTREAM_UNAVAILABLE, UPSTREAM_RATE_LIMITED.",
  })
  updateNumberAssignment(@Args(() => UpdateNumberAssignmentArgs) args: UpdateNumberAssignmentArgs, @Ctx() ctx: GatewayContext): Promise<DedicatedNumber> {
    return ctx.messagemedia.updateAssignment(args);
  }

  @Authorized('numbers:read', 'numbers:write')
  @Mutation(() => Boolean, {
    description:
      'Releases a number the account holds (DELETE at MessageMedia; it cannot be assigned again for a grace period); true once released. Idempotent per key. Errors: BAD_USER_INPUT, NOT_FOUND (the account does not hold it), IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_REQUEST_IN_PROGRESS, OUTCOME_UNKNOWN (retry with the same key: the gateway reads the outcome first), UPSTREAM_UNAVAILABLE.',
  })
  releaseDedicatedNumber(@Args(() => ReleaseDedicatedNumberArgs) args: ReleaseDedicatedNumberArgs, @Ctx() ctx: GatewayContext): Promise<boolean> {
    return ctx.messagemedia.releaseNumber(args);
  }
}
