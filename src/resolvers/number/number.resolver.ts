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
    description: 'MessageMedia numbers that can be assigned now. One MessageMedia call per page; null (with an error) when it fails.',
  })
  availableNumbers(@Args(() => AvailableNumbersArgs) args: AvailableNumbersArgs, @Ctx() ctx: GatewayContext): Promise<DedicatedNumberConnection> {
    return ctx.messagemedia.availableNumbers(args);
  }

  @Authorized('numbers:read')
  @Query(() => DedicatedNumberConnection, {
    nullable: true,
    description: 'Numbers assigned to the account, each with its assignment. One MessageMedia call per page; null (with an error) when it fails.',
  })
  dedicatedNumbers(@Args(() => DedicatedNumbersArgs) args: DedicatedNumbersArgs, @Ctx() ctx: GatewayContext): Promise<DedicatedNumberConnection> {
    return ctx.messagemedia.dedicatedNumbers(args);
  }

  @Authorized('numbers:read')
  @Query(() => DedicatedNumber, { nullable: true, description: 'One MessageMedia number; null when MessageMedia does not know the id.' })
  dedicatedNumber(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<DedicatedNumber | null> {
    return ctx.messagemedia.dedicatedNumber(id);
  }

  @FieldResolver(() => NumberAssignment, { nullable: true, description: "The account's assignment; null when the account does not hold the number." })
  assignment(@Root() number: DedicatedNumber, @Ctx() ctx: GatewayContext): Promise<NumberAssignment | null> {
    return ctx.messagemedia.assignmentOf(number);
  }

  // The answers are numbers, so writing needs reading too.
  @Authorized('numbers:read', 'numbers:write')
  @Mutation(() => DedicatedNumber, { description: 'Assigns ("buys") a number for the account. Idempotent per key.' })
  assignDedicatedNumber(@Args(() => AssignDedicatedNumberArgs) args: AssignDedicatedNumberArgs, @Ctx() ctx: GatewayContext): Promise<DedicatedNumber> {
    return ctx.messagemedia.assignNumber(args);
  }

  @Authorized('numbers:read', 'numbers:write')
  @Mutation(() => DedicatedNumber, { description: "Changes an assigned number's label or metadata: absent is unchanged, null clears." })
  updateNumberAssignment(@Args(() => UpdateNumberAssignmentArgs) args: UpdateNumberAssignmentArgs, @Ctx() ctx: GatewayContext): Promise<DedicatedNumber> {
    return ctx.messagemedia.updateAssignment(args);
  }

  @Authorized('numbers:read', 'numbers:write')
  @Mutation(() => Boolean, { description: 'Releases a number the account holds (it cannot be assigned again for a grace period). Idempotent per key.' })
  releaseDedicatedNumber(@Args(() => ReleaseDedicatedNumberArgs) args: ReleaseDedicatedNumberArgs, @Ctx() ctx: GatewayContext): Promise<boolean> {
    return ctx.messagemedia.releaseNumber(args);
  }
}
