import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';
import { NumberCapability, NumberClassification, NumberType } from './number.enums.js';

@ObjectType({ description: "A dedicated number's assignment to the account: MessageMedia's label and metadata." })
export class NumberAssignment {
  @Field(() => ID, { description: "MessageMedia's assignment id." })
  id!: string;

  @Field(() => ID, { description: 'The DedicatedNumber.id this assignment holds.' })
  numberId!: string;

  @Field(() => String, { nullable: true, description: "MessageMedia label, the account's name for the number (at most 100 characters)." })
  label!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'At most 5 string entries (keys up to 100 characters, values up to 256).' })
  metadata!: Record<string, string> | null;
}

@ObjectType({ description: 'A MessageMedia dedicated number.' })
export class DedicatedNumber {
  @Field(() => ID, { description: "MessageMedia's number id (a UUID)." })
  id!: string;

  @Field(() => PhoneNumberScalar, {
    nullable: true,
    description:
      'E.164, whether MessageMedia spells it with a "+" or without. Null when the number is not an E.164 number: US short codes (type SHORT_CODE) are 5-6 digit codes, kept in `raw`.',
  })
  phoneNumber!: string | null;

  @Field(() => String, { description: "MessageMedia's own spelling of the number (a short code's digits)." })
  raw!: string;

  @Field(() => String, { description: 'ISO-3166 alpha-2.' })
  country!: string;

  @Field(() => NumberType, { description: 'MessageMedia number type.' })
  type!: NumberType;

  @Field(() => NumberClassification, { nullable: true, description: 'Null when MessageMedia names a band the gateway does not know.' })
  classification!: NumberClassification | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'The earliest time the number can be assigned; null when it can be assigned now (and for assigned numbers).',
  })
  availableAfter!: string | null;

  @Field(() => [NumberCapability], { description: 'MessageMedia capabilities; ones the gateway does not know are left out.' })
  capabilities!: NumberCapability[];

  /**
   * The account's assignment when the vendor answer that produced this number carried it (the assigned list, a
   * write) or implied it (search lists unassigned numbers only: null); undefined otherwise, in which case the
   * field resolver reads it.
   */
  assignment?: NumberAssignment | null;
}
