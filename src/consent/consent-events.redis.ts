import { randomUUID } from 'node:crypto';
import { createClient, type RedisClientType } from '@redis/client';
import { decodeConsentEvent, encodeConsentEvent, type ConsentEventJson } from './consent-event.codec.js';
import { ConsentEventsClosedError, SubscriberHub, type ConsentEvents } from './consent-events.js';

/**
 * ConsentEvents across replicas (REDIS_URL): every replica publishes each event to one Redis channel and
 * delivers what arrives on it to its own subscribers, filtering by number locally.
 *
 * - Two connections per process: a connection in subscriber mode can run nothing but (un)subscribe commands.
 * - A replica delivers its own events to its own subscribers at once (not via the round trip), and skips them
 *   when Redis echoes them back (each message names its origin).
 * - Redis pub/sub keeps nothing: an event published while a replica is disconnected never reaches it. The
 *   ledger is the record; a client re-reads history after a reconnect.
 * - At start-up Redis must answer within `connectAttempts` tries (a wrong REDIS_URL fails the boot, loudly);
 *   once connected, the client reconnects forever with a capped backoff and resubscribes by itself.
 * - Errors are reported as codes (`onError`); a Redis error message can carry the server's address.
 */
export interface RedisConsentEventsOptions {
  /** redis:// or rediss:// (may hold a password: it is never logged or echoed). */
  readonly url: string;
  /** Default 'switchboard:consent-events'. Every replica of one deployment must use the same. */
  readonly channel?: string | undefined;
  /** Events a subscriber may fall behind before it is dropped. Default 1000. */
  readonly maxQueue?: number | undefined;
  /** Per connection attempt. Default 5000. */
  readonly connectTimeoutMs?: number | undefined;
  /** Tries before the first connection counts as failed. Default 3. */
  readonly connectAttempts?: number | undefined;
  /** Shown in CLIENT LIST, suffixed `:pub` / `:sub`. Default `switchboard-consent-<random>`. */
  readonly clientName?: string | undefined;
  readonly onError?: ((report: RedisConsentEventsError) => void) | undefined;
}

export interface RedisConsentEventsError {
  /** `client`: a connection failed or dropped; `publish`: an event did not go out; `message`: junk on the channel. */
  readonly stage: 'client' | 'publish' | 'message';
  /** A code (e.g. ECONNREFUSED), never a message. */
  readonly code: string;
}

export const DEFAULT_CONSENT_EVENTS_CHANNEL = 'switchboard:consent-events';

interface Envelope {
  v: 1;
  origin: string;
  event: ConsentEventJson;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code)) return code;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(name) ? name : 'redis_error';
}

export class RedisConnectError extends Error {
  constructor(readonly code: string) {
    super(`consent events: cannot connect to Redis (${code})`);
    this.name = 'RedisConnectError';
  }
}

/** Connects both connections and subscribes; resolves once events published anywhere will reach this process. */
export async function openRedisConsentEvents(options: RedisConsentEventsOptions): Promise<ConsentEvents> {
  if (!/^rediss?:\/\//.test(options.url)) throw new Error('consent events: the Redis URL must start with redis:// or rediss://');
  const channel = options.channel ?? DEFAULT_CONSENT_EVENTS_CHANNEL;
  const origin = randomUUID();
  const name = options.clientName ?? `switchboard-consent-${origin.slice(0, 8)}`;
  const attempts = options.connectAttempts ?? 3;
  const report = (r: RedisConsentEventsError): void => {
    try {
      options.onError?.(r);
    } catch {
      // a failing reporter must not break delivery
    }
  };

  let connected = false;
  const socket = {
    connectTimeout: options.connectTimeoutMs ?? 5_000,
    reconnectStrategy: (retries: number, cause: Error): number | Error =>
      !connected && retries + 1 >= attempts ? new RedisConnectError(codeOf(cause)) : Math.min(100 * 2 ** retries, 5_000),
  };
  const publisher: RedisClientType = createClient({ url: options.url, name: `${name}:pub`, socket });
  const subscriber: RedisClientType = publisher.duplicate({ name: `${name}:sub` });
  // node-redis emits 'error' on every failed (re)connection; an EventEmitter error without a listener would crash.
  publisher.on('error', (error: unknown) => report({ stage: 'client', code: codeOf(error) }));
  subscriber.on('error', (error: unknown) => report({ stage: 'client', code: codeOf(error) }));

  const hub = new SubscriberHub(options.maxQueue);
  const onMessage = (message: string): void => {
    let envelope: Partial<Envelope> | undefined;
    try {
      envelope = JSON.parse(message) as Partial<Envelope>;
    } catch {
      envelope = undefined;
    }
    if (envelope?.origin === origin) return; // our own, already delivered locally
    const event = envelope?.v === 1 ? decodeConsentEvent(envelope.event) : undefined;
    if (!event) {
      report({ stage: 'message', code: 'invalid_message' });
      return;
    }
    hub.deliver(event);
  };

  const destroyAll = (): void => {
    for (const client of [publisher, subscriber]) {
      try {
        client.destroy();
      } catch {
        // not open: nothing to release
      }
    }
  };

  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    connected = true;
    await subscriber.subscribe(channel, onMessage);
  } catch (error) {
    destroyAll();
    throw error instanceof RedisConnectError ? error : new RedisConnectError(codeOf(error));
  }

  let closing: Promise<void> | undefined;
  return {
    async publish(event) {
      if (hub.isClosed) throw new ConsentEventsClosedError();
      hub.deliver(event);
      const envelope: Envelope = { v: 1, origin, event: encodeConsentEvent(event) };
      try {
        await publisher.publish(channel, JSON.stringify(envelope));
      } catch (error) {
        report({ stage: 'publish', code: codeOf(error) });
        throw error;
      }
    },
    subscribe: (number, signal) => hub.subscribe(number, signal),
    get subscriberCount() {
      return hub.size;
    },
    close() {
      closing ??= (async () => {
        hub.close();
        // close() waits for commands in flight; a connection that is down has none worth waiting for.
        const results = await Promise.allSettled(
          [subscriber, publisher].map((client) => (client.isReady ? client.close() : Promise.reject(new Error('not ready')))),
        );
        if (results.some((r) => r.status === 'rejected')) destroyAll();
      })();
      return closing;
    },
  };
}
