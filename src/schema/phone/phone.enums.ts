import { registerEnumType } from 'type-graphql';

export enum PhoneType {
  MOBILE = 'MOBILE',
  HOME = 'HOME',
  WORK = 'WORK',
  FAX = 'FAX',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(PhoneType, { name: 'PhoneType' });
