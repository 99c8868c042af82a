import { ArgsType, Field, ID } from 'type-graphql';
import { UpdateCustomerInput } from './customer.input.js';

/** An args class keeps the contract's argument order (id, then input) in the emitted schema. */
@ArgsType()
export class UpdateCustomerArgs {
  @Field(() => ID, { description: "LoanPro's customer id (a positive whole number); BAD_USER_INPUT otherwise, NOT_FOUND when LoanPro does not know it." })
  id!: string;

  @Field(() => UpdateCustomerInput, { description: 'The changes; at least one field (BAD_USER_INPUT when it names nothing to change).' })
  input!: UpdateCustomerInput;
}
