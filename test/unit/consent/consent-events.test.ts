import { parse, subscribe, type ExecutionResult } from 'graphql';
import { Arg, Field, ID, ObjectType, Query, Resolver, Root, Subscription, buildSchema } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { decodeConsentEvent, encodeConsentEvent, isConsentEvent } from '../../../src/consent/consent-event.codec.js';
import {
  ConsentEventsClosedError,
  ConsentEventsOverflowError,
  createInProcessConsentEvents,
  openConsentEvents,
} from '../../../src/consent/consent-events.js';
import { CONSENT_CHANGED_TOPIC, consentPubSub } from '../../../src/consent/consent-events.pubsub.js';
import type { ConsentEvent } from '../../../src/consent/consent.types.js';
import { ledgerEvent } from '../../helpers/consent-events.js';

const A = '+16515550123';
const B = '+16514737960';

describe('in-process ConsentEvents', () => {
  it('delivers every event to an unfiltered subscriber and only its number’s to a filtered one, in order', async () => {
    const events = createInProcessConsentEvents();
    const all = events.subscribe();
    const onlyA = events.subscribe(A);
    const e1 = ledgerEvent(A);
    const e2 = ledgerEvent(B);
    const e3 = ledgerEvent(A);
    for (const e of [e1, e2, e3]) await events.publish(e);
    expect((await all.next()).value).toEqual(e1);
    expect((await all.next()).value).toEqual(e2);
    expect((await all.next()).value).toEqual(e3);
    expect((await onlyA.next()).value).toEqual(e1);
    expect((await onlyA.next()).value).toEqual(e3);
    await events.close();
  });

  it('reaches a subscriber waiting in next(), and an event published right after subscribe()', async () => {
    const events = createInProcessConsentEvents();
    const sub = events.subscribe(A);
    const waiting = sub.next();
    const e = ledgerEvent(A);
    await events.publish(e);
    expect(await waiting).toEqual({ value: e, done: false });
  });

  it('ends a subscription on abort, on return(), and on close, and forgets it', async () => {
    const events = createInProcessConsentEvents();
    const controller = new AbortController();
    const aborted = events.subscribe(A, controller.signal);
    const returned = events.subscribe(A);
    const closed = events.subscribe();
    expect(events.subscriberCount).toBe(3);

    const pending = aborted.next();
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await returned.return!()).toEqual({ value: undefined, done: true });
    expect(events.subscriberCount).toBe(1);
    await events.publish(ledgerEvent(A));
    expect(await returned.next()).toEqual({ value: undefined, done: true });

    await events.close();
    expect(events.subscriberCount).toBe(0);
    expect(await closed.next()).toEqual({ value: undefined, done: true });
    await expect(events.publish(ledgerEvent(A))).rejects.toBeInstanceOf(ConsentEventsClosedError);
    // Subscribing after close, or with an aborted signal, gives an ended iterator.
    expect(await events.subscribe().next()).toEqual({ value: undefined, done: true });
    expect(await createInProcessConsentEvents().subscribe(A, AbortSignal.abort()).next()).toEqual({ value: undefined, done: true });
  });

  it('works with for await, and stops the loop on abort', async () => {
    const events = createInProcessConsentEvents();
    const controller = new AbortController();
    const seen: string[] = [];
    const consumer = (async () => {
      for await (const e of events.subscribe(undefined, controller.signal)) {
        seen.push(e.id);
        if (seen.length === 2) controller.abort();
      }
    })();
    const published = [ledgerEvent(A), ledgerEvent(B), ledgerEvent(A)];
    for (const e of published) await events.publish(e);
    await consumer;
    expect(seen).toEqual(published.slice(0, 2).map((e) => e.id));
    expect(events.subscriberCount).toBe(0);
  });

  it('drops a subscriber that falls too far behind, with an error, without touching the others', async () => {
    const events = createInProcessConsentEvents({ maxQueue: 2 });
    const slow = events.subscribe();
    const other = events.subscribe(B);
    for (let i = 0; i < 3; i++) await events.publish(ledgerEvent(A));
    await expect(slow.next()).rejects.toBeInstanceOf(ConsentEventsOverflowError);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    const e = ledgerEvent(B);
    await events.publish(e);
    expect((await other.next()).value).toEqual(e);
    expect(events.subscriberCount).toBe(1);
  });

  it('hands subscribers a frozen event, so none can change what the others see', async () => {
    const events = createInProcessConsentEvents();
    const first = events.subscribe();
    const second = events.subscribe();
    await events.publish(ledgerEvent(A));
    const a = (await first.next()).value as ConsentEvent;
    expect(() => {
      (a as { status: string }).status = 'GRANTED';
    }).toThrow(TypeError);
    expect(((await second.next()).value as ConsentEvent).status).toBe('REVOKED');
  });

  it('is what openConsentEvents gives without a Redis URL', async () => {
    const events = await openConsentEvents({});
    const sub = events.subscribe(A);
    const e = ledgerEvent(A);
    await events.publish(e);
    expect((await sub.next()).value).toEqual(e);
    await events.close();
  });
});

describe('the consent event codec', () => {
  it('round-trips an event through JSON', () => {
    const e = ledgerEvent(A, { actor: 'apikey:ops', correctsEventId: '01X', detail: { nested: { a: [1] } } });
    expect(decodeConsentEvent(JSON.parse(JSON.stringify(encodeConsentEvent(e))))).toEqual(e);
    expect(isConsentEvent(e)).toBe(true);
  });

  it('refuses anything that is not an event', () => {
    const json = encodeConsentEvent(ledgerEvent(A)) as unknown as Record<string, unknown>;
    for (const broken of [null, [], 'x', { ...json, status: 'OPTED_OUT' }, { ...json, occurredAt: 'yesterday' }, { ...json, detail: [1] }, { ...json, id: 7 }]) {
      expect(decodeConsentEvent(broken)).toBeUndefined();
    }
    expect(isConsentEvent(json)).toBe(false); // dates as strings
  });
});

@ObjectType('ConsentEventProbe')
class ConsentEventProbe {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  number!: string;

  @Field(() => String)
  status!: string;
}

@Resolver()
class ProbeResolver {
  @Query(() => Boolean)
  ready(): boolean {
    return true;
  }

  @Subscription(() => ConsentEventProbe, {
    topics: CONSENT_CHANGED_TOPIC,
    topicId: ({ args }) => (args as { number?: string | null }).number ?? undefined,
  })
  consentChanged(@Root() event: ConsentEvent, @Arg('number', () => String, { nullable: true }) _number?: string): ConsentEventProbe {
    return { id: event.id, number: event.number, status: event.status };
  }
}

describe('consentPubSub (type-graphql buildSchema({ pubSub }))', () => {
  it('serves consentChanged(number) through graphql subscribe, and unsubscribes when the client completes', async () => {
    const events = createInProcessConsentEvents();
    const schema = await buildSchema({ resolvers: [ProbeResolver], pubSub: consentPubSub(events), validate: false });
    const run = async (query: string) => {
      const result = await subscribe({ schema, document: parse(query) });
      if (!(Symbol.asyncIterator in result)) throw new Error(`expected a stream, got ${JSON.stringify(result)}`);
      return result as AsyncGenerator<ExecutionResult>;
    };
    const one = await run(`subscription { consentChanged(number: "${A}") { id number status } }`);
    const all = await run('subscription { consentChanged { id number } }');
    expect(events.subscriberCount).toBe(2);

    const eB = ledgerEvent(B);
    const eA = ledgerEvent(A);
    await events.publish(eB);
    await events.publish(eA);
    expect((await one.next()).value).toEqual({ data: { consentChanged: { id: eA.id, number: A, status: 'REVOKED' } } });
    expect((await all.next()).value).toEqual({ data: { consentChanged: { id: eB.id, number: B } } });
    expect((await all.next()).value).toEqual({ data: { consentChanged: { id: eA.id, number: A } } });

    // graphql-ws calls return() when the client sends `complete` or goes away.
    await one.return(undefined);
    await all.return(undefined);
    expect(events.subscriberCount).toBe(0);
  });

  it('publishes a ConsentEvent through the adapter and refuses other topics or payloads', async () => {
    const events = createInProcessConsentEvents();
    const pubSub = consentPubSub(events);
    const sub = events.subscribe(A);
    const e = ledgerEvent(A);
    pubSub.publish(CONSENT_CHANGED_TOPIC, e);
    expect((await sub.next()).value).toEqual(e);
    expect(() => pubSub.publish('OTHER', e)).toThrow(/unknown topic/);
    expect(() => pubSub.publish(CONSENT_CHANGED_TOPIC, { id: 'x' })).toThrow(TypeError);
    expect(() => pubSub.subscribe('OTHER')).toThrow(/unknown topic/);
    expect(() => pubSub.subscribe(CONSENT_CHANGED_TOPIC, 42)).toThrow(TypeError);
  });

  it('reports a failed publish instead of leaving an unhandled rejection', async () => {
    const events = createInProcessConsentEvents();
    await events.close();
    const failures: unknown[] = [];
    consentPubSub(events, (error) => failures.push(error)).publish(CONSENT_CHANGED_TOPIC, ledgerEvent(A));
    await expect.poll(() => failures.length).toBe(1);
    expect(failures[0]).toBeInstanceOf(ConsentEventsClosedError);
  });
});
