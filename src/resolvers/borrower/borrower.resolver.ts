import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { BorrowerArgs, BorrowerPhoneArgs, CreateBorrowerPhoneArgs, UpdateBorrowerPhoneArgs } from '../../schema/borrower/borrower.args.js';
import { Borrower, Order } from '../../schema/borrower/borrower.type.js';
import { Phone } from '../../schema/phone/phone.type.js';
import type { GatewayContext } from '../../server/context.js';
import { afterWrite, numberConsent, recordRecoveryConnectFlags } from '../phone/number-consent.js';

@Resolver(() => Borrower)
export class BorrowerResolver {
  @Authorized('borrowers:read')
  @Query(() => Order, { nullable: true, description: 'A RecoveryConnect order with its borrowers (one call); null when RecoveryConnect does not know the id. Errors: BAD_USER_INPUT (id not a positive whole number), UPSTREAM_UNAVAILABLE (also when a borrower record cannot be read).' })
  order(@Arg('id', () => ID, { description: 'RecoveryConnect order id, a positive whole number.' }) id: string, @Ctx() ctx: GatewayContext): Promise<Order | null> {
    return ctx.recoveryconnect.order(id);
  }

  @Authorized('borrowers:read')
  @Query(() => Borrower, {
    nullable: true,
    description:
      "One borrower of an order (read from the order's borrower list, shared with order(id) for the same order); null when the order or the borrower is unknown. Errors: BAD_USER_INPUT (ids not positive whole numbers), UPSTREAM_UNAVAILABLE (also when the borrower may be a record the gateway cannot read).",
  })
  borrower(@Args(() => BorrowerArgs) { orderId, borrowerId }: BorrowerArgs, @Ctx() ctx: GatewayContext): Promise<Borrower | null> {
    return ctx.recoveryconnect.borrower(orderId, borrowerId);
  }

  @FieldResolver(() => [Phone], {
    nullable: true,
    description:
      "The borrower's RecoveryConnect phones: one call per borrower, all of a query's borrowers in parallel. Null (with an error) when that borrower's call fails: UPSTREAM_UNAVAILABLE (also when a phone record cannot be read), UPSTREAM_RATE_LIMITED, NOT_FOUND (RecoveryConnect no longer knows the borrower); the other borrowers are unaffected. Numbers in E.164; `raw` keeps RecoveryConnect's spelling.",
  })
  async phones(@Root() borrower: Borrower, @Ctx() ctx: GatewayContext): Promise<Phone[]> {
    const phones = await ctx.recoveryconnect.phonesOf(borrower);
    await recordRecoveryConnectFlags(ctx, phones);
    return phones;
  }

  // The answer is the phone itself, so writing needs reading too.
  @Authorized('borrowers:read', 'borrowers:write')
  @Mutation(() => Phone, {
    description:
      "Adds a phone to a RecoveryConnect borrower (one POST, never repeated by the gateway) and answers it as stored. Errors: BAD_USER_INPUT (invalid input, or RecoveryConnect refused fields: extensions.fields), NOT_FOUND (order or borrower), CONFLICT, OUTCOME_UNKNOWN (sent without an answer: read the borrower's phones before trying again), UPSTREAM_UNAVAILABLE (committed: true when created but unreadable).",
  })
  async createBorrowerPhone(@Args(() => CreateBorrowerPhoneArgs) { orderId, borrowerId, input }: CreateBorrowerPhoneArgs, @Ctx() ctx: GatewayContext): Promise<Phone> {
    const phone = await afterWrite(ctx, ctx.recoveryconnect.createPhone(orderId, borrowerId, input));
    await recordRecoveryConnectFlags(ctx, [phone]);
    return phone;
  }

  @Authorized('borrowers:read', 'borrowers:write')
  @Mutation(() => Phone, {
    description:
      'One PUT to RecoveryConnect with only the fields given (absent fields stay as they are); answers the phone after. Safe to repeat. Errors: BAD_USER_INPUT (invalid input, or RecoveryConnect refused fields: extensions.fields), NOT_FOUND (order, borrower or phone), CONFLICT, UPSTREAM_UNAVAILABLE (committed: true when applied but unreadable).',
  })
  async updateBorrowerPhone(
    @Args(() => UpdateBorrowerPhoneArgs) { orderId, borrowerId, phoneId, input }: UpdateBorrowerPhoneArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Phone> {
    const phone = await afterWrite(ctx, ctx.recoveryconnect.updatePhone(orderId, borrowerId, phoneId, input));
    await recordRecoveryConnectFlags(ctx, [phone]);
    return phone;
  }

  @Authorized('borrowers:read', 'borrowers:write')
  @Mutation(() => Boolean, {
    description:
      "Deletes the phone at RecoveryConnect; true once it confirmed (a lost answer is settled by reading the borrower's phones, never by a second DELETE). Errors: BAD_USER_INPUT (ids), NOT_FOUND (order, borrower or phone), CONFLICT, UPSTREAM_UNAVAILABLE.",
  })
  async deleteBorrowerPhone(@Args(() => BorrowerPhoneArgs) { orderId, borrowerId, phoneId }: BorrowerPhoneArgs, @Ctx() ctx: GatewayContext): Promise<boolean> {
    const { before } = await afterWrite(ctx, ctx.recoveryconnect.deletePhone(orderId, borrowerId, phoneId));
    // The ledger's copy of a deleted phone's flags must stop standing in for it (a lookup by number would still
    // see its "valid contact number").
    if (before?.number) await numberConsent(ctx, before.number).observeRemoved(before);
    return true;
  }
}
