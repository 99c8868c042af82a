/**
 * The Redis the pub/sub tests run against, by the rule of test/helpers/databases.ts: TEST_REDIS_URL set (e.g.
 * redis://127.0.0.1:6379): the tests run; unset: under CI every Redis test FAILS with the reason, elsewhere it
 * is skipped with the reason.
 */
import { createClient } from '@redis/client';
import { beforeEach } from 'vitest';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

const unavailable =
  TEST_REDIS_URL === undefined || TEST_REDIS_URL === ''
    ? {
        fail: Boolean(process.env.CI),
        reason: process.env.CI
          ? 'TEST_REDIS_URL is not set, but CI is: the Redis pub/sub tests must run in CI (set TEST_REDIS_URL=redis://127.0.0.1:6379)'
          : 'TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379)',
      }
    : undefined;

export const redisLabel = unavailable ? `redis (${unavailable.fail ? 'FAILING' : 'skipped'}: TEST_REDIS_URL is not set)` : 'redis';

/** Call inside a describe: skips or fails its tests when Redis is not configured. Returns the URL getter. */
export function useRedis(): () => string {
  if (unavailable) {
    beforeEach((ctx) => {
      if (unavailable.fail) throw new Error(unavailable.reason);
      ctx.skip(unavailable.reason);
    });
  }
  return () => {
    if (!TEST_REDIS_URL) throw new Error('TEST_REDIS_URL is not set');
    return TEST_REDIS_URL;
  };
}

/** Names of the connections Redis has open whose name starts with `prefix` (CLIENT LIST, from a separate connection). */
export async function openConnectionNames(url: string, prefix: string): Promise<string[]> {
  const probe = createClient({ url });
  probe.on('error', () => undefined);
  await probe.connect();
  try {
    const list = String(await probe.sendCommand(['CLIENT', 'LIST']));
    return list
      .split('\n')
      .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
      .filter((name) => name.startsWith(prefix));
  } finally {
    await probe.close();
  }
}

/** Publishes raw text on a channel (to put junk where the gateway listens). */
export async function publishRaw(url: string, channel: string, message: string): Promise<void> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.publish(channel, message);
  } finally {
    await client.close();
  }
}
