import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';

@ObjectType({
  description:
    "One subscription record of a Vibes person on one list. Opting out ends a record; subscribing again makes a new one, so a person can hold several records for one list.",
})
export class ListSubscription {
  @Field(() => ID, { description: 'The Vibes subscription list id.' })
  listId!: string;

  @Field(() => GraphQLDateTime, { nullable: true, description: "Vibes opt_in_date; null when Vibes sends none the gateway can read." })
  optInDate!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Null while the subscription is active.' })
  optOutDate!: string | null;

  @Field(() => String, { nullable: true, description: 'Vibes\' opt_out_reason, e.g. "user_opt_out" (a texted STOP) or "api_opt_out".' })
  optOutReason!: string | null;

  @Field(() => Boolean, { description: 'No opt-out on the record. A record with an opt-out date the gateway cannot read is not active.' })
  active!: boolean;
}

@ObjectType({ description: 'A person in the Vibes mobile database.' })
export class Person {
  @Field(() => ID, { description: "Vibes' person_key (its person_id where the record has no key). person(key:) takes either." })
  key!: string;

  @Field(() => String, { nullable: true, description: "Vibes' external_person_id: for LoanPro customers, the customer id." })
  externalId!: string | null;

  @Field(() => PhoneNumberScalar, { nullable: true, description: 'The MDN in E.164; null when the person has none.' })
  mobile!: string | null;

  @Field(() => String, { nullable: true, description: 'Vibes carrier code of the MDN, e.g. "104".' })
  carrierCode!: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Custom fields as Vibes stores them: a string, an {id, name} option, or a list of options per field.',
  })
  customFields!: Record<string, unknown> | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Vibes created_at.' })
  createdAt!: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Vibes updated_at; null in an upsertPerson answer the gateway built from the write (Vibes sets it).' })
  updatedAt!: string | null;
}
