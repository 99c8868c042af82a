import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { UpdateCustomerArgs } from '../../schema/customer/customer.args.js';
import { Customer } from '../../schema/customer/customer.type.js';
import { Phone } from '../../schema/phone/phone.type.js';
import type { GatewayContext } from '../../server/context.js';
import { afterWrite } from '../phone/number-consent.js';

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized('customers:read')
  @Query(() => Customer, { nullable: true, description: 'A LoanPro customer; null when LoanPro does not know the id. Errors: BAD_USER_INPUT (id not a positive whole number).' })
  customer(@Arg('id', () => ID, { description: "LoanPro's customer id, a positive whole number." }) id: string, @Ctx() ctx: GatewayContext): Promise<Customer | null> {
    return ctx.loanpro.customer(id);
  }

  @Authorized('customers:read')
  @Query(() => [Customer], {
    nullable: 'items',
    description:
      'LoanPro customers, one entry per id, in order; null for unknown ids. Batched into as few LoanPro calls as it can. A failed call or an unreadable record nulls only the entries it carried (UPSTREAM_UNAVAILABLE at each); an id that is not a positive whole number nulls its entry with BAD_USER_INPUT.',
  })
  customers(@Arg('ids', () => [ID], { description: 'LoanPro customer ids; each counts against GRAPHQL_MAX_IDS.' }) ids: string[], @Ctx() ctx: GatewayContext): Promise<Array<Customer | null | Error>> {
    return ctx.loanpro.customers(ids);
  }

  @FieldResolver(() => [Phone], { description: "Every phone LoanPro holds for the customer, number in E.164; `raw` keeps LoanPro's spelling. Comes with the customer read; after a write, read once per request." })
  phones(@Root() customer: Customer, @Ctx() ctx: GatewayContext): Promise<Phone[]> {
    return ctx.loanpro.phonesOf(customer);
  }

  // The answer is the customer itself, so writing needs reading too.
  @Authorized('customers:read', 'customers:write')
  @Mutation(() => Customer, {
    description:
      'One PUT to LoanPro with only the fields that change (none when nothing does), nested phone create / update / delete included; answers the customer as LoanPro holds it after. Errors: BAD_USER_INPUT (invalid input, a phone the customer does not have), NOT_FOUND (unknown id), CONFLICT (LoanPro refused, e.g. a number another customer holds; extensions.warnings), UPSTREAM_UNAVAILABLE (with committed: true when the PUT was applied).',
  })
  updateCustomer(@Args(() => UpdateCustomerArgs) { id, input }: UpdateCustomerArgs, @Ctx() ctx: GatewayContext): Promise<Customer> {
    return afterWrite(ctx, ctx.loanpro.updateCustomer(id, input));
  }
}
