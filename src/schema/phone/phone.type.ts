import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';
import { Vendor } from '../common/vendor.enum.js';
import { PhoneType } from './phone.enums.js';

@ObjectType({ description: "A phone number as one vendor holds it, with the number in E.164 whatever the vendor's spelling." })
export class Phone {
  @Field(() => ID, { description: '"<vendor>:<vendor id>", e.g. "loanpro:803", "recoveryconnect:39317578".' })
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

  @Field(() => PhoneType, { description: "The vendor's type in the gateway's terms; UNKNOWN when the vendor's type is not mapped." })
  type!: PhoneType;

  @Field(() => Int, {
    nullable: true,
    description: "RecoveryConnect's numeric phone type id, as sent (mapped to `type` by RECOVERYCONNECT_PHONE_TYPES); null for LoanPro.",
  })
  typeId!: number | null;

  @Field(() => Boolean, { nullable: true })
  isPrimary!: boolean | null;

  @Field(() => Boolean, { nullable: true })
  isLandline!: boolean | null;

  @Field(() => String, { nullable: true })
  carrier!: string | null;

  @Field(() => Int, { nullable: true, description: "RecoveryConnect's mobile carrier id (its mapping table is not public); null for LoanPro." })
  mobileCarrierId!: number | null;

  @Field(() => String, { nullable: true, description: 'A note kept with the number (RecoveryConnect memo); null for LoanPro.' })
  memo!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the vendor holds the number as valid (RecoveryConnect valid); null for LoanPro.' })
  valid!: boolean | null;

  @Field(() => Boolean, { description: 'LoanPro dndEnabled, RecoveryConnect no_contact.' })
  doNotContact!: boolean;

  // Not GraphQL fields (no @Field): what the consent domain and resolvers read beyond them. Set by LoanPro's
  // mapper for every LoanPro phone; undefined for the other vendors.
  /** LoanPro: the phone's SBT flags (never its PINs). */
  sbt?: PhoneSbtFlags | undefined;
  /** LoanPro: the id of the customer holding the phone (`entityId`). */
  customerId?: string | undefined;
}

/**
 * One SBT (Solutions By Text) opt-in purpose as LoanPro holds it on a phone: `verified` (the customer confirmed the
 * texted PIN, or it was bypassed) and `pending` (a PIN is out for confirmation). null: the field was absent or
 * unreadable, which is unknown, not false.
 */
export interface SbtFlag {
  readonly verified: boolean | null;
  readonly pending: boolean | null;
}

/** A LoanPro phone's SBT state per purpose: `account` (sbtAct*) and `marketing` (sbtMkt*) texts. */
export interface PhoneSbtFlags {
  readonly account: SbtFlag;
  readonly marketing: SbtFlag;
}

