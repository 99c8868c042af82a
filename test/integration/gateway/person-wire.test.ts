/**
 * What the gateway puts on the wire to Vibes, and what it makes of answers the simulator never gives: a recording
 * proxy in front of the simulator sees every request as sent (raw path and query, headers) and can answer in its
 * place.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CustomersWithPersonsQuery, PersonByMobileQuery, UpsertPersonMutation } from '../../__generated__/operations.js';
import { ADMIN_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { SEEDED_PERSONS } from '../../../src/simulators/vibes/vibes.seed.js';
import { DEFAULT_VIBES_PASSWORD, DEFAULT_VIBES_USERNAME } from '../../../src/simulators/vibes/vibes.simulator.js';

const DOCUMENT = readFileSync(new URL('../../operations/person.graphql', import.meta.url), 'utf8');
const op = (operationName: string) => ({ query: DOCUMENT, operationName });
const PERSONS = '/companies/simco/mobiledb/persons';
const { grace, marcus } = SEEDED_PERSONS;

interface Sent {
  readonly method: string;
  /** Path and query exactly as they arrived (not decoded). */
  readonly rawUrl: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Answers in the simulator's place: return undefined to forward. */
type Override = (sent: Sent) => { status: number; body?: unknown } | undefined;
/** Replaces the simulator's answer body after it applied the request: return undefined to keep it. */
type Rewrite = (sent: Sent) => string | undefined;

interface RecordingProxy {
  readonly origin: string;
  readonly sent: Sent[];
  override: Override;
  rewrite: Rewrite;
  close(): Promise<void>;
}

async function startRecordingProxy(target: () => string): Promise<RecordingProxy> {
  const proxy: RecordingProxy = { origin: '', sent: [], override: () => undefined, rewrite: () => undefined, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const sent: Sent = { method: req.method ?? 'GET', rawUrl: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString() };
      proxy.sent.push(sent);
      const answer = proxy.override(sent);
      if (answer !== undefined) {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && name !== 'host' && name !== 'connection' && name !== 'content-length') headers[name] = value;
      }
      const upstream = await request(`${target()}${sent.rawUrl}`, { method: sent.method as 'GET', headers, ...(sent.body ? { body: sent.body } : {}) });
      const text = await upstream.body.text();
      res.writeHead(upstream.statusCode, { 'content-type': 'application/json' });
      res.end(proxy.rewrite(sent) ?? text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

describe('Vibes on the wire', () => {
  let gw: TestGateway;
  let proxy: RecordingProxy;
  let simUrl = '';

  beforeAll(async () => {
    proxy = await startRecordingProxy(() => simUrl);
    gw = await startGateway({
      vendors: ['loanpro', 'vibes'],
      baseUrlFor: {
        vibes: (sim) => {
          simUrl = sim.url;
          return proxy.origin;
        },
      },
    });
  });
  afterAll(async () => {
    await gw.close();
    await proxy.close();
  });
  beforeEach(() => {
    gw.simulators.vibes!.resetData();
    proxy.sent.length = 0;
    proxy.override = () => undefined;
    proxy.rewrite = () => undefined;
  });

  it('sends X-API-Version: 2 and HTTP Basic on every call, and the MDN of a lookup as %2B...', async () => {
    await gw.gql(op('PersonByMobile'), { mobile: grace.mdn }, { key: ADMIN_KEY });
    await gw.gql(op('UpsertPerson'), { input: { externalId: '1178', customFields: { first_name: 'Wire' } } }, { key: ADMIN_KEY });
    await gw.gql(op('OptOutPerson'), { personKey: grace.personKey, listId: '7001' }, { key: ADMIN_KEY });
    expect(proxy.sent.map((s) => `${s.method} ${s.rawUrl}`)).toEqual([
      `GET ${PERSONS}?mdn=%2B${grace.mdn.slice(1)}`,
      `PUT ${PERSONS}/external/1178`,
      `GET ${PERSONS}/external/1178`,
      `DELETE ${PERSONS}/${grace.personKey}/subscriptions/7001`,
    ]);
    const basic = `Basic ${Buffer.from(`${DEFAULT_VIBES_USERNAME}:${DEFAULT_VIBES_PASSWORD}`).toString('base64')}`;
    for (const sent of proxy.sent) expect(sent.headers).toMatchObject({ 'x-api-version': '2', authorization: basic });
    // The PUT body carries only what changes; the external id is in the path.
    const put = proxy.sent.find((s) => s.method === 'PUT')!;
    expect(put.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(put.body)).toEqual({ custom_fields: { first_name: 'Wire' } });
  });

  it('encodes ids in the path, and sends a new person with its external id and MDN (POST persons/)', async () => {
    await gw.gql(op('UpsertPerson'), { input: { externalId: 'crm 7#1', mobile: '+16125550147', carrierCode: '104' } }, { key: ADMIN_KEY });
    expect(proxy.sent.map((s) => `${s.method} ${s.rawUrl}`)).toEqual([`PUT ${PERSONS}/external/crm%207%231`, `POST ${PERSONS}/`]);
    expect(JSON.parse(proxy.sent[0]!.body)).toEqual({ mobile_phone: { mdn: '+16125550147', carrier_code: '104' } });
    expect(JSON.parse(proxy.sent[1]!.body)).toEqual({ external_person_id: 'crm 7#1', mobile_phone: { mdn: '+16125550147', carrier_code: '104' } });
  });

  it('removes an MDN with mobile_phone.mdn = null', async () => {
    await gw.gql(op('UpsertPerson'), { input: { externalId: '1121', mobile: null } }, { key: ADMIN_KEY });
    expect(JSON.parse(proxy.sent[0]!.body)).toEqual({ mobile_phone: { mdn: null } });
  });

  it("surfaces Vibes' error messages, and only those, with phone numbers masked", async () => {
    proxy.override = (sent) =>
      sent.method === 'PUT'
        ? { status: 422, body: { errors: [{ message: `The MDN ${grace.mdn} is on a carrier block list`, code: 7 }, { message: 'The zip code must be numeric', code: 8 }], trace: 'internal-detail' } }
        : undefined;
    const res = await gw.gql<UpsertPersonMutation>(op('UpsertPerson'), { input: { externalId: '1178', carrierCode: '104' } }, { key: ADMIN_KEY });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', vendor: 'VIBES' });
    expect(res.errors![0]!.message).toBe('Vibes refused the person: The MDN [redacted…7960] is on a carrier block list The zip code must be numeric');
    expect(JSON.stringify(res)).not.toMatch(/internal-detail|6514737960|"code":7/);
  });

  it('reads a find-by-MDN answered as a list, by the entry that holds the MDN', async () => {
    proxy.override = (sent) =>
      sent.method === 'GET' && sent.rawUrl.startsWith(`${PERSONS}?`)
        ? { status: 200, body: [{ person_key: 'other', mobile_phone: { mdn: '+16125550100' } }, { person_key: 'listed', mobile_phone: { mdn: grace.mdn } }] }
        : undefined;
    const res = await gw.gql<PersonByMobileQuery>(op('PersonByMobile'), { mobile: grace.mdn }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.person).toMatchObject({ key: 'listed', mobile: grace.mdn, externalId: null, customFields: null, createdAt: null });
  });

  it('fails only the entry of a person record it cannot read (no key), and falls back to person_id for the key', async () => {
    proxy.override = (sent) => {
      if (sent.rawUrl === `${PERSONS}/external/1178`) return { status: 200, body: { external_person_id: '1178', mobile_phone: { mdn: grace.mdn } } };
      if (sent.rawUrl === `${PERSONS}/external/1121`) return { status: 200, body: { person_id: marcus.personId, external_person_id: '1121', created_at: '2017-01-05T14:30Z' } };
      return undefined;
    };
    const res = await gw.gql<CustomersWithPersonsQuery>(op('CustomersWithPersons'), { ids: ['1178', '1121'] }, { key: ADMIN_KEY });
    expect(res.data!.customers.map((c) => c!.person?.key ?? null)).toEqual([null, marcus.personId]);
    expect(res.errors?.map((e) => [e.path?.join('.'), e.extensions?.['code'], e.message])).toEqual([
      ['customers.0.person', 'UPSTREAM_UNAVAILABLE', 'Vibes sent a person record the gateway cannot read.'],
    ]);
  });

  it("fails a person's subscriptions as a whole when one record cannot be read (it could be an opt-out)", async () => {
    proxy.override = (sent) =>
      sent.rawUrl.endsWith('/subscriptions') ? { status: 200, body: [{ subscription_list: { id: '7001' }, opt_in_date: '2021-03-04T17:20:11Z' }, { opt_out_date: '2023-01-01T00:00:00Z' }] } : undefined;
    const res = await gw.gql(op('CustomerPersonSubscriptions'), { id: '1178' }, { key: ADMIN_KEY });
    expect(res.data).toMatchObject({ customer: { person: { key: grace.personKey, subscriptions: null } } });
    expect(res.errors?.[0]).toMatchObject({ path: ['customer', 'person', 'subscriptions'], message: 'Vibes sent a subscription record the gateway cannot read.' });
  });

  it('reads an opt-out date it cannot parse as inactive, never as subscribed', async () => {
    proxy.override = (sent) =>
      sent.rawUrl.endsWith('/subscriptions') ? { status: 200, body: [{ subscription_list: { id: 7001 }, opt_in_date: '2021-03-04T17:20:11Z', opt_out_date: 'yesterday' }] } : undefined;
    const res = await gw.gql(op('CustomerPersonSubscriptions'), { id: '1178' }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ customer: { person: { subscriptions: [{ listId: '7001', active: false, optOutDate: null }] } } });
  });

  it('answers a committed POST whose answer it cannot read with the person read back by its external id', async () => {
    proxy.rewrite = (sent) => (sent.method === 'POST' ? '"created"' : undefined);
    const res = await gw.gql<UpsertPersonMutation>(op('UpsertPerson'), { input: { externalId: 'crm-55', mobile: '+16125550147' } }, { key: ADMIN_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!.upsertPerson).toMatchObject({ externalId: 'crm-55', mobile: '+16125550147' });
    expect(proxy.sent.map((s) => `${s.method} ${s.rawUrl}`)).toEqual([`PUT ${PERSONS}/external/crm-55`, `POST ${PERSONS}/`, `GET ${PERSONS}/external/crm-55`]);
    // When that read fails too, the error says the write is done.
    proxy.override = (sent) => (sent.method === 'GET' ? { status: 503, body: { errors: [{ message: 'Service Unavailable', code: 1 }] } } : undefined);
    const lost = await gw.gql<UpsertPersonMutation>(op('UpsertPerson'), { input: { externalId: 'crm-56', mobile: '+16125550148' } }, { key: ADMIN_KEY });
    expect(lost.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'VIBES', committed: true });
    expect(gw.simulators.vibes!.findPersonByMdn('+16125550148')?.externalPersonId).toBe('crm-56');
  });
});

