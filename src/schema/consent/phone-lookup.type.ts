import { Field, ObjectType } from 'type-graphql';
import { PhoneNumberScalar } from '../scalars/phone-number.scalar.js';

/**
 * `phone(number)`: what the gateway knows about one number across sources. Only `number` is a plain field; the
 * rest are field resolvers (src/resolvers/phone/phone.resolver.ts), each behind its scope: `person` needs
 * persons:read, the consent fields consent:read.
 */
@ObjectType({ description: 'One number across sources: the Vibes person holding it, its consents, ledger history and contactability.' })
export class PhoneLookup {
  @Field(() => PhoneNumberScalar, { description: 'The number asked about, E.164.' })
  number!: string;
}

/** `history(limit)`: newest first; at most this many. */
export const DEFAULT_HISTORY_PAGE = 100;
export const MAX_HISTORY_PAGE = 1_000;
