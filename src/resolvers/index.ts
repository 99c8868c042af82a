/** Every resolver class of the schema, by business domain. A new domain adds its resolver here. */
import type { NonEmptyArray } from 'type-graphql';
import { CustomerResolver } from './customer/customer.resolver.js';
import { BorrowerResolver } from './borrower/borrower.resolver.js';
import { NumberResolver } from './number/number.resolver.js';
import { CustomerPersonResolver, PersonResolver } from './person/person.resolver.js';
import { ConsentResolver } from './consent/consent.resolver.js';
import { PhoneConsentResolver } from './phone/phone-consent.resolver.js';
import { PhoneLookupResolver } from './phone/phone.resolver.js';
import { VerificationResolver } from './verification/verification.resolver.js';

export const RESOLVERS: NonEmptyArray<Function> = [
  CustomerResolver,
  BorrowerResolver,
  NumberResolver,
  PersonResolver,
  CustomerPersonResolver,
  ConsentResolver,
  PhoneLookupResolver,
  PhoneConsentResolver,
  VerificationResolver,
];
