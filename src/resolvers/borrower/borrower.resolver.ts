import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { BorrowerArgs, BorrowerPhoneArgs, CreateBorrowerPhoneArgs, UpdateBorrowerPhoneArgs } from '../../schema/borrower/borrower.args.js';
import { Borrower, Order } from '../../schema/borrower/borrower.type.js';
import { Phone } from '../../schema/phone/phone.type.js';
import type { GatewayContext } from '../../server/context.js';

@Resolver(() => Borrower)
export class BorrowerResolver {
  @Authorized('borrowers:read')
  @Query(() => Order, { nullable: true, description: 'A RecoveryConnect order with its borrowers; null when RecoveryConnect does not know the id.' })
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<Order | null> {
    return ctx.recoveryconnect.order(id);
  }

  @Authorized('borrowers:read')
  @Query(() => Borrower, {
    nullable: true,
    description: "One borrower of an order (read from the order's borrower list); null when the order or the borrower is unknown.",
  })
  borrower(@Args(() => BorrowerArgs) { orderId, borrowerId }: BorrowerArgs, @Ctx() ctx: GatewayContext): Promise<Borrower | null> {
    return ctx.recoveryconnect.borrower(orderId, borrowerId);
  }

  @FieldResolver(() => [Phone], {
    nullable: true,
    description:
      "One RecoveryConnect call per borrower, all of a query's borrowers in parallel. Null (with an error) when that borrower's call fails: the other borrowers are unaffected. Numbers in E.164; `raw` keeps RecoveryConnect's spelling.",
  })
  phones(@Root() borrower: Borrower, @Ctx() ctx: GatewayContext): Promise<Phone[]> {
    return ctx.recoveryconnect.phonesOf(borrower);
  }

  // The answer is the phone itself, so writing needs reading too.
  @Authorized('borrowers:read', 'borrowers:write')
  @Mutation(() => Phone, { description: 'Adds a phone to a RecoveryConnect borrower (one POST, never repeated by the gateway).' })
  createBorrowerPhone(@Args(() => CreateBorrowerPhoneArgs) { orderId, borrowerId, input }: CreateBorrowerPhoneArgs, @Ctx() ctx: GatewayContext): Promise<Phone> {
    return ctx.recoveryconnect.createPhone(orderId, borrowerId, input);
  }

  @Authorized('borrowers:read', 'borrowers:write')
  @Mutation(() => Phone, { description: 'One PUT with only the fields given; absent fields stay as RecoveryConnect has them.' })
  updateBorrowerPhone(
    @Args(() => UpdateBorrowerPhoneArgs) { orderId, borrowerId, phoneId, input }: UpdateBorrowerPhoneArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Phone> {
    return ctx.recoveryconnect.updatePhone(orderId, borrowerId, phoneId, input);
  }

  @Authorized('borrowers:read', 'borrowers:write')
  @Mutation(() => Boolean, { description: 'Deletes the phone at RecoveryConnect; true once it confirmed.' })
  deleteBorrowerPhone(@Args(() => BorrowerPhoneArgs) { orderId, borrowerId, phoneId }: BorrowerPhoneArgs, @Ctx() ctx: GatewayContext): Promise<boolean> {
    return ctx.recoveryconnect.deletePhone(orderId, borrowerId, phoneId);
  }
}
