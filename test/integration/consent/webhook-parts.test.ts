/**
 * The consent side's small parts, without a server: the callback route's secret comparison and address
 * allowlist, the graphql-ws credential rule, the log serializer's path masking, and the settings this side adds
 * (TRUST_PROXY, WEBHOOK_INBOX_*). The same behaviour over real HTTP is in test/integration/gateway/webhook-*.test.ts.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { createLogger } from '../../../src/logging/logger.options.js';
import { credentialHeaders } from '../../../src/server/subscriptions.js';
import { addressAllowlist, secretMatches } from '../../../src/server/webhooks.js';

describe('secretMatches', () => {
  const expected = createHash('sha256').update('s3cret-path-segment-0123').digest();
  it('matches only the exact secret, whatever the length of the attempt', () => {
    expect(secretMatches('s3cret-path-segment-0123', expected)).toBe(true);
    for (const attempt of ['', 's', 's3cret-path-segment-012', 's3cret-path-segment-01234', 'S3cret-path-segment-0123', 'x'.repeat(10_000)]) {
      expect(secretMatches(attempt, expected)).toBe(false);
    }
    expect(secretMatches(undefined, expected)).toBe(false);
    expect(secretMatches(['s3cret-path-segment-0123'], expected)).toBe(false);
  });
});

describe('addressAllowlist', () => {
  it('is absent (every address allowed) for an empty list', () => {
    expect(addressAllowlist('vibes', [])).toBeUndefined();
  });

  it('matches IPv4 and IPv6 ranges and single addresses, and IPv4 clients seen on a dual-stack socket', () => {
    const allowed = addressAllowlist('vibes', ['35.155.139.143/32', '10.0.0.0/8', '2001:db8::/32', '192.0.2.7'])!;
    expect(['35.155.139.143', '10.200.1.1', '::ffff:10.200.1.1', '2001:db8::1', '192.0.2.7'].map(allowed)).toEqual([true, true, true, true, true]);
    expect(['35.155.139.144', '11.0.0.1', '::ffff:11.0.0.1', '2001:db9::1', '192.0.2.8', '', 'not-an-ip'].map(allowed)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('refuses an entry that is neither an address nor a CIDR, naming its position only', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/8/1', 'example.com', '10.0.0.0/x', '2001:db8::/129']) {
      expect(() => addressAllowlist('vibes', ['10.0.0.0/8', bad])).toThrow('consent callbacks for vibes: allowed address 2 is not an IP address or CIDR');
    }
  });
});

describe('credentialHeaders (graphql-ws authentication)', () => {
  it('takes the upgrade headers when they carry a credential, and never mixes them with the payload', () => {
    expect(credentialHeaders({ authorization: 'Bearer header-key' }, { 'x-api-key': 'payload-key' })).toEqual({ authorization: 'Bearer header-key', 'x-api-key': undefined });
    expect(credentialHeaders({ 'x-api-key': 'header-key' }, { Authorization: 'Bearer payload-key' })).toEqual({ authorization: undefined, 'x-api-key': 'header-key' });
  });

  it('falls back to the connection_init payload under the same names, in any case', () => {
    expect(credentialHeaders({}, { Authorization: 'Bearer k1' })).toEqual({ authorization: 'Bearer k1', 'x-api-key': undefined });
    expect(credentialHeaders({ host: 'x' }, { 'X-API-KEY': 'k2' })).toEqual({ authorization: undefined, 'x-api-key': 'k2' });
    // Only strings count: a number or an object is no credential.
    expect(credentialHeaders({}, { authorization: 42, 'x-api-key': { key: 'k' } })).toEqual({ authorization: undefined, 'x-api-key': undefined });
    expect(credentialHeaders({}, undefined)).toEqual({ authorization: undefined, 'x-api-key': undefined });
  });
});

describe('the request log line of a callback', () => {
  function logRequest(url: string): string {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }) as never,
    );
    logger.info({ req: { method: 'POST', url, host: 'gw', ip: '127.0.0.1' } }, 'incoming request');
    return JSON.parse(lines[0]!).req.url as string;
  }

  it('shows the route, never the secret, for the route and for near misses', () => {
    expect(logRequest('/webhooks/vibes/Zx9-secret-value_0123?x=1')).toBe('/webhooks/vibes/:secret');
    expect(logRequest('/webhooks/vibes/Zx9-secret-value_0123/extra')).toBe('/webhooks/vibes/:secret');
    expect(logRequest('/webhook/vibes/Zx9-secret-value_0123')).toBe('/webhook/vibes/:secret');
    expect(logRequest('//webhooks/vibes/Zx9-secret-value_0123')).toBe('//webhooks/vibes/:secret');
    expect(logRequest('/graphql?query=x')).toBe('/graphql');
    expect(logRequest('/webhooks/vibes')).toBe('/webhooks/vibes');
  });
});

describe('settings of the consent side', () => {
  const base = { NODE_ENV: 'test' };
  it('defaults: no trusted proxy, a generated worker id, one-second polls, two-minute leases, loops by store', () => {
    const config = loadConfig(base);
    expect(config.trustProxy).toBe(0);
    expect(config.inbox).toEqual({ workerId: undefined, pollMs: 1000, leaseMs: 120_000, batch: 10, concurrency: undefined });
  });

  it('reads TRUST_PROXY hops and the WEBHOOK_INBOX_* settings, refusing what is out of range', () => {
    const config = loadConfig({
      ...base,
      TRUST_PROXY: '2',
      WEBHOOK_INBOX_WORKER_ID: 'gw-1:a@b.c',
      WEBHOOK_INBOX_POLL_MS: '250',
      WEBHOOK_INBOX_LEASE_MS: '1000',
      WEBHOOK_INBOX_BATCH: '5',
      WEBHOOK_INBOX_CONCURRENCY: '3',
    });
    expect(config.trustProxy).toBe(2);
    expect(config.inbox).toEqual({ workerId: 'gw-1:a@b.c', pollMs: 250, leaseMs: 1000, batch: 5, concurrency: 3 });
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'yes' })).toThrow('TRUST_PROXY');
    expect(() => loadConfig({ ...base, WEBHOOK_INBOX_LEASE_MS: '999' })).toThrow('WEBHOOK_INBOX_LEASE_MS');
    expect(() => loadConfig({ ...base, WEBHOOK_INBOX_WORKER_ID: 'has space' })).toThrow('WEBHOOK_INBOX_WORKER_ID');
    expect(() => loadConfig({ ...base, WEBHOOK_INBOX_CONCURRENCY: '0' })).toThrow('WEBHOOK_INBOX_CONCURRENCY');
  });
});
