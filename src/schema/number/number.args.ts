/** Argument classes keep the contract's argument order in the emitted schema. */
import { GraphQLJSONObject } from 'graphql-scalars';
import { ArgsType, Field, ID, Int } from 'type-graphql';
import { NumberCapability, NumberClassification, NumberType } from './number.enums.js';
import { DEFAULT_NUMBERS_PAGE, MAX_NUMBERS_PAGE } from './number.limits.js';


const FIRST = `Page size, 1 to ${MAX_NUMBERS_PAGE} (MessageMedia's page_size range); default (and null) ${DEFAULT_NUMBERS_PAGE}.`;

@ArgsType()
export class AvailableNumbersArgs {
  @Field(() => String, { description: 'ISO-3166 alpha-2, e.g. "AU".' })
  country!: string;

  @Field(() => [NumberCapability], { nullable: true, description: 'Numbers with any of these capabilities.' })
  capabilities?: NumberCapability[] | null;

  @Field(() => [NumberType], { nullable: true, description: 'Numbers of any of these types.' })
  types?: NumberType[] | null;

  @Field(() => String, { nullable: true, description: 'Digits the number contains (an optional leading "+", at most 15 digits).' })
  matching?: string | null;

  @Field(() => NumberClassification, { nullable: true, description: 'Only numbers in this price band.' })
  classification?: NumberClassification | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_NUMBERS_PAGE, description: FIRST })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page; BAD_USER_INPUT unless this field returned it for the same filter arguments.' })
  after?: string | null;
}

@ArgsType()
export class DedicatedNumbersArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_NUMBERS_PAGE, description: FIRST })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page; BAD_USER_INPUT unless this field returned it for the same filter arguments.' })
  after?: string | null;

  @Field(() => String, { nullable: true, description: 'Numbers whose assignment label contains this text (case-sensitive).' })
  label?: string | null;
}

@ArgsType()
export class AssignDedicatedNumberArgs {
  @Field(() => ID, { description: 'DedicatedNumber.id (a UUID) of a number availableNumbers listed.' })
  numberId!: string;

  @Field(() => String, { nullable: true, description: "MessageMedia label, the account's name for the number: at most 100 characters." })
  label?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'At most 5 string entries; keys up to 100 characters, values up to 256.' })
  metadata?: Record<string, unknown> | null;

  @Field(() => String, {
    description:
      'Assigning costs money: the same key with the same arguments answers the first result without calling MessageMedia again. 1-255 printable ASCII characters; a UUID is a good key.',
  })
  idempotencyKey!: string;
}

@ArgsType()
export class UpdateNumberAssignmentArgs {
  @Field(() => ID, { description: 'DedicatedNumber.id (a UUID) of a number the account holds (NOT_FOUND otherwise).' })
  numberId!: string;

  @Field(() => String, { nullable: true, description: 'The new label, at most 100 characters. Absent: unchanged; null: cleared.' })
  label?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Replaces the metadata whole. Absent: unchanged; null: cleared.' })
  metadata?: Record<string, unknown> | null;
}

@ArgsType()
export class ReleaseDedicatedNumberArgs {
  @Field(() => ID, { description: 'DedicatedNumber.id (a UUID) of a number the account holds (NOT_FOUND otherwise).' })
  numberId!: string;

  @Field(() => String, { description: 'Releasing loses the number: a retry with the same key answers the first result. 1-255 printable ASCII characters.' })
  idempotencyKey!: string;
}
