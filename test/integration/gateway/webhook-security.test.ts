/**
 * The callback route's refusals over real HTTP: only `POST /webhooks/vibes/<secret>` from an allowed address is a
 * delivery; anything else is the gateway's one 404 and stores nothing; a body that can never be processed is 400
 * (logged without the number); the secret never reaches a log line. The happy paths and the store outage are in
 * consent-callbacks.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_CALLBACK_SECRET } from '../../../src/simulators/vibes/vibes.simulator.js';
import { startGateway, type TestGateway } from '../../helpers/gateway.js';
import { callbackText, parsedLogs, post, send, SETTLE } from '../consent/gateway.fixtures.js';

const NUMBER = '+16125550177';
const DIGITS = '6125550177';

async function inboxCount(gw: TestGateway): Promise<number> {
  const counts = await gw.app.store.inbox.counts();
  return counts.pending + counts.processing + counts.done + counts.dead;
}

describe('the callback route refuses what is not a delivery', () => {
  let gw: TestGateway;
  let origin: string;

  beforeAll(async () => {
    gw = await startGateway({ listen: true, vendors: ['loanpro', 'vibes'] });
    origin = gw.url!;
  });
  afterAll(async () => {
    await gw.close();
  });

  const body = (eventId: string) => callbackText({ type: 'subscription_removed', eventId, date: '2026-01-15T12:00:00Z', mdn: NUMBER, listId: '7001' });

  it('answers a wrong secret, an unknown source, a missing secret, extra segments and other methods with the one 404, storing nothing', async () => {
    const before = await inboxCount(gw);
    const notFound = [
      await post(`${origin}/webhooks/vibes/not-the-secret-at-all`, body('sec-1')),
      await post(`${origin}/webhooks/vibes/${SIMULATOR_CALLBACK_SECRET.slice(0, -1)}`, body('sec-2')),
      await post(`${origin}/webhooks/vibes/${SIMULATOR_CALLBACK_SECRET}x`, body('sec-3')),
      await post(`${origin}/webhooks/vibes`, body('sec-4')),
      await post(`${origin}/webhooks/vibes/`, body('sec-5')),
      await post(`${origin}/webhooks/vibes/${SIMULATOR_CALLBACK_SECRET}/extra`, body('sec-6')),
      await post(`${origin}/webhooks/stripe/${SIMULATOR_CALLBACK_SECRET}`, body('sec-7')),
      await post(`${origin}/webhook/vibes/${SIMULATOR_CALLBACK_SECRET}`, body('sec-8')),
      await send(`${origin}/webhooks/vibes/${SIMULATOR_CALLBACK_SECRET}`, 'GET'),
      await send(`${origin}/webhooks/vibes/${SIMULATOR_CALLBACK_SECRET}`, 'PUT', body('sec-9')),
      await send(`${origin}/nowhere/at-all`, 'GET'),
    ];
    for (const answer of notFound) {
      expect(answer.status).toBe(404);
      // The same body for every kind of miss, and it never echoes the path (which may hold the secret).
      expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND', requestId: expect.any(String) } }] });
      expect(answer.body).not.toContain(SIMULATOR_CALLBACK_SECRET.slice(0, 10));
    }
    expect(await inboxCount(gw)).toBe(before);
    // The right path still works, so the misses above were refusals and not a broken route.
    const right = await post(`${origin}/webhooks/vibes/${SIMULATOR_CALLBACK_SECRET}`, body('sec-ok'));
    expect(right).toMatchObject({ status: 200 });
    expect(JSON.parse(right.body)).toEqual({ status: 'stored' });
    expect(await inboxCount(gw)).toBe(before + 1);
  });

  it('refuses a body that can never be processed with 400 and a code, logged without the number', async () => {
    const before = await inboxCount(gw);
    const url = gw.vibesCallbackUrl!;
    const malformed = await post(url, `{"event_id":"bad-1","callback_type":"subscription_removed", "mdn": "${NUMBER}" `);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toEqual({ error: 'malformed_json' });
    const unknown = await post(url, callbackText({ type: 'subscription_removed', eventId: 'bad-2', date: '2026-01-15T12:00:00Z', mdn: NUMBER }, { callback_type: 'person_updated', event_type: 'person_updated' }));
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body)).toEqual({ error: 'unknown_callback_type' });
    const noList = await post(url, JSON.stringify({ event_id: 'bad-3', callback_type: 'subscription_added', event_date: '2026-01-15T12:00:00Z', subscription: { person: { mobile_phone: { mdn: NUMBER } } } }));
    expect(JSON.parse(noList.body)).toEqual({ error: 'missing_list' });
    expect(await inboxCount(gw)).toBe(before);

    const refused = parsedLogs(gw.logs).filter((l) => l.msg === 'callback refused: it can never be processed (400)');
    expect(refused.map((l) => [l.reason, l.eventId, l.callbackType, l.route])).toEqual([
      ['malformed_json', undefined, undefined, '/webhooks/vibes/:secret'],
      ['unknown_callback_type', 'bad-2', 'person_updated', '/webhooks/vibes/:secret'],
      ['missing_list', 'bad-3', 'subscription_added', '/webhooks/vibes/:secret'],
    ]);
    expect(gw.logs.join('\n')).not.toContain(DIGITS);
  });

  it('takes the deprecated event_type, unknown fields, dates written +0000 and any content type', async () => {
    const url = gw.vibesCallbackUrl!;
    const number = '+16125550178';
    const legacy = JSON.stringify({
      event_id: 'tolerant-1',
      event_type: 'subscription_removed',
      event_date: '2026-01-15T12:00:07+0000',
      delivery_attempt: '4',
      something_new: { nested: true },
      subscription: {
        person: { id: 'N8VR3LD6QC2X', mobile_phone: { mdn: number } },
        subscription_list: { id: '7001' },
        opt_out_date: '2026-01-15T12:00:07+0000',
        opt_out_reason: 'user_opt_out',
      },
    });
    expect((await post(url, legacy, { 'content-type': 'text/json' })).status).toBe(200);
    const bare = await post(url, legacy.replace('tolerant-1', 'tolerant-2'), {});
    expect(bare.status).toBe(200);
    await expect.poll(async () => (await gw.app.store.ledger.history(number)).map((e) => e.vendorEventId).sort(), SETTLE).toEqual(['tolerant-1', 'tolerant-2']);
    const [event] = await gw.app.store.ledger.history(number);
    expect(event).toMatchObject({ status: 'REVOKED', occurredAt: new Date('2026-01-15T12:00:07Z'), listId: '7001' });
  });

  it('never writes the secret into a log line, whatever path it came on (the route is logged instead)', () => {
    const text = gw.logs.join('\n');
    expect(text).not.toContain(SIMULATOR_CALLBACK_SECRET);
    expect(text).not.toContain('not-the-secret-at-all');
    expect(text).toContain('/webhooks/vibes/:secret');
  });
});

describe('the source-address allowlist (VIBES_CALLBACK_ALLOWED_IPS, TRUST_PROXY)', () => {
  const delivery = (eventId: string) => callbackText({ type: 'subscription_removed', eventId, date: '2026-01-15T12:00:00Z', mdn: NUMBER, listId: '7001' });
  const json = (forwardedFor?: string) => ({ 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) });

  it('without TRUST_PROXY judges the socket address and ignores X-Forwarded-For', async () => {
    const gw = await startGateway({ listen: true, vendors: ['loanpro', 'vibes'], env: { VIBES_CALLBACK_ALLOWED_IPS: '10.0.0.0/8' } });
    try {
      const url = gw.vibesCallbackUrl!;
      expect((await post(url, delivery('ip-1'), json())).status).toBe(404);
      expect((await post(url, delivery('ip-2'), json('10.1.2.3'))).status).toBe(404);
      expect(await inboxCount(gw)).toBe(0);
      // Refused with the right secret: logged loudly with the address, so a changed Vibes range is visible.
      const warned = parsedLogs(gw.logs).filter((l) => l.msg === 'callback from an address outside the allowlist refused (404)');
      expect(warned.map((l) => [l.level, l.remoteAddress])).toEqual([
        [40, '127.0.0.1'],
        [40, '127.0.0.1'],
      ]);
    } finally {
      await gw.close();
    }
  });

  it('with TRUST_PROXY=1 takes the client from X-Forwarded-For: inside the allowlist stored, outside 404', async () => {
    const gw = await startGateway({ listen: true, vendors: ['loanpro', 'vibes'], env: { VIBES_CALLBACK_ALLOWED_IPS: '10.0.0.0/8,2001:db8::/32', TRUST_PROXY: '1' } });
    try {
      const url = gw.vibesCallbackUrl!;
      expect((await post(url, delivery('xff-1'), json('10.1.2.3'))).status).toBe(200);
      expect((await post(url, delivery('xff-2'), json('2001:db8::7'))).status).toBe(200);
      expect((await post(url, delivery('xff-3'), json('192.168.1.9'))).status).toBe(404);
      // One hop trusted: the entry the proxy added (the rightmost) decides, not what the client put before it.
      expect((await post(url, delivery('xff-4'), json('10.9.9.9, 192.168.1.9'))).status).toBe(404);
      expect((await post(url, delivery('xff-5'), json())).status).toBe(404);
      expect(await inboxCount(gw)).toBe(2);
    } finally {
      await gw.close();
    }
  });
});
