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

registerEnumType(NumberType, { name: 'NumberType', description: 'The kind of a dedicated number.' });
registerEnumType(NumberClassification, { name: 'NumberClassification', description: "MessageMedia's price band of a number." });
registerEnumType(NumberCapability, { name: 'NumberCapability', description: 'What a number can do (TTS: text to speech).' });
