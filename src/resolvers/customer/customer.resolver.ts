import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { UpdateCustomerArgs } from '../../schema/customer/customer.args.js';
import { Customer } from '../../schema/customer/customer.type.js';
import { Phone } from '../../schema/phone/phone.type.js';
import type { GatewayContext } from '../../server/context.js';

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized('customers:read')
  @Query(() => Customer, { nullable: true, description: 'A LoanPro customer; null when LoanPro does not know the id.' })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    return ctx.loanpro.customer(id);
  }

  @Authorized('customers:read')
  @Query(() => [Customer], {
    nullable: 'items',
    description:
      'One entry per id, in order; null for unknown ids. Batched into as few LoanPro calls as it can. A failed call or an unreadable record nulls only the entries it carried.',
  })
  customers(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: GatewayContext): Promise<Array<Customer | null | Error>> {
    return ctx.loanpro.customers(ids);
  }

  @FieldResolver(() => [Phone], { description: "Every number in E.164; `raw` keeps LoanPro's spelling." })
  phones(@Root() customer: Customer, @Ctx() ctx: GatewayContext): Promise<Phone[]> {
    return ctx.loanpro.phonesOf(customer);
  }

  // The answer is the customer itself, so writing needs reading too.
  @Authorized('customers:read', 'customers:write')
  @Mutation(() => Customer, {
    description: 'One PUT to LoanPro with only the fields that change; nested phone create / update / delete included.',
  })
  updateCustomer(@Args(() => UpdateCustomerArgs) { id, input }: UpdateCustomerArgs, @Ctx() ctx: GatewayContext): Promise<Customer> {
    return ctx.loanpro.updateCustomer(id, input);
  }
}
