import { registerEnumType } from 'type-graphql';

/** MessageMedia's number types (vendor-apis.md 2.5; the newer spec's full list). */
export enum NumberType {
  MOBILE = 'MOBILE',
  LANDLINE = 'LANDLINE',
  TEN_DLC = 'TEN_DLC',
  TOLL_FREE = 'TOLL_FREE',
  SHORT_CODE = 'SHORT_CODE',
  HOSTED_TEN_DLC = 'HOSTED_TEN_DLC',
  HOSTED_TOLL_FREE = 'HOSTED_TOLL_FREE',
}

/** MessageMedia's price bands. */
export enum NumberClassification {
  BRONZE = 'BRONZE',
  SILVER = 'SILVER',
  GOLD = 'GOLD',
}

/** What a number can do: MessageMedia's `capabilities` (`service_types` in searches). */
export enum NumberCapability {
  SMS = 'SMS',
  MMS = 'MMS',
  TTS = 'TTS',
}

registerEnumType(NumberType, {
  name: 'NumberType',
  description: 'The kind of a dedicated number (MessageMedia type).',
  valuesConfig: {
    MOBILE: { description: 'A mobile number.' },
    LANDLINE: { description: 'A landline number.' },
    TEN_DLC: { description: 'A US 10-digit long code for application-to-person messaging (10DLC).' },
    TOLL_FREE: { description: 'A toll-free number.' },
    SHORT_CODE: { description: 'A US short code (5-6 digits): DedicatedNumber.phoneNumber is null, raw holds the code.' },
    HOSTED_TEN_DLC: { description: 'A 10DLC number owned elsewhere and hosted at MessageMedia for messaging.' },
    HOSTED_TOLL_FREE: { description: 'A toll-free number owned elsewhere and hosted at MessageMedia for messaging.' },
  },
});
registerEnumType(NumberClassification, {
  name: 'NumberClassification',
  description: "MessageMedia's price band of a number; MessageMedia sets the prices.",
  valuesConfig: {
    BRONZE: { description: 'MessageMedia band BRONZE.' },
    SILVER: { description: 'MessageMedia band SILVER.' },
    GOLD: { description: 'MessageMedia band GOLD.' },
  },
});
registerEnumType(NumberCapability, {
  name: 'NumberCapability',
  description: 'What a number can do (MessageMedia capabilities; service_types in searches).',
  valuesConfig: {
    SMS: { description: 'Text messages.' },
    MMS: { description: 'Multimedia messages.' },
    TTS: { description: 'Text to speech: voice calls that read a message out.' },
  },
});
