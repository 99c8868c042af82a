import { Field, ID, InputType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';
import { PhoneType } from '../phone/phone.enums.js';

@InputType({ description: 'A phone in the same PUT: with `id`, update (or delete) that phone; without, create one.' })
export class CustomerPhoneInput {
  @Field(() => ID, { nullable: true, description: 'Phone.id ("loanpro:803") or the vendor id ("803").' })
  id?: string | null;

  @Field(() => PhoneNumberScalar, { nullable: true })
  number?: string | null;

  @Field(() => PhoneType, { nullable: true })
  type?: PhoneType | null;

  @Field(() => Boolean, { nullable: true })
  isPrimary?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  delete?: boolean | null;
}

@InputType({
  description:
    'Only the fields present are sent to LoanPro: an absent field is unchanged; null clears it where LoanPro can (customId, middleName, email, companyName, contactName, driverLicense, birthDate, ssn) and is BAD_USER_INPUT elsewhere.',
})
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true }) customId?: string | null;
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) companyName?: string | null;
  @Field(() => String, { nullable: true }) contactName?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) birthDate?: string | null;
  @Field(() => String, { nullable: true, description: 'Nine digits, with or without dashes.' }) ssn?: string | null;
  @Field(() => String, { nullable: true }) driverLicense?: string | null;
  @Field(() => String, { nullable: true }) accessUserName?: string | null;
  @Field(() => String, { nullable: true, description: 'Write-only: no query ever returns it.' }) accessPassword?: string | null;
  @Field(() => [CustomerPhoneInput], { nullable: true, description: 'Nested create / update / delete in the same PUT.' })
  phones?: CustomerPhoneInput[] | null;
}
