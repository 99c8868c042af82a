import { ArgsType, Field, ID } from 'type-graphql';
import { BorrowerPhoneInput } from './borrower.input.js';

/** Args classes keep the contract's argument order in the emitted schema. */
@ArgsType()
export class BorrowerArgs {
  @Field(() => ID, { description: 'RecoveryConnect order id, a positive whole number (BAD_USER_INPUT otherwise).' })
  orderId!: string;

  @Field(() => ID, { description: 'RecoveryConnect borrower id on that order, a positive whole number (BAD_USER_INPUT otherwise).' })
  borrowerId!: string;
}

@ArgsType()
export class CreateBorrowerPhoneArgs extends BorrowerArgs {
  @Field(() => BorrowerPhoneInput, { description: 'The new phone: number and typeId are required.' })
  input!: BorrowerPhoneInput;
}

@ArgsType()
export class BorrowerPhoneArgs extends BorrowerArgs {
  @Field(() => ID, { description: 'Phone.id ("recoveryconnect:39317578") or the vendor id ("39317578").' })
  phoneId!: string;
}

@ArgsType()
export class UpdateBorrowerPhoneArgs extends BorrowerPhoneArgs {
  @Field(() => BorrowerPhoneInput, { description: 'Only the fields to change; at least one (BAD_USER_INPUT when it names nothing).' })
  input!: BorrowerPhoneInput;
}
