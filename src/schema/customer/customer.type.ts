import { Authorized, Field, Float, ID, ObjectType } from 'type-graphql';
import { Phone } from '../phone/phone.type.js';
import { CustomerType } from './customer.enums.js';

@ObjectType({ description: 'A LoanPro customer.' })
export class Customer {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  customId!: string | null;

  @Field(() => CustomerType, { nullable: true })
  type!: CustomerType | null;

  @Field(() => String, { nullable: true })
  status!: string | null;

  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => String, { nullable: true })
  middleName!: string | null;

  @Field(() => String, { nullable: true })
  lastName!: string | null;

  @Field(() => String, { nullable: true })
  companyName!: string | null;

  @Field(() => String, { nullable: true })
  contactName!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Authorized('pii:read')
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD. Needs the pii:read scope.' })
  birthDate!: string | null;

  @Field(() => String, { nullable: true, description: 'The last four digits of the SSN.' })
  ssnLast4!: string | null;

  @Authorized('pii:read')
  @Field(() => String, { nullable: true, description: 'Needs the pii:read scope; never logged.' })
  ssn!: string | null;

  @Authorized('pii:read')
  @Field(() => String, { nullable: true, description: 'Needs the pii:read scope.' })
  driverLicense!: string | null;

  @Field(() => Float, { nullable: true })
  creditLimit!: number | null;

  @Field(() => Boolean, { nullable: true })
  ofacMatch!: boolean | null;

  @Field(() => Boolean, { nullable: true })
  ofacTested!: boolean | null;

  /**
   * Phones when the vendor response carried them (`$expand=Phones`); undefined after a write, whose response
   * does not, in which case the field resolver loads them.
   */
  phones?: Phone[];
}
