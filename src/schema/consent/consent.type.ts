import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Vendor } from '../common/vendor.enum.js';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';
import { ConsentEvidenceEnum, ConsentPurposeEnum, ConsentSourceEnum, ConsentStatusEnum } from './consent.enums.js';

/*
 * The consent types of the contract. Resolvers answer with the domain's plain objects (src/consent/consent.types.ts:
 * Consent, ConsentEvent), which these classes describe field for field.
 */

@ObjectType({ description: 'What one source knows about one number and purpose (and list, for Vibes).' })
export class Consent {
  @Field(() => PhoneNumberScalar, { description: 'The number, E.164.' })
  number!: string;

  @Field(() => ConsentPurposeEnum, { description: 'What the consent is for.' })
  purpose!: ConsentPurposeEnum;

  @Field(() => ConsentStatusEnum, { description: 'What the source says for that purpose now.' })
  status!: ConsentStatusEnum;

  @Field(() => ConsentSourceEnum, { description: 'The source that said it (a Vibes callback recorded in the ledger is VIBES).' })
  source!: ConsentSourceEnum;

  @Field(() => ConsentEvidenceEnum, {
    nullable: true,
    description: 'SUBSCRIPTION_CALLBACK for what the ledger recorded from a callback; VENDOR_FLAG for what the vendor says now.',
  })
  evidence!: ConsentEvidenceEnum | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the current status began, where known.' })
  since!: Date | null;

  @Field(() => String, { nullable: true, description: 'e.g. a Vibes opt_out_reason.' })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'Vibes subscription list, where that is the source.' })
  listId!: string | null;
}

@ObjectType('ConsentEvent', { description: "One row of the gateway's append-only consent ledger." })
export class ConsentEventType {
  @Field(() => ID, { description: 'A ULID.' })
  id!: string;

  @Field(() => PhoneNumberScalar, { description: 'The number, E.164.' })
  number!: string;

  @Field(() => ConsentPurposeEnum, { description: 'What the consent is for.' })
  purpose!: ConsentPurposeEnum;

  @Field(() => ConsentStatusEnum, { description: 'The status this event sets for the number, purpose, source (and list).' })
  status!: ConsentStatusEnum;

  @Field(() => ConsentSourceEnum, { description: 'Where the fact came from (VIBES for a Vibes callback).' })
  source!: ConsentSourceEnum;

  @Field(() => ConsentEvidenceEnum, { description: 'How it was established.' })
  evidence!: ConsentEvidenceEnum;

  @Field(() => GraphQLDateTime, { description: "When it happened at the source (a callback's event_date)." })
  occurredAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'When the gateway stored it.' })
  recordedAt!: Date;

  @Field(() => String, { nullable: true, description: 'The principal that caused it, for events made through the gateway.' })
  actor!: string | null;

  @Field(() => String, { nullable: true, description: 'e.g. the Vibes event_id.' })
  vendorEventId!: string | null;

  @Field(() => String, { nullable: true, description: 'The Vibes subscription list, where that is the source.' })
  listId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The event this one corrects or stands in for (an opt-in confirmed by reading Vibes back names its PENDING event).',
  })
  correctsEventId!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Facts kept with the event (callback type, inbox row, payload hash, reason ...).' })
  detail!: Record<string, unknown> | null;
}

@ObjectType({ description: 'Whether a number may be contacted for a purpose now. Most restrictive source wins; an unreachable source blocks.' })
export class Contactability {
  @Field(() => Boolean, {
    description: 'True only when every source could be read, some source grants the purpose and none revokes, pends or denies it.',
  })
  allowed!: boolean;

  @Field(() => ConsentPurposeEnum, { description: 'The purpose asked about.' })
  purpose!: ConsentPurposeEnum;

  @Field(() => [String], { description: 'Human-readable, one per blocking or granting fact (and per source that could not be read).' })
  reasons!: string[];

  @Field(() => [Consent], { description: 'The facts that block: every non-GRANTED fact of the purpose, and a number-wide invalidation that voids the grants.' })
  blockedBy!: Consent[];

  @Field(() => [Vendor], { description: 'Vendors that could not be read (each blocks).' })
  unavailableSources!: Vendor[];
}
