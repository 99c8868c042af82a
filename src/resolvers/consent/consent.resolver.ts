import { Arg, Authorized, Resolver, Root, Subscription } from 'type-graphql';
import { CONSENT_CHANGED_TOPIC } from '../../consent/consent-events.pubsub.js';
import type { ConsentEvent } from '../../consent/consent.types.js';
import { ConsentEventType } from '../../schema/consent/consent.type.js';
import { PhoneNumberScalar } from '../../schema/scalars/phone-number.scalar.js';

/**
 * Live consent events over graphql-ws (src/server/subscriptions.ts): every ledger event as it is recorded, in this
 * process or (with REDIS_URL) any replica. The connection itself needs consent:read (checked at connection_init);
 * the field checks it again for each event, so a schema served some other way cannot leak it.
 */
@Resolver(() => ConsentEventType)
export class ConsentResolver {
  @Authorized('consent:read')
  @Subscription(() => ConsentEventType, {
    topics: CONSENT_CHANGED_TOPIC,
    // One number, or every event: ConsentEvents filters by number (consent-events.pubsub.ts).
    topicId: ({ args }: { args: { number?: string | null } }) => args.number ?? undefined,
    description:
      'Every consent ledger event, or those of one number, pushed as it is recorded (with REDIS_URL, on any replica). The connection itself also needs consent:read (closed with 4403 otherwise). Best effort: after a reconnect, re-read phone(number).history.',
  })
  consentChanged(
    @Root() event: ConsentEvent,
    @Arg('number', () => PhoneNumberScalar, { nullable: true, description: 'Only this number (E.164); absent: every number.' })
    _number?: string | null,
  ): ConsentEvent {
    return event;
  }
}
