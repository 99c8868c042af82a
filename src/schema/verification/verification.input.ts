import { GraphQLDateTime } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { ATTESTATION_METHOD_MAX_LENGTH, ATTESTATION_REFERENCE_MAX_LENGTH } from './verification.limits.js';

@InputType({
  description:
    "Evidence of consent gathered outside SBT (who, how, when), required to skip the customer's own PIN confirmation. Every field is required and validated; an invalid one is BAD_USER_INPUT naming its path (bypass.method, bypass.capturedAt, bypass.reference). It is kept in the consent ledger's detail of every event the bypass records.",
})
export class BypassAttestationInput {
  @Field(() => String, {
    description: `How the consent was captured, e.g. "signed paper form", "recorded call". 1-${ATTESTATION_METHOD_MAX_LENGTH} characters, not blank, no control characters.`,
  })
  method!: string;

  @Field(() => GraphQLDateTime, {
    description:
      "When the customer gave the consent (ISO-8601 with offset). Not in the future. It becomes the ledger events' occurredAt, so a revocation recorded after that time still wins over the bypass.",
  })
  capturedAt!: Date;

  @Field(() => String, {
    description: `Where the evidence can be found (a document id, a call recording id, a ticket). 1-${ATTESTATION_REFERENCE_MAX_LENGTH} characters, not blank, no control characters.`,
  })
  reference!: string;
}
