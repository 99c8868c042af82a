/**
 * What the Vibes vendor provides the consent domain, against the simulator over real HTTP: the directory the inbox
 * processor reads persons and subscriptions through, and demo mode, where the embedded simulator's callbacks are
 * registered to the gateway once it listens (the test plays "listening" by calling registerCallbackUrl itself).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import type { VibesConsentDirectory } from '../../../src/consent/index.js';
import { connectVendors, type ConnectedVendor } from '../../../src/datasources/connect-vendors.js';
import { parseVibesConfig } from '../../../src/datasources/vibes/vibes.config.js';
import { connectVibes } from '../../../src/datasources/vibes/vibes.connect.js';
import type { VibesService } from '../../../src/datasources/vibes/vibes.service.js';
import type { ConnectDeps, ConsentCallbackProvision, VendorConnection } from '../../../src/datasources/vendor.js';
import { vibesSimulatorHooks } from '../../../src/simulators/vibes/vibes.hooks.js';
import { ACCOUNT_LIST_ID, MARKETING_LIST_ID, SEEDED_PERSONS } from '../../../src/simulators/vibes/vibes.seed.js';
import type { VibesSimulator } from '../../../src/simulators/vibes/vibes.simulator.js';
import { openStore, type Store } from '../../../src/store/store.js';

const { grace, marcus, tomas, john, prospect } = SEEDED_PERSONS;
const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const SHARED = { production: false, upstreamTimeoutMs: 2000 };
const live = () => new AbortController().signal;
const ref = (personKey: string | null, externalPersonId: string | null = null) => ({ personKey, externalPersonId });

function scope(signal = live()) {
  return { requestId: 'test', caller: { principal: 'test', scopes: new Set() }, logger, signal, budget: { takeIds: () => undefined } } as never;
}

describe('the Vibes consent directory, against the simulator', () => {
  let sim: VibesSimulator;
  let connection: VendorConnection<VibesService>;
  let callbacks: ConsentCallbackProvision;
  let directory: VibesConsentDirectory;
  let store: Store;
  let dataDir: string;

  beforeAll(async () => {
    sim = await vibesSimulatorHooks.start();
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-vibes-'));
    store = await openStore({ databaseUrl: undefined, dataDir });
    const env = { ...vibesSimulatorHooks.gatewayEnv(sim), VIBES_LIST_PURPOSES: '7001=MARKETING,7002=ACCOUNT', VIBES_CALLBACK_ALLOWED_IPS: '35.155.139.143, 2001:db8::/32' };
    const deps: ConnectDeps = { logger, region: 'US', store };
    connection = await connectVibes(parseVibesConfig(env, SHARED), deps);
    callbacks = connection.provides!.consentCallbacks!;
    directory = callbacks.directory;
  });
  afterAll(async () => {
    await connection.close();
    await sim.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    sim.resetData();
    sim.resetFaults();
    sim.requestLog.clear();
  });

  it('provides the callback settings from config: source, secret, allowlist, list purposes; no registration with a real Vibes', () => {
    expect(callbacks).toMatchObject({ source: 'vibes', secret: 'sim-vibes-callback-secret', allowedIps: ['35.155.139.143/32', '2001:db8::/32'] });
    expect(callbacks.listPurposes.purposeOf(ACCOUNT_LIST_ID)).toBe('ACCOUNT');
    expect(callbacks.listPurposes.purposeOf('7999')).toBe('MARKETING');
    expect(callbacks.registerCallbackUrl).toBeUndefined();
  });

  it("resolves a person's MDN by key, by the deprecated person_id, or by external id; null MDN when there is none", async () => {
    expect(await directory.resolvePerson(ref(grace.personKey), live())).toEqual({ mdn: grace.mdn });
    expect(await directory.resolvePerson(ref(marcus.personId), live())).toEqual({ mdn: marcus.mdn });
    expect(await directory.resolvePerson(ref(null, '555'), live())).toEqual({ mdn: john.mdn });
    expect(await directory.resolvePerson(ref(tomas.personKey, '1183'), live())).toEqual({ mdn: null });
    expect(sim.requestLog.entries().map((e) => e.path)).toEqual([
      `/companies/simco/mobiledb/persons/${grace.personKey}`,
      `/companies/simco/mobiledb/persons/${marcus.personId}`,
      '/companies/simco/mobiledb/persons/external/555',
      `/companies/simco/mobiledb/persons/${tomas.personKey}`,
    ]);
  });

  it('answers null for a person Vibes does not know (404), trying the external id when the key is unknown', async () => {
    expect(await directory.resolvePerson(ref('unknown-key', '1121'), live())).toEqual({ mdn: marcus.mdn });
    expect(await directory.resolvePerson(ref('unknown-key', 'unknown-external'), live())).toBeNull();
    // An id no path can carry is not there either, and costs no call.
    sim.requestLog.clear();
    expect(await directory.resolvePerson(ref('a/b', '../x'), live())).toBeNull();
    expect(sim.requestLog.entries()).toEqual([]);
  });

  it('throws when Vibes cannot answer, so the inbox row is retried and never dropped', async () => {
    sim.setFaults({ errorRate: 1, errorStatus: 503 });
    await expect(directory.resolvePerson(ref(grace.personKey), live())).rejects.toMatchObject({ vendor: 'VIBES', kind: 'http', status: 503 });
    await expect(directory.confirmSubscription({ ...ref(grace.personKey), number: grace.mdn }, MARKETING_LIST_ID, live())).rejects.toMatchObject({ vendor: 'VIBES' });
    sim.setFaults({ errorRate: 1, errorStatus: 401 });
    await expect(directory.resolvePerson(ref(grace.personKey), live())).rejects.toMatchObject({ status: 401 });
  });

  it('stops when its signal aborts (the worker shutting down), rather than answering', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(directory.resolvePerson(ref(grace.personKey), controller.signal)).rejects.toMatchObject({ kind: 'aborted' });
  });

  it("confirms a subscription only when the person's record on that list is active", async () => {
    const confirm = (personKey: string | null, externalPersonId: string | null, number: string, list: string) =>
      directory.confirmSubscription({ personKey, externalPersonId, number }, list, live());
    expect(await confirm(grace.personKey, null, grace.mdn, MARKETING_LIST_ID)).toBe(true);
    expect(await confirm(marcus.personId, null, marcus.mdn, MARKETING_LIST_ID)).toBe(false); // opted out
    expect(await confirm(null, '1121', marcus.mdn, ACCOUNT_LIST_ID)).toBe(true);
    expect(await confirm(john.personKey, '555', john.mdn, MARKETING_LIST_ID)).toBe(true); // a newer record after an opt-out
    expect(await confirm(tomas.personKey, null, '+16125550147', MARKETING_LIST_ID)).toBe(false); // never subscribed
    // A callback naming the person by neither id: the person holding the number.
    expect(await confirm(null, null, prospect.mdn, MARKETING_LIST_ID)).toBe(true);
    expect(await confirm('unknown-key', null, '+16125550147', MARKETING_LIST_ID)).toBe(false);
    sim.stop(grace.mdn, MARKETING_LIST_ID);
    expect(await confirm(grace.personKey, null, grace.mdn, MARKETING_LIST_ID)).toBe(false);
  });

  it('serves one request through forRequest against the same pool', async () => {
    const vibes = connection.forRequest(scope());
    expect((await vibes.personByExternalId('1178'))?.key).toBe(grace.personKey);
    expect((await vibes.personByMobile(marcus.mdn))?.externalId).toBe('1121');
    expect((await vibes.subscriptions(grace.personKey, { activeOnly: true })).map((s) => s.listId)).toEqual([MARKETING_LIST_ID, ACCOUNT_LIST_ID]);
  });
});

describe('demo mode: the embedded Vibes simulator, its callbacks registered to the gateway once it listens', () => {
  let connected: ConnectedVendor[];
  let store: Store;
  let dataDir: string;
  let receiver: Server;
  const received: Array<{ path: string; body: Record<string, unknown> }> = [];
  let arrived: (() => void) | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-vibes-demo-'));
    store = await openStore({ databaseUrl: undefined, dataDir });
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    connected = await connectVendors(config.vendors, { logger, region: 'US', store });
    receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(200).end();
        arrived?.();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const vendor of connected.reverse()) await vendor.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    received.length = 0;
  });

  const vibes = () => connected.find((v) => v.key === 'vibes')!;

  it('starts the simulator, and makes a random callback secret at boot when none is set', () => {
    const { simulator, connection } = vibes();
    expect(simulator?.name).toBe('vibes');
    const provision = connection.provides!.consentCallbacks!;
    expect(provision.secret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(provision.registerCallbackUrl).toEqual(expect.any(Function));
    const again = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir }).vendors.vibes.callbackSecret;
    expect(again).not.toBe(provision.secret);
  });

  it('registers the callback URL with the simulator: its subscription callbacks (E.164 MDNs) reach the gateway', async () => {
    const { simulator, connection } = vibes();
    const sim = simulator as VibesSimulator;
    const provision = connection.provides!.consentCallbacks!;
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/vibes/${provision.secret}`;
    await provision.registerCallbackUrl!(url);
    // Both subscription callbacks on each list, with API version 2.
    expect(sim.registrations().map((r) => [r.callbackType, r.listId, r.apiVersion]).sort()).toEqual(
      [
        ['subscription_added', MARKETING_LIST_ID, 2],
        ['subscription_added', ACCOUNT_LIST_ID, 2],
        ['subscription_removed', MARKETING_LIST_ID, 2],
        ['subscription_removed', ACCOUNT_LIST_ID, 2],
      ].sort(),
    );
    const delivered = new Promise<void>((resolve) => (arrived = resolve));
    sim.stop(grace.mdn, ACCOUNT_LIST_ID);
    await delivered;
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe(`/webhooks/vibes/${provision.secret}`);
    expect(received[0]!.body).toMatchObject({
      callback_type: 'subscription_removed',
      subscription: { person: { person_key: grace.personKey, mobile_phone: { mdn: grace.mdn } }, subscription_list: { id: ACCOUNT_LIST_ID }, opt_out_reason: 'user_opt_out' },
    });
    // Registering again (a restart of the listener) replaces, never doubles, the registrations.
    await provision.registerCallbackUrl!(url);
    expect(sim.registrations()).toHaveLength(4);
  });

  it('answers requests from the seeded data through the demo connection', async () => {
    const service = vibes().connection.forRequest(scope()) as VibesService;
    expect(await service.person({ externalId: '1178' })).toMatchObject({ key: grace.personKey, mobile: grace.mdn });
  });
});
