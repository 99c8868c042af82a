import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';
import { CUSTOM_FIELDS_MAX_ENTRIES, CUSTOM_FIELD_TEXT_MAX_LENGTH, EXTERNAL_ID_MAX_LENGTH } from './person.limits.js';

@InputType({
  description:
    'A person to write to Vibes. An absent field is unchanged; null clears it where Vibes can (mobile, carrierCode, one custom field) and is BAD_USER_INPUT elsewhere. At least one of externalId and mobile identifies the person.',
})
export class PersonInput {
  @Field(() => String, {
    nullable: true,
    description: `Vibes' external_person_id (1-${EXTERNAL_ID_MAX_LENGTH} characters, no "/"). Given: the person with this id is updated, or added when Vibes does not know it. It cannot be cleared.`,
  })
  externalId?: string | null;

  @Field(() => PhoneNumberScalar, {
    nullable: true,
    description: 'The MDN, E.164. Vibes cannot change an MDN (CONFLICT), only set one where there is none or remove it with null (the carrier code goes with it).',
  })
  mobile?: string | null;

  @Field(() => String, { nullable: true, description: 'Vibes carrier code, digits (e.g. "104"). Null removes it.' })
  carrierCode?: string | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: `Merged field by field into what Vibes holds; a field set to null is removed. At most ${CUSTOM_FIELDS_MAX_ENTRIES} fields; each a string (up to ${CUSTOM_FIELD_TEXT_MAX_LENGTH} characters), an {id, name} option, or a list of options. The fields must be configured at Vibes.`,
  })
  customFields?: Record<string, unknown> | null;
}
