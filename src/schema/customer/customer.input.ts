import { Field, ID, InputType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';
import { PhoneType } from '../phone/phone.enums.js';

@InputType({ description: 'A phone in the same PUT: with `id`, update (or delete) that phone; without, create one.' })
export class CustomerPhoneInput {
  @Field(() => ID, { nullable: true, description: 'Phone.id ("loanpro:803") or the vendor id ("803") of a phone the customer has (BAD_USER_INPUT otherwise); each id once per input.' })
  id?: string | null;

  @Field(() => PhoneNumberScalar, { nullable: true, description: 'E.164; required for a new phone. LoanPro stores it as national digits in PHONE_DEFAULT_REGION.' })
  number?: string | null;

  @Field(() => PhoneType, { nullable: true, description: 'UNKNOWN cannot be written (BAD_USER_INPUT): use OTHER.' })
  type?: PhoneType | null;

  @Field(() => Boolean, { nullable: true, description: 'true makes it the primary phone (LoanPro unsets the others); at most one per input.' })
  isPrimary?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'true deletes the phone named by id; takes no other field.' })
  delete?: boolean | null;
}

@InputType({
  description:
    'Only the fields present are sent to LoanPro: an absent field is unchanged; null clears it where LoanPro can (customId, middleName, email, companyName, contactName, driverLicense, birthDate, ssn) and is BAD_USER_INPUT elsewhere.',
})
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true, description: 'At most 100 characters; null clears it.' }) customId?: string | null;
  @Field(() => String, { nullable: true, description: 'LoanPro customer status, 1-100 characters; cannot be cleared.' }) status?: string | null;
  @Field(() => String, { nullable: true, description: 'At most 100 characters; cannot be cleared.' }) firstName?: string | null;
  @Field(() => String, { nullable: true, description: 'At most 100 characters; null clears it.' }) middleName?: string | null;
  @Field(() => String, { nullable: true, description: 'At most 100 characters; cannot be cleared.' }) lastName?: string | null;
  @Field(() => String, { nullable: true, description: 'An email address, at most 254 characters; null clears it.' }) email?: string | null;
  @Field(() => String, { nullable: true, description: 'At most 255 characters; null clears it.' }) companyName?: string | null;
  @Field(() => String, { nullable: true, description: 'At most 255 characters; null clears it.' }) contactName?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD, not in the future; null clears it.' }) birthDate?: string | null;
  @Field(() => String, { nullable: true, description: 'Nine digits, with or without dashes; null clears it. Never echoed in errors or logs.' }) ssn?: string | null;
  @Field(() => String, { nullable: true, description: 'At most 50 characters; null clears it.' }) driverLicense?: string | null;
  @Field(() => String, { nullable: true, description: "The customer's LoanPro portal login, 1-100 characters. Write-only; cannot be cleared." }) accessUserName?: string | null;
  @Field(() => String, { nullable: true, description: 'The portal password, 8-128 characters. Write-only: no query ever returns it; cannot be cleared.' }) accessPassword?: string | null;
  @Field(() => [CustomerPhoneInput], { nullable: true, description: 'Nested create / update / delete in the same PUT, at most 20 entries; null is BAD_USER_INPUT (delete phones with { id, delete: true }).' })
  phones?: CustomerPhoneInput[] | null;
}
