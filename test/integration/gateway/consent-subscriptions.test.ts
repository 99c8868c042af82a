/**
 * consentChanged over graphql-ws on the gateway's own port and path, with a real client (graphql-ws's createClient
 * over `ws`): credentials from the upgrade headers or the connection_init payload, consent:read checked at
 * connection time, only subscriptions over the socket, the number filter, and sockets closed on shutdown.
 * Events are caused through the ledger recorder's path (a real callback over HTTP), never published by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED } from '../../../src/server/subscriptions.js';
import { ADMIN_KEY, CONSENT_READER_KEY, PERSON_READER_KEY, READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { callbackText, parsedLogs, post, SETTLE, subscriptionStarted, waitForLog } from '../consent/gateway.fixtures.js';
import { connect, subscribeConsent, wsUrl, type WsAuth } from '../consent/graphql-ws.fixtures.js';

const A = '+16125550201';
const B = '+16125550202';

describe('consentChanged over graphql-ws', () => {
  let gw: TestGateway;
  let eventSeq = 0;

  beforeAll(async () => {
    gw = await startGateway({ listen: true, vendors: ['loanpro', 'vibes'] });
  });
  afterAll(async () => {
    await gw?.close();
  });

  /** A real opt-out callback over HTTP: the worker records it and the recorder publishes it. */
  async function optOut(number: string): Promise<string> {
    const eventId = `ws-${++eventSeq}`;
    const res = await post(gw.vibesCallbackUrl!, callbackText({ type: 'subscription_removed', eventId, date: `2026-03-01T10:00:${String(eventSeq).padStart(2, '0')}Z`, mdn: number, listId: '7001' }));
    expect(res.status).toBe(200);
    return eventId;
  }

  const started = () => parsedLogs(gw.logs).filter(subscriptionStarted).length;

  it('accepts the key in the connection_init payload (what a browser sends) and delivers the events of its number only', async () => {
    const before = started();
    const one = subscribeConsent(gw.url!, { connectionParams: { Authorization: `Bearer ${CONSENT_READER_KEY}` } }, { number: A });
    const all = subscribeConsent(gw.url!, { connectionParams: { 'x-api-key': ADMIN_KEY } });
    try {
      await waitForLog(gw.logs, subscriptionStarted, before + 2);
      const forB = await optOut(B);
      const forA = await optOut(A);
      // Every event reaches the unfiltered subscriber, in the order recorded; the filtered one sees only A's.
      const everything = await all.take(2);
      expect(everything.map((e) => [e.number, e.vendorEventId])).toEqual([
        [B, forB],
        [A, forA],
      ]);
      const [first] = await one.take(1);
      expect(first).toMatchObject({ number: A, vendorEventId: forA, status: 'REVOKED', source: 'VIBES', evidence: 'SUBSCRIPTION_CALLBACK' });
      expect(one.pending).toBe(0);
    } finally {
      await Promise.all([one.dispose(), all.dispose()]);
    }
    // A subscription that ended leaves nothing behind in ConsentEvents.
    await expect.poll(() => gw.app.consentEvents.subscriberCount, SETTLE).toBe(0);
  });

  it('accepts the key in the upgrade request headers (Authorization or x-api-key)', async () => {
    const variants: Array<Record<string, string>> = [{ authorization: `Bearer ${CONSENT_READER_KEY}` }, { 'x-api-key': CONSENT_READER_KEY }];
    for (const headers of variants) {
      const before = started();
      const sub = subscribeConsent(gw.url!, { headers }, { number: A });
      try {
        await waitForLog(gw.logs, subscriptionStarted, before + 1);
        const eventId = await optOut(A);
        expect((await sub.take(1))[0]).toMatchObject({ number: A, vendorEventId: eventId });
      } finally {
        await sub.dispose();
      }
    }
  });

  it('closes the connection at connection_init with 4401 without valid credentials, and 4403 without consent:read', async () => {
    const cases: Array<{ auth: WsAuth; code: number }> = [
      { auth: {}, code: CLOSE_UNAUTHORIZED },
      { auth: { connectionParams: { authorization: 'Bearer not-a-key-of-this-gateway' } }, code: CLOSE_UNAUTHORIZED },
      { auth: { headers: { authorization: 'Bearer not-a-key-of-this-gateway' } }, code: CLOSE_UNAUTHORIZED },
      { auth: { connectionParams: { authorization: `Bearer ${PERSON_READER_KEY}` } }, code: CLOSE_FORBIDDEN },
      { auth: { headers: { 'x-api-key': READER_KEY } }, code: CLOSE_FORBIDDEN },
    ];
    for (const { auth, code } of cases) {
      const sub = subscribeConsent(gw.url!, auth);
      const closed = await sub.closed;
      expect(closed.code).toBe(code);
      if (code === CLOSE_FORBIDDEN) expect(closed.reason).toContain('consent:read');
      await sub.dispose();
    }
    expect(gw.app.consentEvents.subscriberCount).toBe(0);
    // Nothing of the refused keys reached a log line.
    expect(gw.logs.join('\n')).not.toContain('not-a-key-of-this-gateway');
  });

  it('refuses queries and mutations over the socket (they belong to POST /graphql)', async () => {
    const { client } = connect(gw.url!, { connectionParams: { authorization: `Bearer ${ADMIN_KEY}` } });
    try {
      const result = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: `{ phone(number: "${A}") { number } }` }, { next: resolve, error: resolve, complete: () => undefined });
      });
      expect(result).toEqual([
        expect.objectContaining({ message: 'Only subscriptions travel over graphql-ws; send queries and mutations to POST /graphql.', extensions: { code: 'BAD_REQUEST' } }),
      ]);
    } finally {
      await client.dispose();
    }
  });

  it('applies the HTTP validation limits to subscription documents', async () => {
    const { client } = connect(gw.url!, { connectionParams: { authorization: `Bearer ${ADMIN_KEY}` } });
    try {
      const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: consentChanged { id }`).join(' ');
      const result = await new Promise<unknown>((resolve) => {
        client.subscribe({ query: `subscription { ${aliases} }` }, { next: resolve, error: resolve, complete: () => undefined });
      });
      expect(JSON.stringify(result)).toContain('QUERY_TOO_COMPLEX');
    } finally {
      await client.dispose();
    }
  });

  it('answers a typo or broken syntax with the codes HTTP uses, not an internal error', async () => {
    const { client } = connect(gw.url!, { connectionParams: { authorization: `Bearer ${ADMIN_KEY}` } });
    try {
      const run = (query: string) =>
        new Promise<unknown>((resolve) => {
          client.subscribe({ query }, { next: resolve, error: resolve, complete: () => undefined });
        });
      const typo = (await run('subscription { consentChanged { statuss } }')) as Array<{ message: string; extensions: { code: string } }>;
      expect(typo).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
      expect(typo[0]!.message).toContain('Cannot query field "statuss" on type "ConsentEvent".');
      expect(await run('subscription { consentChanged {')).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]);
    } finally {
      await client.dispose();
    }
    expect(gw.logs.join('\n')).not.toContain('unexpected error in a subscription');
  });

  it('answers 404 to an upgrade on another path', async () => {
    const socket = new WebSocket(wsUrl(gw.url!).replace('/graphql', '/elsewhere'), 'graphql-transport-ws');
    const status = await new Promise<number>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('error', () => resolve(-1));
    });
    expect(status).toBe(404);
    socket.terminate();
  });
});

describe('shutdown with subscribers connected', () => {
  it('closes every socket with 1001 and ends their subscriptions, then the gateway closes', async () => {
    const gw = await startGateway({ listen: true, vendors: ['loanpro', 'vibes'] });
    const sub = subscribeConsent(gw.url!, { connectionParams: { authorization: `Bearer ${CONSENT_READER_KEY}` } });
    try {
      await waitForLog(gw.logs, subscriptionStarted);
      expect(gw.app.consentEvents.subscriberCount).toBe(1);
      await gw.close();
      expect((await sub.closed).code).toBe(1001);
      expect(gw.app.subscriptions.connections).toBe(0);
      expect(gw.app.consentEvents.subscriberCount).toBe(0);
    } finally {
      await sub.dispose();
      await gw.close();
    }
  });
});
