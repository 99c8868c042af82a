/**
 * ConsentEvents across replicas through the real Redis (TEST_REDIS_URL): two instances on their own connections
 * stand for two gateway processes. Every test uses its own channel, so test files running at once do not meet.
 * Waits are for events (the next value of an iterator, a connection gone from CLIENT LIST), never for time.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsentRecorder } from '../../../src/consent/consent.recorder.js';
import type { ConsentEvent } from '../../../src/consent/consent.types.js';
import { ledgerEvent } from '../../helpers/consent-events.js';
import type { ConsentEvents } from '../../../src/consent/consent-events.js';
import { openConsentEvents } from '../../../src/consent/consent-events.js';
import { openRedisConsentEvents, RedisConnectError, type RedisConsentEventsError } from '../../../src/consent/consent-events.redis.js';
import { inboxProcessor } from '../../../src/consent/inbox.processor.js';
import { startInboxWorker } from '../../../src/consent/inbox.worker.js';
import { freshDatabase, testDatabases } from '../../helpers/databases.js';
import { FakeVibes, POLL, processorDeps, receiveCallback } from './consent.fixtures.js';
import { openConnectionNames, publishRaw, redisLabel, useRedis } from './redis.fixtures.js';

const A = '+16515550123';
const ledgerEventR = (number: string): ConsentEvent => ledgerEvent(number, {}, '01REDIS');
const B = '+16514737960';

const opened: ConsentEvents[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((e) => e.close()));
});

describe(`ConsentEvents over Redis (${redisLabel})`, () => {
  const redisUrl = useRedis();

  /** Two "replicas" on one fresh channel, each with its own two connections named `<prefix>-<n>`. */
  async function pair(prefix = `sb-test-${randomUUID().slice(0, 8)}`) {
    const channel = `switchboard-test:${randomUUID()}`;
    // Each replica's own reports: they see the same channel, each on its own connection and schedule.
    const errors: [RedisConsentEventsError[], RedisConsentEventsError[]] = [[], []];
    const open = (n: 1 | 2) =>
      openRedisConsentEvents({ url: redisUrl(), channel, clientName: `${prefix}-${n}`, onError: (e) => errors[n - 1]!.push(e) });
    const [one, two] = await Promise.all([open(1), open(2)]);
    opened.push(one, two);
    return { one, two, channel, prefix, errors };
  }

  it('delivers an event published on one replica to a subscriber on the other', async () => {
    const { one, two, errors } = await pair();
    const remote = two.subscribe();
    const e = ledgerEventR(A);
    await one.publish(e);
    expect((await remote.next()).value).toEqual(e);
    expect(errors).toEqual([[], []]);
  });

  it('delivers a replica’s own events to its subscribers once (not again when Redis echoes them)', async () => {
    const { one, two } = await pair();
    const local = one.subscribe();
    const e = ledgerEventR(A);
    await one.publish(e);
    const marker = ledgerEventR(B);
    await two.publish(marker); // reaches `one` through Redis, after the echo of `e`
    expect((await local.next()).value).toEqual(e);
    expect((await local.next()).value).toEqual(marker);
  });

  it('filters by number on the receiving replica', async () => {
    const { one, two } = await pair();
    const onlyB = two.subscribe(B);
    const all = two.subscribe();
    const eA = ledgerEventR(A);
    const eB = ledgerEventR(B);
    await one.publish(eA);
    await one.publish(eB);
    expect((await onlyB.next()).value).toEqual(eB);
    expect((await all.next()).value).toEqual(eA);
    expect((await all.next()).value).toEqual(eB);
  });

  it('unsubscribes on abort: the subscription ends and later events do not reach it', async () => {
    const { one, two } = await pair();
    const controller = new AbortController();
    const sub = two.subscribe(A, controller.signal);
    const keep = two.subscribe(A);
    expect(two.subscriberCount).toBe(2);
    const waiting = sub.next();
    controller.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(two.subscriberCount).toBe(1);
    const e = ledgerEventR(A);
    await one.publish(e);
    expect((await keep.next()).value).toEqual(e);
    expect(await sub.next()).toEqual({ value: undefined, done: true });
  });

  it('skips and reports junk on the channel, and keeps delivering', async () => {
    const { one, two, channel, errors } = await pair();
    const sub = two.subscribe();
    await publishRaw(redisUrl(), channel, 'not json');
    await publishRaw(redisUrl(), channel, JSON.stringify({ v: 1, origin: 'x', event: { id: 'half an event' } }));
    const e = ledgerEventR(A);
    await one.publish(e);
    // `two` read the junk before `e` (one connection, server order): both reported by now, nothing delivered.
    expect((await sub.next()).value).toEqual(e);
    expect(errors[1]).toEqual([
      { stage: 'message', code: 'invalid_message' },
      { stage: 'message', code: 'invalid_message' },
    ]);
  });

  it('leaves no connection open after close, and ends its subscriptions', async () => {
    const { one, two, prefix } = await pair();
    expect((await openConnectionNames(redisUrl(), prefix)).sort()).toEqual(
      [`${prefix}-1:pub`, `${prefix}-1:sub`, `${prefix}-2:pub`, `${prefix}-2:sub`].sort(),
    );
    const sub = one.subscribe();
    await one.close();
    await one.close(); // idempotent
    expect(await sub.next()).toEqual({ value: undefined, done: true });
    await expect(one.publish(ledgerEventR(A))).rejects.toThrow(/closed/);
    await expect.poll(async () => (await openConnectionNames(redisUrl(), prefix)).sort(), POLL).toEqual(
      [`${prefix}-2:pub`, `${prefix}-2:sub`].sort(),
    );
    await two.close();
    await expect.poll(() => openConnectionNames(redisUrl(), prefix), POLL).toEqual([]);
  });

  it('is what openConsentEvents gives with a Redis URL', async () => {
    const channel = `switchboard-test:${randomUUID()}`;
    const one = await openConsentEvents({ redisUrl: redisUrl(), redis: { channel } });
    const two = await openConsentEvents({ redisUrl: redisUrl(), redis: { channel } });
    opened.push(one, two);
    const sub = two.subscribe(A);
    const e = ledgerEventR(A);
    await one.publish(e);
    expect((await sub.next()).value).toEqual(e);
  });

  it.each(testDatabases.filter((d) => !d.unavailable))(
    'carries a callback received and processed on one gateway to a subscriber of the other ($label)',
    async (database) => {
      const { one, two } = await pair();
      const db = await freshDatabase(database);
      const [gatewayOne, gatewayTwo] = await Promise.all([db.open(), db.open()]);
      const live = two.subscribe(A);
      // Gateway one receives the callback and processes it; gateway two only serves the subscription.
      await receiveCallback(gatewayOne, { type: 'subscription_removed', eventId: 'AB234SDFD234', date: '2017-03-15T15:42:23Z', mdn: A });
      const controller = new AbortController();
      const deps = { ...processorDeps(gatewayOne, new FakeVibes()), recorder: createConsentRecorder({ ledger: gatewayOne.ledger, events: one }) };
      const worker = startInboxWorker({ inbox: gatewayOne.inbox, process: inboxProcessor(deps), pollMs: 5, signal: controller.signal });
      try {
        const received = (await live.next()).value as ConsentEvent;
        expect(received).toMatchObject({ number: A, status: 'REVOKED', vendorEventId: 'AB234SDFD234' });
        expect(await gatewayTwo.ledger.get(received.id)).toEqual(received);
      } finally {
        controller.abort();
        await worker.stopped;
      }
    },
  );
});

describe('ConsentEvents over Redis: start-up', () => {
  it('fails to open, naming a code and not the URL, when Redis cannot be reached', async () => {
    const error = await openRedisConsentEvents({
      url: 'redis://:s3cret@127.0.0.1:1',
      connectAttempts: 1,
      connectTimeoutMs: 2_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectError);
    expect((error as Error).message).not.toMatch(/s3cret|127\.0\.0\.1/);
  });

  it('refuses a URL that is not redis:// or rediss://', async () => {
    await expect(openRedisConsentEvents({ url: 'http://127.0.0.1:6379' })).rejects.toThrow(/redis:\/\//);
  });
});
