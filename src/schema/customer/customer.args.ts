import { ArgsType, Field, ID } from 'type-graphql';
import { UpdateCustomerInput } from './customer.input.js';

/** An args class keeps the contract's argument order (id, then input) in the emitted schema. */
@ArgsType()
export class UpdateCustomerArgs {
  @Field(() => ID)
  id!: string;

  @Field(() => UpdateCustomerInput)
  input!: UpdateCustomerInput;
}
