/** Argument classes keep the contract's argument order in the emitted schema. */
import { ArgsType, Field, ID } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';

@ArgsType()
export class PersonArgs {
  @Field(() => ID, { nullable: true, description: 'person_key (or the deprecated person_id).' })
  key?: string | null;

  @Field(() => String, { nullable: true, description: 'external_person_id: for LoanPro customers, the customer id.' })
  externalId?: string | null;

  @Field(() => PhoneNumberScalar, { nullable: true, description: 'The MDN, E.164.' })
  mobile?: string | null;
}

@ArgsType()
export class OptOutPersonArgs {
  @Field(() => ID, { description: 'person_key (or the deprecated person_id).' })
  personKey!: string;

  @Field(() => ID, { description: 'The Vibes subscription list id.' })
  listId!: string;
}
