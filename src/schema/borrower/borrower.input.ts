import { Field, InputType, Int } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';

@InputType({
  description:
    'A RecoveryConnect borrower phone. Create needs number and typeId. Update sends only the fields present: an absent field is unchanged; null clears extension, memo and mobileCarrierId, and is BAD_USER_INPUT for the others.',
})
export class BorrowerPhoneInput {
  @Field(() => PhoneNumberScalar, { nullable: true, description: 'E.164 with country code +1: RecoveryConnect stores 10-digit North American numbers.' })
  number?: string | null;

  @Field(() => Int, { nullable: true, description: 'RecoveryConnect phone type id (a positive whole number; 5 and 6 are the ones seen), read back as Phone.type through RECOVERYCONNECT_PHONE_TYPES.' })
  typeId?: number | null;

  @Field(() => Int, { nullable: true, description: 'RecoveryConnect mobile carrier id (a positive whole number).' })
  mobileCarrierId?: number | null;

  @Field(() => String, { nullable: true, description: 'Digits only, at most 10.' })
  extension?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 255 characters.' })
  memo?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'RecoveryConnect valid: whether the number is good.' })
  valid?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'RecoveryConnect no_contact: true means do not contact this number.' })
  doNotContact?: boolean | null;
}
