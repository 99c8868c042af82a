import { ArgsType, Field, ID } from 'type-graphql';
import { BorrowerPhoneInput } from './borrower.input.js';

/** Args classes keep the contract's argument order in the emitted schema. */
@ArgsType()
export class BorrowerArgs {
  @Field(() => ID)
  orderId!: string;

  @Field(() => ID)
  borrowerId!: string;
}

@ArgsType()
export class CreateBorrowerPhoneArgs extends BorrowerArgs {
  @Field(() => BorrowerPhoneInput)
  input!: BorrowerPhoneInput;
}

@ArgsType()
export class BorrowerPhoneArgs extends BorrowerArgs {
  @Field(() => ID, { description: 'Phone.id ("recoveryconnect:39317578") or the vendor id ("39317578").' })
  phoneId!: string;
}

@ArgsType()
export class UpdateBorrowerPhoneArgs extends BorrowerPhoneArgs {
  @Field(() => BorrowerPhoneInput)
  input!: BorrowerPhoneInput;
}
