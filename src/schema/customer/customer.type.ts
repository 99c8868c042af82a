import { Authorized, Field, Float, ID, ObjectType } from 'type-graphql';
import { Phone } from '../phone/phone.type.js';
import { CustomerType } from './customer.enums.js';

@ObjectType({ description: 'A LoanPro customer (odata.svc/Customers, read with its phones). Text fields are null where LoanPro holds no value.' })
export class Customer {
  @Field(() => ID, { description: "LoanPro's customer id (a positive whole number). A Vibes person's externalId when Vibes knows the customer (see person)." })
  id!: string;

  @Field(() => String, { nullable: true, description: "LoanPro customId: the lender's own reference for the customer." })
  customId!: string | null;

  @Field(() => CustomerType, { nullable: true, description: 'LoanPro customerType; null when LoanPro sends one the gateway does not map.' })
  type!: CustomerType | null;

  @Field(() => String, { nullable: true, description: 'LoanPro customer status as LoanPro spells it, e.g. "Active".' })
  status!: string | null;

  @Field(() => String, { nullable: true, description: 'LoanPro firstName.' })
  firstName!: string | null;

  @Field(() => String, { nullable: true, description: 'LoanPro middleName.' })
  middleName!: string | null;

  @Field(() => String, { nullable: true, description: 'LoanPro lastName.' })
  lastName!: string | null;

  @Field(() => String, { nullable: true, description: 'LoanPro companyName, for COMPANY customers.' })
  companyName!: string | null;

  @Field(() => String, { nullable: true, description: 'LoanPro contactName: whom to ask for at a COMPANY customer.' })
  contactName!: string | null;

  @Field(() => String, { nullable: true, description: 'LoanPro email.' })
  email!: string | null;

  @Authorized('pii:read')
  @Field(() => String, { nullable: true, description: "YYYY-MM-DD; null when LoanPro holds none (or its zero date)." })
  birthDate!: string | null;

  @Field(() => String, { nullable: true, description: 'The last four digits of the SSN; needs no PII scope. Null when LoanPro holds no SSN.' })
  ssnLast4!: string | null;

  @Authorized('pii:read')
  @Field(() => String, { nullable: true, description: 'The full SSN, nine digits without dashes; never logged.' })
  ssn!: string | null;

  @Authorized('pii:read')
  @Field(() => String, { nullable: true, description: 'LoanPro driverLicense.' })
  driverLicense!: string | null;

  @Field(() => Float, { nullable: true, description: 'LoanPro creditLimit, as LoanPro holds it.' })
  creditLimit!: number | null;

  @Field(() => Boolean, { nullable: true, description: "LoanPro's OFAC (sanctions list) screening: true when the customer matched." })
  ofacMatch!: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether LoanPro has run the OFAC screening for the customer.' })
  ofacTested!: boolean | null;

  /**
   * Phones when the vendor response carried them (`$expand=Phones`); undefined after a write, whose response
   * does not, in which case the field resolver loads them.
   */
  phones?: Phone[];
}
