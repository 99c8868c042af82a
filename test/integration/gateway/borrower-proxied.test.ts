/**
 * Tests that need a vendor to answer what the simulators never would (a committed write with an unreadable
 * answer, a record without an id), or the gateway's vendor calls held at a point: a tiny HTTP proxy in front of
 * a simulator, over real loopback HTTP.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateBorrowerPhoneMutation, DeleteBorrowerPhoneMutation, OrderQuery, UpdateBorrowerPhoneMutation } from '../../__generated__/operations.js';
import { BORROWER_READER_KEY, BORROWER_WRITER_KEY, startGateway, type TestGateway, ADMIN_KEY } from '../../helpers/gateway.js';
import {
  DOC_BORROWER_ID,
  DOC_ORDER_ID,
  DOC_PHONE_IDS,
  FIRST_CREATED_PHONE_ID,
  NO_PHONES_BORROWER_ID,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';
import { borrowerOperation as op } from '../../helpers/operations.js';


interface Exchange {
  readonly method: string;
  /** Path and query, as the gateway sent them. */
  readonly url: string;
}

interface ProxyOptions {
  /** Awaited before the request is forwarded. */
  before?: (exchange: Exchange) => Promise<void> | void;
  /** Replaces the vendor's answer body (the status stays); undefined keeps it. */
  rewrite?: (exchange: Exchange, status: number, body: string) => string | undefined;
}

interface Proxy {
  readonly url: string;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Forwards every request to `target()` (read per request: the simulator starts after the proxy). */
async function startProxy(target: () => string, options: ProxyOptions = {}): Promise<Proxy> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const exchange = { method: req.method ?? 'GET', url: req.url ?? '/' };
      const body = await readBody(req);
      await options.before?.(exchange);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'connection' && name !== 'content-length') headers[name] = value;
      }
      const answer = await request(`${target()}${exchange.url}`, {
        method: exchange.method as 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = await answer.body.text();
      const out = options.rewrite?.(exchange, answer.statusCode, text) ?? text;
      res.writeHead(answer.statusCode, { 'content-type': 'application/json' });
      res.end(out);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('a query for a LoanPro customer and a RecoveryConnect order calls both vendors in parallel', () => {
  it('has both vendor calls in flight at once (each proxy holds its call until the other has arrived)', async () => {
    let gw: TestGateway | undefined;
    const loanproArrived = deferred();
    const recoveryArrived = deferred();
    // Each vendor's data call waits for the other's: run one after the other, the two would wait for ever.
    const loanpro = await startProxy(() => gw!.simulators.loanpro!.url, {
      async before({ url }) {
        if (!url.includes('/Customers')) return;
        loanproArrived.resolve();
        await recoveryArrived.promise;
      },
    });
    const recovery = await startProxy(() => gw!.simulators.recoveryconnect!.url, {
      async before({ url }) {
        if (!url.endsWith('/borrowers')) return;
        recoveryArrived.resolve();
        await loanproArrived.promise;
      },
    });
    try {
      gw = await startGateway({ env: { LOANPRO_BASE_URL: `${loanpro.url}/api/public/api/1`, RECOVERYCONNECT_BASE_URL: recovery.url } });
      const res = await gw.gql<{ customer: { id: string; phones: unknown[] }; order: { borrowers: Array<{ id: string }> } }>(
        `query($c: ID!, $o: ID!) { customer(id: $c) { id phones { number } } order(id: $o) { borrowers { id } } }`,
        { c: '1178', o: String(DOC_ORDER_ID) },
        { key: ADMIN_KEY },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.customer.id).toBe('1178');
      expect(res.data!.order.borrowers.map((b) => b.id)).toEqual([String(DOC_BORROWER_ID), String(NO_PHONES_BORROWER_ID)]);
    } finally {
      await gw?.close();
      await loanpro.close();
      await recovery.close();
    }
  }, 15_000);
});

describe('answers RecoveryConnect sends that the gateway cannot read', () => {
  let gw: TestGateway;
  let proxy: Proxy;
  /** Which answers to spoil in the current test: method + path suffix -> replacement body. */
  let spoil: Array<{ method: string; suffix: string; body: string }> = [];
  const rc = () => gw.simulators.recoveryconnect!;

  beforeAll(async () => {
    proxy = await startProxy(() => gw.simulators.recoveryconnect!.url, {
      rewrite: ({ method, url }, status) => (status === 200 ? spoil.find((s) => s.method === method && url.endsWith(s.suffix))?.body : undefined),
    });
    gw = await startGateway({ env: { RECOVERYCONNECT_BASE_URL: proxy.url } });
  });
  afterAll(async () => {
    await gw.close();
    await proxy.close();
  });
  beforeEach(() => {
    spoil = [];
    rc().resetData();
    gw.resetRequestLog();
  });

  const vars = { orderId: String(DOC_ORDER_ID), borrowerId: String(DOC_BORROWER_ID) };

  it('a committed create answered with an unreadable body: the error says committed, and the phone exists', async () => {
    spoil = [{ method: 'POST', suffix: '/phones', body: '{"data":"created"}' }];
    const res = await gw.gql<CreateBorrowerPhoneMutation>(op('CreateBorrowerPhone'), { ...vars, input: { number: '+14045550123', typeId: 5 } }, { key: BORROWER_WRITER_KEY });
    expect(res.data).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'RECOVERY_CONNECT', committed: true });
    expect(res.errors![0]!.message).toMatch(/do not send it again/);
    expect(rc().getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, FIRST_CREATED_PHONE_ID)).toMatchObject({ number: '404-555-0123' });
  });

  it('a committed update answered with a record the mapper cannot read: committed, and the change is there', async () => {
    const [phoneId] = DOC_PHONE_IDS;
    spoil = [{ method: 'PUT', suffix: `/phones/${phoneId}`, body: '{"data":{"id":"not-a-number"},"status":"success"}' }];
    const res = await gw.gql<UpdateBorrowerPhoneMutation>(op('UpdateBorrowerPhone'), { ...vars, phoneId: String(phoneId), input: { memo: 'kept' } }, { key: BORROWER_WRITER_KEY });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'RECOVERY_CONNECT', committed: true });
    expect(rc().getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, phoneId)!.memo).toBe('kept');
  });

  it('a delete confirmed with 200 but a body that is not JSON: still true, since the vendor did it', async () => {
    const phoneId = DOC_PHONE_IDS[1];
    spoil = [{ method: 'DELETE', suffix: `/phones/${phoneId}`, body: 'OK' }];
    const res = await gw.gql<DeleteBorrowerPhoneMutation>(op('DeleteBorrowerPhone'), { ...vars, phoneId: String(phoneId) }, { key: BORROWER_WRITER_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.deleteBorrowerPhone).toBe(true);
  });

  it("an unreadable phone record fails only that borrower's phones", async () => {
    spoil = [{ method: 'GET', suffix: `/borrowers/${DOC_BORROWER_ID}/phones`, body: '{"data":[{"id":39317578,"number":"678-932-1578"},{"number":"no id"}]}' }];
    const res = await gw.gql<OrderQuery>(op('Order'), { id: String(DOC_ORDER_ID) }, { key: BORROWER_READER_KEY });
    expect(res.data!.order!.borrowers.map((b) => b.phones)).toEqual([null, []]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.path).toEqual(['order', 'borrowers', 0, 'phones']);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'RECOVERY_CONNECT' });
    expect(res.errors![0]!.message).toMatch(/cannot read/);
  });

  it("an unreadable borrower record fails the order, but not borrower() for a readable one of it", async () => {
    const readable = { id: DOC_BORROWER_ID, order_id: DOC_ORDER_ID, role: 'borrower', is_primary: 1, firstname: 'A_Toney', middle_initial: '', lastname: 'Spencer', phones: [] };
    spoil = [{ method: 'GET', suffix: `/orders/${DOC_ORDER_ID}/borrowers`, body: JSON.stringify({ data: [readable, { firstname: 'no id' }] }) }];
    const res = await gw.gql<{ order: unknown; one: { id: string; lastName: string } | null; other: unknown }>(
      `query($o: ID!, $b: ID!, $x: ID!) { order(id: $o) { id } one: borrower(orderId: $o, borrowerId: $b) { id lastName } other: borrower(orderId: $o, borrowerId: $x) { id } }`,
      { o: String(DOC_ORDER_ID), b: String(DOC_BORROWER_ID), x: '1' },
      { key: BORROWER_READER_KEY },
    );
    expect(res.data!.one).toEqual({ id: String(DOC_BORROWER_ID), lastName: 'Spencer' });
    expect(res.data!.order).toBeNull();
    // A borrower not among the readable ones may be the unreadable record: an error, not a silent null.
    expect(res.data!.other).toBeNull();
    expect(res.errors!.map((e) => [e.path, e.extensions!['code']]).sort()).toEqual([
      [['order'], 'UPSTREAM_UNAVAILABLE'],
      [['other'], 'UPSTREAM_UNAVAILABLE'],
    ]);
    expect(gw.requests('recoveryconnect').filter((r) => r.path.endsWith('/borrowers'))).toHaveLength(1);
  });

  it('a borrower list that is not a list fails that order alone', async () => {
    spoil = [{ method: 'GET', suffix: `/orders/${DOC_ORDER_ID}/borrowers`, body: '{"data":{"id":1}}' }];
    const res = await gw.gql<OrderQuery>(op('Order'), { id: String(DOC_ORDER_ID) }, { key: BORROWER_READER_KEY });
    expect(res.data!.order).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'RECOVERY_CONNECT' });
  });
});
