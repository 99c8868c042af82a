import { Field, ID, ObjectType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';
import { Vendor } from '../common/vendor.enum.js';
import { PhoneType } from './phone.enums.js';

@ObjectType({ description: "A phone number as one vendor holds it, with the number in E.164 whatever the vendor's spelling." })
export class Phone {
  @Field(() => ID, { description: '"<vendor>:<vendor id>", e.g. "loanpro:803".' })
  id!: string;

  @Field(() => Vendor)
  vendor!: Vendor;

  @Field(() => ID)
  vendorId!: string;

  @Field(() => PhoneNumberScalar, { nullable: true, description: "Null only when the vendor's value cannot be parsed; `raw` still shows it." })
  number!: string | null;

  @Field(() => String, { description: 'The number exactly as the vendor stores it.' })
  raw!: string;

  @Field(() => String, { nullable: true })
  extension!: string | null;

  @Field(() => PhoneType)
  type!: PhoneType;

  @Field(() => Boolean, { nullable: true })
  isPrimary!: boolean | null;

  @Field(() => Boolean, { nullable: true })
  isLandline!: boolean | null;

  @Field(() => String, { nullable: true })
  carrier!: string | null;

  @Field(() => Boolean, { description: 'LoanPro dndEnabled, RecoveryConnect no_contact.' })
  doNotContact!: boolean;
}
