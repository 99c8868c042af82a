import type { PubSub } from 'type-graphql';
import { isConsentEvent } from './consent-event.codec.js';
import type { ConsentEvents } from './consent-events.js';

/**
 * ConsentEvents as type-graphql's `pubSub` (buildSchema({ pubSub })). type-graphql 2.0.0-rc.4 refuses to build a
 * schema with a @Subscription unless `pubSub` is given, even for subscriptions that bring their own `subscribe`,
 * so this adapter is what the composition root passes. One topic:
 *
 *   @Subscription(() => ConsentEventType, {
 *     topics: CONSENT_CHANGED_TOPIC,
 *     topicId: ({ args }) => args.number ?? undefined,   // one number, or undefined for every event
 *   })
 *   consentChanged(@Root() event: ConsentEvent, @Arg('number', () => PhoneNumberScalar, { nullable: true }) _n?: string)
 *
 * `subscribe(topic, number)` returns ConsentEvents.subscribe(number): its iterator's return() is what graphql-ws
 * calls when the client completes or goes away, which unsubscribes. `publish(topic, event)` exists for
 * completeness; the ledger publishes through the ConsentRecorder, not through resolvers.
 */
export const CONSENT_CHANGED_TOPIC = 'CONSENT_CHANGED';

export function consentPubSub(events: ConsentEvents, onPublishError?: (error: unknown) => void): PubSub {
  const checkTopic = (topic: string): void => {
    if (topic !== CONSENT_CHANGED_TOPIC) throw new Error(`consent pubSub: unknown topic (only ${CONSENT_CHANGED_TOPIC})`);
  };
  return {
    publish(topic, ...args) {
      checkTopic(topic);
      const [event] = args;
      if (!isConsentEvent(event)) throw new TypeError('consent pubSub: the payload must be a ConsentEvent');
      // type-graphql's publish returns void: a failure is reported, never an unhandled rejection.
      events.publish(event).catch((error: unknown) => onPublishError?.(error));
    },
    subscribe(topic, dynamicId) {
      checkTopic(topic);
      if (dynamicId !== undefined && dynamicId !== null && typeof dynamicId !== 'string') {
        throw new TypeError('consent pubSub: the topic id must be a phone number or undefined');
      }
      return events.subscribe(dynamicId ?? undefined);
    },
  };
}
