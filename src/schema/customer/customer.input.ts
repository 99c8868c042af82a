import { Field, ID, InputType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';
import { PhoneType } from '../phone/phone.enums.js';

@InputType({ description: 'A phone in the same PUT: with `id`, update (or delete) that phone; without, create one.' })
export class CustomerPhoneInput {
  @Field(() => ID, { nullable: true, description: 'Phone.id ("loanpro:803") or the vendor id ("803").' })
  id?: string;

  @Field(() => PhoneNumberScalar, { nullable: true })
  number?: string;

  @Field(() => PhoneType, { nullable: true })
  type?: PhoneType;

  @Field(() => Boolean, { nullable: true })
  isPrimary?: boolean;

  @Field(() => Boolean, { nullable: true })
  delete?: boolean;
}

@InputType({ description: 'Only the fields present are sent to LoanPro.' })
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true }) customId?: string;
  @Field(() => String, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true }) firstName?: string;
  @Field(() => String, { nullable: true }) middleName?: string;
  @Field(() => String, { nullable: true }) lastName?: string;
  @Field(() => String, { nullable: true }) email?: string;
  @Field(() => String, { nullable: true }) companyName?: string;
  @Field(() => String, { nullable: true }) contactName?: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) birthDate?: string;
  @Field(() => String, { nullable: true, description: 'Nine digits, with or without dashes.' }) ssn?: string;
  @Field(() => String, { nullable: true }) driverLicense?: string;
  @Field(() => String, { nullable: true }) accessUserName?: string;
  @Field(() => String, { nullable: true, description: 'Write-only: no query ever returns it.' }) accessPassword?: string;
  @Field(() => [CustomerPhoneInput], { nullable: true, description: 'Nested create / update / delete in the same PUT.' })
  phones?: CustomerPhoneInput[];
}
