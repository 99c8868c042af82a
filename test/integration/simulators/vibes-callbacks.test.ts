/**
 * Vibes callbacks over real HTTP: the Callback API (register, list, update, cancel, test event), deliveries on
 * keyword opt-in, add participant, API opt-out and texted STOP with the documented payload, MDN spelling fixed by
 * the registering API version, and the delivery contract: 3xx/5xx/network errors retried with exponential
 * backoff (an injected sleeper records the waits, so attempt sequences are asserted, never time), 4xx never
 * retried, duplicate and reorder controls. The receiver is a tiny node:http server that answers a planned
 * sequence of statuses.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { basicAuthHeader } from '../../../src/simulators/messagemedia/messagemedia.auth.js';
import { ACCOUNT_LIST_ID, MARKETING_LIST_ID, SEEDED_PERSONS } from '../../../src/simulators/vibes/vibes.seed.js';
import { createVibesSimulator } from '../../../src/simulators/vibes/vibes.simulator.js';
import type { VibesSimulator, VibesSimulatorOptions } from '../../../src/simulators/vibes/vibes.simulator.js';

const AUTH = basicAuthHeader('sim-vibes', 'sim-vibes-password');
const CO = '/companies/simco';
const START = Date.UTC(2026, 0, 15, 12, 0, 0);
const { grace, marcus, john, prospect } = SEEDED_PERSONS;
const HOOK_PATH = '/webhooks/vibes/s3cret-path';

type Json = Record<string, unknown>;

interface Received {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: Json;
}

/** What the receiver does with one request: answer a status, reset the socket (a network error), or never answer. */
type Plan = number | 'reset' | 'hang';

class Receiver {
  readonly received: Received[] = [];
  private plans: Plan[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  url(path = HOOK_PATH): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The next requests get these answers, in order; afterwards 200. */
  plan(...plans: Plan[]): void {
    this.plans.push(...plans);
  }

  bodies(): Json[] {
    return this.received.map((r) => r.body);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json,
      });
      const plan = this.plans.shift() ?? 200;
      if (plan === 'reset') {
        req.socket.resetAndDestroy();
        return;
      }
      if (plan === 'hang') return; // close() destroys the socket
      res.writeHead(plan, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  }
}

let receiver: Receiver;
let sim: VibesSimulator;
let sleeps: number[];
let clockMs: number;

async function startSim(options: VibesSimulatorOptions = {}): Promise<VibesSimulator> {
  sim = createVibesSimulator({
    now: () => clockMs,
    ...options,
    callbacks: {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...(options.callbacks ?? {}),
    },
  });
  await sim.start();
  return sim;
}

beforeEach(async () => {
  sleeps = [];
  clockMs = START;
  receiver = new Receiver();
  await receiver.start();
});
afterEach(async () => {
  await sim.close();
  await receiver.close();
});

async function api(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, version = '2'): Promise<{ status: number; json: unknown }> {
  const res = await request(`${sim.url}${path}`, {
    method,
    headers: { authorization: AUTH, 'x-api-version': version, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function control(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await request(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function registration(type: 'subscription_added' | 'subscription_removed', listId: string, url: string, extra: Json = {}): Json {
  return { callback_type: type, [type]: { list_id: listId }, destination: { url, method: 'POST', content_type: 'application/json' }, ...extra };
}

describe('the Callback API (/config/callbacks)', () => {
  it('registers (201), lists, reads, replaces and cancels; the registering version is kept', async () => {
    await startSim();
    const created = await api('POST', `${CO}/config/callbacks/`, registration('subscription_added', MARKETING_LIST_ID, receiver.url()));
    expect(created.status).toBe(201);
    const body = created.json as Json;
    const id = body['callback_id'] as string;
    expect(body).toEqual({
      callback_id: id,
      callback_type: 'subscription_added',
      event_type: 'subscription_added',
      subscription_added: { list_id: MARKETING_LIST_ID },
      destination: { url: receiver.url(), method: 'POST', content_type: 'application/json' },
      url: `${CO}/config/callbacks/${id}`,
      created_date: '2026-01-15T12:00:00Z',
      updated_date: '2026-01-15T12:00:00Z',
    });
    expect((await api('GET', `${CO}/config/callbacks`)).json).toEqual([body]);
    expect((await api('GET', `${CO}/config/callbacks/${id}`)).json).toEqual(body);
    expect(sim.registrations()[0]?.apiVersion).toBe(2);

    clockMs = START + 1000;
    const replaced = await api('PUT', `${CO}/config/callbacks/${id}`, registration('subscription_removed', ACCOUNT_LIST_ID, receiver.url('/other'), { end_date: '2026-12-31' }), '1');
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({
      callback_id: id,
      callback_type: 'subscription_removed',
      subscription_removed: { list_id: ACCOUNT_LIST_ID },
      end_date: '2026-12-31',
      created_date: '2026-01-15T12:00:00Z',
      updated_date: '2026-01-15T12:00:01Z',
    });
    expect(replaced.json).not.toHaveProperty('subscription_added');
    expect(sim.registrations()[0]?.apiVersion).toBe(1);

    const cancelled = await api('DELETE', `${CO}/config/callbacks/${id}`);
    expect(cancelled.status).toBe(200);
    expect((cancelled.json as Json)['callback_id']).toBe(id);
    expect((await api('GET', `${CO}/config/callbacks`)).json).toEqual([]);
    for (const method of ['GET', 'DELETE'] as const) expect((await api(method, `${CO}/config/callbacks/${id}`)).status).toBe(404);
    expect((await api('PUT', `${CO}/config/callbacks/${id}`, registration('subscription_added', MARKETING_LIST_ID, receiver.url()))).status).toBe(404);
  });

  it('409 for a second registration of the same type and list; the deprecated event_type is accepted', async () => {
    await startSim();
    expect((await api('POST', `${CO}/config/callbacks/`, registration('subscription_added', MARKETING_LIST_ID, receiver.url()))).status).toBe(201);
    const again = await api('POST', `${CO}/config/callbacks/`, registration('subscription_added', MARKETING_LIST_ID, receiver.url('/2')));
    expect(again.status).toBe(409);
    // The ruby gem's body: event_type, default method and content type.
    const gem = await api('POST', `${CO}/config/callbacks/`, {
      event_type: 'subscription_removed',
      subscription_removed: { list_id: MARKETING_LIST_ID },
      destination: { url: receiver.url() },
    });
    expect(gem.status).toBe(201);
    expect((gem.json as Json)['destination']).toEqual({ url: receiver.url(), method: 'POST', content_type: 'application/json' });
  });

  it('422 for bodies it cannot register, each problem listed', async () => {
    await startSim();
    const cases: [Json, string[]][] = [
      [{ callback_type: 'nope' }, ['callback_type is required and must be a known callback type.']],
      [{ callback_type: 'person_added', destination: { url: receiver.url() } }, ['callback_type person_added is not simulated; the simulator delivers subscription_added and subscription_removed.']],
      [
        { callback_type: 'subscription_added', destination: { url: 'ftp://x', method: 'GET', content_type: 'text/xml' }, start_date: 'soon' },
        [
          'subscription_added.list_id is required.',
          'destination.url must be an http(s) URL.',
          'destination.method must be POST or PUT.',
          'destination.content_type must be application/json or text/json.',
          'start_date must be an ISO-8601 date.',
        ],
      ],
      [registration('subscription_added', '9999', receiver.url()), ['subscription_added.list_id is not a subscription list of this company.']],
      [{ ...registration('subscription_added', MARKETING_LIST_ID, receiver.url()), start_date: '2026-02-01', end_date: '2026-01-01' }, ['end_date must not be before start_date.']],
    ];
    for (const [body, expected] of cases) {
      const reply = await api('POST', `${CO}/config/callbacks/`, body);
      expect(reply.status).toBe(422);
      expect((reply.json as { errors: { message: string }[] }).errors.map((e) => e.message)).toEqual(expected);
    }
    expect(sim.registrations()).toEqual([]);
  });
});

describe('deliveries on subscription changes', () => {
  it('a keyword opt-in (POST /__sim/subscriptions) delivers subscription_added with the documented payload', async () => {
    await startSim({ callbackUrl: receiver.url() });
    clockMs = START + 7000;
    const opted = await control('POST', '/__sim/subscriptions', { mdn: '+18012364481', listId: MARKETING_LIST_ID });
    expect(opted.status).toBe(201);
    const eventId = (opted.json as Json)['event_id'] as string;
    const [entry] = await sim.waitForDeliveries(1, { outcome: 'delivered' });
    const reg = sim.registrations().find((r) => r.callbackType === 'subscription_added' && r.listId === MARKETING_LIST_ID);
    expect(entry).toMatchObject({ eventId, callbackId: reg?.callbackId, type: 'subscription_added', attempt: 1, copy: 1, status: 200 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({ method: 'POST', path: HOOK_PATH, contentType: 'application/json' });
    expect(receiver.received[0]?.body).toEqual({
      callback_id: reg?.callbackId,
      event_id: eventId,
      callback_type: 'subscription_added',
      event_type: 'subscription_added',
      event_date: '2026-01-15T12:00:07Z',
      delivery_attempt: '1',
      subscription: {
        person: {
          id: marcus.personId,
          person_key: marcus.personKey,
          external_id: '1121',
          external_person_id: '1121',
          url: `${CO}/mobiledb/persons/${marcus.personId}`,
          mobile_phone: { mdn: '+18012364481' },
        },
        subscription_list: { id: MARKETING_LIST_ID, url: `${CO}/mobiledb/subscription_lists/${MARKETING_LIST_ID}` },
        opt_in_date: '2026-01-15T12:00:07Z',
        acquisition_campaign: { id: '5501', url: `${CO}/campaigns/acquisition/5501` },
        url: `${CO}/mobiledb/persons/${marcus.personId}/subscriptions/${MARKETING_LIST_ID}`,
      },
    });
  });

  it('a texted STOP ends every active list (user_opt_out, one callback each); the removal shares the added event_id', async () => {
    await startSim({ callbackUrl: receiver.url() });
    const added = sim.subscribe({ mdn: '6125550187' }, ACCOUNT_LIST_ID); // a first text from a new number
    await sim.waitForDeliveries(1);
    clockMs = START + 60_000;
    const stopped = await control('POST', '/__sim/stop', { mdn: '+16125550187' });
    expect(stopped.status).toBe(200);
    expect((stopped.json as { removed: Json[] }).removed).toHaveLength(1);
    await sim.waitForDeliveries(2);
    const [addedBody, removedBody] = receiver.bodies();
    expect(addedBody?.['event_id']).toBe(added.eventId);
    expect(removedBody).toMatchObject({
      event_id: added.eventId,
      callback_type: 'subscription_removed',
      event_type: 'subscription_removed',
      event_date: '2026-01-15T12:01:00Z',
      subscription: {
        subscription_list: { id: ACCOUNT_LIST_ID },
        opt_in_date: '2026-01-15T12:00:00Z',
        opt_out_date: '2026-01-15T12:01:00+0000',
        opt_out_reason: 'user_opt_out',
      },
    });
    // A person created by a text has no external id.
    expect((removedBody?.['subscription'] as Json)['person']).not.toHaveProperty('external_id');

    // Grace is on both lists: STOP ends both.
    sim.stop('+16514737960');
    const both = await sim.waitForDeliveries(4);
    expect(both.slice(2).map((e) => e.type)).toEqual(['subscription_removed', 'subscription_removed']);
    expect(receiver.bodies().slice(2).map((b) => (b['subscription'] as Json)['subscription_list'])).toEqual([
      { id: MARKETING_LIST_ID, url: `${CO}/mobiledb/subscription_lists/${MARKETING_LIST_ID}` },
      { id: ACCOUNT_LIST_ID, url: `${CO}/mobiledb/subscription_lists/${ACCOUNT_LIST_ID}` },
    ]);
    expect(sim.subscriptionsOf(grace.personKey).every((s) => s.optOutReason === 'user_opt_out')).toBe(true);
  });

  it('STOP for one list; STOP from someone not subscribed changes nothing and sends nothing', async () => {
    await startSim({ callbackUrl: receiver.url() });
    const one = await control('POST', '/__sim/stop', { personKey: grace.personKey, listId: ACCOUNT_LIST_ID });
    expect((one.json as { removed: Json[] }).removed.map((s) => (s['subscription_list'] as Json)['id'])).toEqual([ACCOUNT_LIST_ID]);
    expect(sim.subscriptionsOf(grace.personKey).map((s) => s.optOutDate === null)).toEqual([true, false]);
    const none = await control('POST', '/__sim/stop', { personKey: SEEDED_PERSONS.tomas.personKey });
    expect(none).toEqual({ status: 200, json: { person_key: SEEDED_PERSONS.tomas.personKey, removed: [] } });
    await sim.callbacksIdle();
    expect(sim.deliveries().map((e) => e.type)).toEqual(['subscription_removed']);
    expect((await control('POST', '/__sim/stop', { mdn: '+19995550100' })).status).toBe(404);
    expect((await control('POST', '/__sim/stop', { mdn: 'abc' })).status).toBe(400);
    expect((await control('POST', '/__sim/stop', { mdn: '+16514737960', personKey: 'x' })).status).toBe(400);
  });

  it('the opt-out API (api_opt_out) and add participant deliver too; opting out twice sends one callback', async () => {
    await startSim({ callbackUrl: receiver.url() });
    const path = `${CO}/mobiledb/persons/external/555/subscriptions/${MARKETING_LIST_ID}`;
    expect((await api('DELETE', path)).status).toBe(200);
    expect((await api('DELETE', path)).status).toBe(404);
    expect((await api('POST', `${CO}/campaigns/acquisition/5502/participants`, { mobile_phone: { mdn: '+12124467013' } })).status).toBe(201);
    await sim.waitForDeliveries(2);
    await sim.callbacksIdle();
    const [removed, added] = receiver.bodies();
    expect(removed).toMatchObject({ callback_type: 'subscription_removed', event_id: 'E4LQ6BT8XM1J', subscription: { opt_out_reason: 'api_opt_out' } });
    expect(added).toMatchObject({
      callback_type: 'subscription_added',
      subscription: { subscription_list: { id: ACCOUNT_LIST_ID }, acquisition_campaign: { id: '5502' }, person: { person_key: john.personKey } },
    });
    expect(receiver.received).toHaveLength(2);
  });

  it('the MDN follows the registering API version (v1: 10 digits); only matching lists and types are sent', async () => {
    await startSim();
    expect((await api('POST', `${CO}/config/callbacks/`, registration('subscription_removed', MARKETING_LIST_ID, receiver.url()), '1')).status).toBe(201);
    sim.stop('+16514737960'); // both lists end; only the marketing removal is registered
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID); // an addition: not registered
    await sim.callbacksIdle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.bodies()[0]).toMatchObject({
      callback_type: 'subscription_removed',
      subscription: { subscription_list: { id: MARKETING_LIST_ID }, person: { mobile_phone: { mdn: '6514737960' } } },
    });
  });

  it('start and end dates bound what a registration receives', async () => {
    await startSim();
    await api('POST', `${CO}/config/callbacks/`, registration('subscription_added', MARKETING_LIST_ID, receiver.url('/future'), { start_date: '2026-02-01' }));
    await api('POST', `${CO}/config/callbacks/`, registration('subscription_added', ACCOUNT_LIST_ID, receiver.url('/today'), { end_date: '2026-01-15' }));
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    sim.subscribe({ personKey: john.personKey }, ACCOUNT_LIST_ID);
    await sim.callbacksIdle();
    expect(receiver.received.map((r) => r.path)).toEqual(['/today']);
    clockMs = Date.UTC(2026, 0, 16);
    sim.subscribe({ personKey: prospect.personKey }, ACCOUNT_LIST_ID);
    sim.stop('+18012364481', MARKETING_LIST_ID);
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    await sim.callbacksIdle();
    expect(receiver.received.map((r) => r.path)).toEqual(['/today']);
    clockMs = Date.UTC(2026, 1, 1);
    sim.subscribe({ mdn: '+16125550187' }, MARKETING_LIST_ID);
    await sim.callbacksIdle();
    expect(receiver.received.map((r) => r.path)).toEqual(['/today', '/future']);
  });

  it('destination method PUT and content type text/json are honoured', async () => {
    await startSim();
    await api('POST', `${CO}/config/callbacks/`, {
      callback_type: 'subscription_added',
      subscription_added: { list_id: MARKETING_LIST_ID },
      destination: { url: receiver.url(), method: 'PUT', content_type: 'text/json' },
    });
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    await sim.waitForDeliveries(1);
    expect(receiver.received[0]).toMatchObject({ method: 'PUT', contentType: 'text/json' });
  });

  it('the payload is the state when the event happened, not when it is sent', async () => {
    await startSim({ callbackUrl: receiver.url() });
    sim.holdCallbacks();
    sim.subscribe({ personKey: prospect.personKey }, ACCOUNT_LIST_ID);
    expect((await api('PUT', `${CO}/mobiledb/persons/${prospect.personKey}`, { external_person_id: 'crm-late' })).status).toBe(200);
    sim.releaseCallbacks();
    await sim.waitForDeliveries(1);
    expect((receiver.bodies()[0]?.['subscription'] as Json)['person']).not.toHaveProperty('external_id');
  });

  it('POST /config/callback_events/test fires a test event to the registration; 404 without one', async () => {
    await startSim({ callbackUrl: receiver.url() });
    const fired = await api('POST', `${CO}/config/callback_events/test`, {
      callback_type: 'subscription_removed',
      subscription: { person: { id: grace.personId }, subscription_list: { id: ACCOUNT_LIST_ID } },
    });
    expect(fired.status).toBe(200);
    const eventId = (fired.json as Json)['event_id'] as string;
    expect(fired.json).toEqual({ message: 'Test subscription_removed callback queued.', event_id: eventId });
    await sim.waitForDeliveries(1);
    expect(receiver.bodies()[0]).toMatchObject({
      event_id: eventId,
      callback_type: 'subscription_removed',
      subscription: { person: { id: grace.personId, external_id: '1178' }, opt_out_reason: 'api_opt_out' },
    });
    // A test event changes nothing.
    expect(sim.subscriptionsOf(grace.personKey).every((s) => s.optOutDate === null)).toBe(true);
    const placeholder = await api('POST', `${CO}/config/callback_events/test`, {
      callback_type: 'subscription_added',
      subscription: { subscription_list: { id: MARKETING_LIST_ID } },
    });
    expect(placeholder.status).toBe(200);
    await sim.waitForDeliveries(2);
    expect((receiver.bodies()[1]?.['subscription'] as Json)['person']).toEqual({
      id: 'TESTPERSON01',
      person_key: '00000000-0000-4000-8000-000000000000',
      url: `${CO}/mobiledb/persons/TESTPERSON01`,
    });

    await control('DELETE', '/__sim/callbacks');
    const none = await api('POST', `${CO}/config/callback_events/test`, { callback_type: 'subscription_added', subscription: { subscription_list: { id: MARKETING_LIST_ID } } });
    expect(none.status).toBe(404);
    const bad = await api('POST', `${CO}/config/callback_events/test`, { callback_type: 'person_added' });
    expect(bad.status).toBe(422);
  });
});

describe('the delivery contract', () => {
  it('5xx is retried with exponential backoff until a 2xx; every attempt carries the same event and its number', async () => {
    await startSim({ callbackUrl: receiver.url() });
    receiver.plan(500, 503, 502);
    const record = sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    const log = await sim.waitForDeliveries(1, { outcome: 'delivered' });
    expect(log).toHaveLength(1);
    expect(sim.deliveries().map((e) => [e.attempt, e.status, e.outcome, e.retryInMs])).toEqual([
      [1, 500, 'retry', 1000],
      [2, 503, 'retry', 2000],
      [3, 502, 'retry', 4000],
      [4, 200, 'delivered', null],
    ]);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(receiver.bodies().map((b) => [b['event_id'], b['delivery_attempt']])).toEqual([
      [record.eventId, '1'],
      [record.eventId, '2'],
      [record.eventId, '3'],
      [record.eventId, '4'],
    ]);
  });

  it('the backoff is capped at maxDelayMs and delivery gives up after maxAttempts', async () => {
    await startSim({ callbackUrl: receiver.url(), callbacks: { retry: { baseDelayMs: 100, maxDelayMs: 250, maxAttempts: 4 } } });
    receiver.plan(500, 500, 500, 500, 500);
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    await sim.waitForDeliveries(1, { outcome: 'gave_up' });
    await sim.callbacksIdle();
    expect(sim.deliveries().map((e) => e.outcome)).toEqual(['retry', 'retry', 'retry', 'gave_up']);
    expect(sleeps).toEqual([100, 200, 250]);
    expect(receiver.received).toHaveLength(4);
  });

  it.each([400, 404, 410, 429])('a %i is permanent: one attempt, never retried', async (status) => {
    await startSim({ callbackUrl: receiver.url() });
    receiver.plan(status);
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    await sim.callbacksIdle();
    expect(sim.deliveries().map((e) => [e.attempt, e.status, e.outcome])).toEqual([[1, status, 'rejected']]);
    expect(receiver.received).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a 3xx and a network error (socket reset) are retried', async () => {
    await startSim({ callbackUrl: receiver.url() });
    receiver.plan(302, 'reset');
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    await sim.waitForDeliveries(1, { outcome: 'delivered' });
    expect(sim.deliveries().map((e) => [e.attempt, e.status, e.error, e.outcome])).toEqual([
      [1, 302, null, 'retry'],
      [2, 0, 'network', 'retry'],
      [3, 200, null, 'delivered'],
    ]);
  });

  it('an attempt the receiver never answers times out and is retried (the timeout is the only wait)', async () => {
    await startSim({ callbackUrl: receiver.url(), callbacks: { timeoutMs: 50 } });
    receiver.plan('hang');
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    await sim.waitForDeliveries(1, { outcome: 'delivered' });
    expect(sim.deliveries().map((e) => [e.attempt, e.status, e.error, e.outcome])).toEqual([
      [1, 0, 'timeout', 'retry'],
      [2, 200, null, 'delivered'],
    ]);
  });

  it('a refused connection is retried too, and never puts the URL or the body in the log', async () => {
    await startSim({ callbackUrl: 'http://127.0.0.1:1/closed', callbacks: { retry: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 2 } } });
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    const entries = await sim.waitForDeliveries(2);
    expect(entries.map((e) => [e.status, e.error, e.outcome])).toEqual([
      [0, 'network', 'retry'],
      [0, 'network', 'gave_up'],
    ]);
    const served = await control('GET', '/__sim/callbacks/deliveries');
    expect(JSON.stringify(served.json)).not.toMatch(/127\.0\.0\.1|18012364481|closed/);
    expect(Object.keys((served.json as Json[])[0] ?? {}).sort()).toEqual(
      ['seq', 'at', 'eventId', 'callbackId', 'type', 'attempt', 'copy', 'status', 'outcome', 'error', 'retryInMs'].sort(),
    );
  });

  it('duplicate: the next delivery goes out three times with identical bodies, the one after once', async () => {
    await startSim({ callbackUrl: receiver.url() });
    const set = await control('POST', '/__sim/callbacks/duplicate', { count: 1, copies: 3 });
    expect(set).toEqual({ status: 200, json: { remaining: 1, copies: 3 } });
    const first = sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    const second = sim.subscribe({ personKey: john.personKey }, ACCOUNT_LIST_ID);
    await sim.waitForDeliveries(4);
    expect(receiver.bodies().map((b) => b['event_id'])).toEqual([first.eventId, first.eventId, first.eventId, second.eventId]);
    expect(new Set(receiver.received.slice(0, 3).map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(sim.deliveries().map((e) => e.copy)).toEqual([1, 2, 3, 1]);
    expect((await control('POST', '/__sim/callbacks/duplicate', { copies: 5 })).status).toBe(400);
  });

  it('reorder: held deliveries are not sent, then released newest first', async () => {
    await startSim({ callbackUrl: receiver.url() });
    expect((await control('POST', '/__sim/callbacks/hold')).status).toBe(204);
    const a = sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    const b = sim.subscribe({ personKey: john.personKey }, ACCOUNT_LIST_ID);
    const [c] = sim.stop('+16514737960', MARKETING_LIST_ID);
    await sim.callbacksIdle();
    expect(receiver.received).toHaveLength(0);
    expect(await control('GET', '/__sim/callbacks')).toMatchObject({ json: { holding: true, held: 3 } });
    expect(await control('POST', '/__sim/callbacks/release?order=reverse')).toEqual({ status: 200, json: { released: 3 } });
    await sim.waitForDeliveries(3);
    expect(receiver.bodies().map((x) => [x['event_id'], x['callback_type']])).toEqual([
      [c?.eventId, 'subscription_removed'],
      [b.eventId, 'subscription_added'],
      [a.eventId, 'subscription_added'],
    ]);
    // Released means no longer holding: the next one goes straight out.
    sim.subscribe({ personKey: prospect.personKey }, ACCOUNT_LIST_ID);
    await sim.waitForDeliveries(4);
    expect((await control('POST', '/__sim/callbacks/release?order=sideways')).status).toBe(400);
  });

  it('a removal held back and released first arrives before its addition (the receiver must order by dates)', async () => {
    await startSim({ callbackUrl: receiver.url() });
    sim.holdCallbacks();
    const added = sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    clockMs = START + 1000;
    sim.stop('+18012364481', MARKETING_LIST_ID);
    expect(sim.releaseCallbacks('reverse')).toBe(2);
    await sim.waitForDeliveries(2);
    expect(receiver.bodies().map((x) => [x['event_id'], x['callback_type'], x['event_date']])).toEqual([
      [added.eventId, 'subscription_removed', '2026-01-15T12:00:01Z'],
      [added.eventId, 'subscription_added', '2026-01-15T12:00:00Z'],
    ]);
  });
});

describe('callback controls', () => {
  it('PUT /__sim/callbacks registers both types on every list (v1 or v2); DELETE removes them', async () => {
    await startSim();
    const put = await control('PUT', '/__sim/callbacks', { url: receiver.url(), version: 1 });
    expect(put.status).toBe(200);
    const regs = (put.json as { registrations: Json[] }).registrations;
    expect(regs.map((r) => [r['callback_type'], (r[r['callback_type'] as string] as Json)['list_id'], r['api_version']])).toEqual([
      ['subscription_added', MARKETING_LIST_ID, 1],
      ['subscription_removed', MARKETING_LIST_ID, 1],
      ['subscription_added', ACCOUNT_LIST_ID, 1],
      ['subscription_removed', ACCOUNT_LIST_ID, 1],
    ]);
    // The vendor API sees the same registrations.
    expect(((await api('GET', `${CO}/config/callbacks`)).json as Json[]).length).toBe(4);
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    await sim.waitForDeliveries(1);
    expect((receiver.bodies()[0]?.['subscription'] as Json)['person']).toMatchObject({ mobile_phone: { mdn: '8012364481' } });

    expect((await control('PUT', '/__sim/callbacks', { url: 'not a url' })).status).toBe(400);
    expect((await control('PUT', '/__sim/callbacks', { url: receiver.url(), version: 3 })).status).toBe(400);
    expect((await control('DELETE', '/__sim/callbacks')).status).toBe(204);
    expect(sim.registrations()).toEqual([]);
  });

  it('the delivery log over HTTP, filtered, and cleared', async () => {
    await startSim({ callbackUrl: receiver.url() });
    const a = sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    sim.stop('+16514737960', ACCOUNT_LIST_ID);
    await sim.waitForDeliveries(2);
    const byEvent = await control('GET', `/__sim/callbacks/deliveries?eventId=${a.eventId}`);
    expect((byEvent.json as Json[]).map((e) => e['type'])).toEqual(['subscription_added']);
    const removed = await control('GET', '/__sim/callbacks/deliveries?type=subscription_removed&outcome=delivered');
    expect((removed.json as Json[]).map((e) => e['eventId'])).toEqual(['G5HC8N2RW4PZ']);
    expect((await control('GET', '/__sim/callbacks/deliveries?outcome=lost')).status).toBe(400);
    expect((await control('DELETE', '/__sim/callbacks/deliveries')).status).toBe(204);
    expect(sim.deliveries()).toEqual([]);
  });

  it('resetData drops held deliveries and restores the start-up registrations', async () => {
    await startSim({ callbackUrl: receiver.url() });
    const startup = sim.registrations().map((r) => r.callbackId);
    await control('DELETE', '/__sim/callbacks');
    await api('POST', `${CO}/config/callbacks/`, registration('subscription_added', MARKETING_LIST_ID, receiver.url('/mine')));
    sim.holdCallbacks();
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    expect((await control('POST', '/__sim/data/reset')).status).toBe(204);
    expect(sim.registrations().map((r) => r.callbackId)).toEqual(startup);
    expect(await control('GET', '/__sim/callbacks')).toMatchObject({ json: { holding: false, held: 0 } });
    sim.subscribe({ personKey: marcus.personKey }, MARKETING_LIST_ID);
    await sim.waitForDeliveries(1);
    await sim.callbacksIdle();
    expect(receiver.received.map((r) => r.path)).toEqual([HOOK_PATH]);
  });

  it('POST /__sim/subscriptions validates its input', async () => {
    await startSim({ callbackUrl: receiver.url() });
    expect((await control('POST', '/__sim/subscriptions', { personKey: grace.personKey, listId: MARKETING_LIST_ID })).status).toBe(409);
    expect((await control('POST', '/__sim/subscriptions', { personKey: SEEDED_PERSONS.tomas.personKey, listId: MARKETING_LIST_ID })).status).toBe(422);
    expect((await control('POST', '/__sim/subscriptions', { personKey: 'nobody', listId: MARKETING_LIST_ID })).status).toBe(404);
    expect((await control('POST', '/__sim/subscriptions', { mdn: '+16125550187', listId: '1' })).status).toBe(404);
    expect((await control('POST', '/__sim/subscriptions', { listId: MARKETING_LIST_ID })).status).toBe(400);
    expect((await control('POST', '/__sim/subscriptions', [1])).status).toBe(400);
    await sim.callbacksIdle();
    expect(receiver.received).toHaveLength(0);
  });
});
