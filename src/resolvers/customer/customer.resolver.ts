import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { customerWriteError } from '../../datasources/loanpro/loanpro.errors.js';
import { customerFromWire, customerUpdateToWire, parseCustomerId } from '../../datasources/loanpro/loanpro.mapper.js';
import { BadUserInputError, VendorError } from '../../errors/errors.js';
import { UpdateCustomerArgs } from '../../schema/customer/customer.args.js';
import { Customer } from '../../schema/customer/customer.type.js';
import { Phone } from '../../schema/phone/phone.type.js';
import type { GatewayContext } from '../../server/context.js';

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized('customers:read')
  @Query(() => Customer, { nullable: true, description: 'A LoanPro customer; null when LoanPro does not know the id.' })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    return ctx.loaders.customerById.load(parseCustomerId(id));
  }

  @Authorized('customers:read')
  @Query(() => [Customer], {
    nullable: 'items',
    description: 'One entry per id, in order; null for unknown ids. Batched into as few LoanPro calls as it can.',
  })
  async customers(
    @Arg('ids', () => [ID]) ids: string[],
    @Ctx() ctx: GatewayContext,
  ): Promise<Array<Customer | null | Error>> {
    const max = ctx.services.config.graphql.maxIdsPerQuery;
    if (ids.length > max) throw new BadUserInputError(`customers takes at most ${max} ids.`, { argument: 'ids' });
    // An invalid id fails only its own entry; the others still resolve.
    const parsed = ids.map((id) => {
      try {
        return parseCustomerId(id);
      } catch (err) {
        return err as Error;
      }
    });
    const valid = parsed.filter((p): p is number => typeof p === 'number');
    const loaded = await ctx.loaders.customerById.loadMany(valid);
    let next = 0;
    return parsed.map((p) => (typeof p === 'number' ? loaded[next++]! : p));
  }

  @FieldResolver(() => [Phone], { description: 'Every number in E.164; `raw` keeps LoanPro\'s spelling.' })
  async phones(@Root() customer: Customer, @Ctx() ctx: GatewayContext): Promise<Phone[]> {
    if (customer.phones) return customer.phones;
    const fresh = await ctx.loaders.customerById.load(Number(customer.id));
    return fresh?.phones ?? [];
  }

  // The answer is the customer itself, so writing needs reading too.
  @Authorized('customers:read', 'customers:write')
  @Mutation(() => Customer, {
    description: 'One PUT to LoanPro with only the fields that change; nested phone create / update / delete included.',
  })
  async updateCustomer(
    @Args(() => UpdateCustomerArgs) { id, input }: UpdateCustomerArgs,
    @Ctx() ctx: GatewayContext,
  ): Promise<Customer> {
    const customerId = parseCustomerId(id);
    const { loanpro, config } = ctx.services;
    const region = config.phone.defaultRegion;
    const current = await ctx.loaders.customerById.load(customerId);
    if (!current) throw new VendorError('NOT_FOUND', 'LOANPRO', 'LoanPro has no customer with that id.');
    const body = customerUpdateToWire(current, input, region);
    if (!body) return current;
    let updated;
    try {
      updated = await loanpro.updateCustomer(customerId, body, ctx.signal);
    } catch (err) {
      throw customerWriteError(err);
    }
    // The PUT answer leaves Phones deferred: forget the stale copy so `phones` reads them afresh.
    ctx.loaders.customerById.clear(customerId);
    return customerFromWire(updated, region);
  }
}
