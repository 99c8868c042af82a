/**
 * ctx.loanpro.phonesWithNumber / customersWithNumber over real HTTP against the LoanPro simulator, through the
 * connection and request face the gateway builds (`forRequest` with a real OperationBudget): the lookups of one
 * request batch into one Phones call (the simulator's request log), the Autopal.Search fallback when LoanPro
 * deprecates the collection, and the unhappy paths: a failing chunk, an unreadable phone record, LoanPro down.
 * No GraphQL field uses these yet (PhoneLookup.customers comes on top).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../../src/config/env.js';
import { parseLoanProConfig } from '../../../src/datasources/loanpro/loanpro.config.js';
import { connectLoanPro } from '../../../src/datasources/loanpro/loanpro.connect.js';
import type { LoanProService } from '../../../src/datasources/loanpro/loanpro.service.js';
import type { VendorConnection } from '../../../src/datasources/vendor.js';
import { BadUserInputError, VendorError } from '../../../src/errors/errors.js';
import { OperationBudget } from '../../../src/server/operation-budget.js';
import { loanProSimulatorHooks } from '../../../src/simulators/loanpro/loanpro.hooks.js';
import type { LoanProSimulator } from '../../../src/simulators/loanpro/loanpro.simulator.js';
import { openStore, type Store } from '../../../src/store/store.js';
import { startProxy, type ProxyDecision, type TestProxy } from '../../helpers/proxy.js';

const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const SHARED = { production: false, upstreamTimeoutMs: 2000 };
const PHONES_PATH = '/api/public/api/1/odata.svc/Phones';
const SEARCH_PATH = '/api/public/api/1/Customers/Autopal.Search()';

let sim: LoanProSimulator;
let store: Store;
let dataDir: string;
const open: Array<VendorConnection<LoanProService> | TestProxy> = [];

beforeAll(async () => {
  sim = await loanProSimulatorHooks.start();
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-lp-holders-'));
  store = await openStore({ databaseUrl: undefined, dataDir });
});
afterAll(async () => {
  await sim.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  sim.resetData();
  sim.resetFaults();
  sim.setBehaviour({ filterOr: 'supported', collectionAccess: 'allowed', phonesCollection: 'allowed' });
  sim.requestLog.clear();
});
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

/** A process-lived connection, as the gateway makes it at boot (its own client: batching state starts fresh). */
async function connect(env: Env = {}): Promise<VendorConnection<LoanProService>> {
  const connection = await connectLoanPro(parseLoanProConfig({ ...loanProSimulatorHooks.gatewayEnv(sim), ...env }, SHARED), {
    logger,
    region: 'US',
    store,
  });
  open.push(connection);
  return connection;
}

/** One GraphQL operation's request face, built as app.ts builds it. */
function operation(connection: VendorConnection<LoanProService>, maxIds = 100): LoanProService {
  return connection.forRequest({
    requestId: 'test',
    caller: { principal: 'test', scopes: new Set() } as never,
    logger,
    signal: new AbortController().signal,
    budget: new OperationBudget(maxIds),
  });
}

const calls = () => sim.requestLog.entries().map((e) => `${e.method} ${e.path} ${e.status}`);
const ids = (list: ReadonlyArray<{ id: string }>) => list.map((x) => x.id);

describe('phonesWithNumber and customersWithNumber', () => {
  it('batches every lookup of one operation into one Phones call, and maps phones with customerId and SBT flags', async () => {
    const loanpro = operation(await connect());
    const [primary, secondary, unknown, customers] = await Promise.all([
      loanpro.phonesWithNumber('+16514737960'),
      loanpro.phonesWithNumber('+18662506066'),
      loanpro.phonesWithNumber('+14155550100'),
      loanpro.customersWithNumber('+16514737960'),
    ]);
    expect(calls()).toEqual([`GET ${PHONES_PATH} 200`, 'GET /api/public/api/1/odata.svc/Customers(1178) 200']);
    expect(primary.primaryOnly).toBe(false);
    expect(primary.phones).toHaveLength(1);
    expect(primary.phones[0]).toMatchObject({
      id: 'loanpro:803',
      number: '+16514737960',
      customerId: '1178',
      sbt: { account: { verified: true, pending: false }, marketing: { verified: true, pending: false } },
    });
    // Found as a secondary phone too: the collection holds every phone.
    expect(secondary).toMatchObject({ primaryOnly: false, phones: [{ id: 'loanpro:739', customerId: '1121', isPrimary: false }] });
    expect(unknown).toEqual({ phones: [], primaryOnly: false });
    expect(ids(customers)).toEqual(['1178']);
    expect(customers[0]!.phones!.find((p) => p.vendorId === '803')!.customerId).toBe('1178');

    // Another operation has its own loaders: it asks again.
    await operation(await connect()).phonesWithNumber('+16514737960');
    expect(calls().filter((c) => c.startsWith(`GET ${PHONES_PATH}`))).toHaveLength(2);
  });

  it('lists every customer holding the number, by id, read in one batch; a deleted customer is left out', async () => {
    // LoanPro warns on a number another customer holds; __ignoreWarnings lets it through.
    const put = await request(`${sim.baseUrl}/odata.svc/Customers(555)`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sim.apiToken}`, 'autopal-instance-id': sim.instanceId, 'content-type': 'application/json' },
      body: JSON.stringify({ __ignoreWarnings: true, Phones: { results: [{ phone: '6514737960' }] } }),
    });
    expect(put.statusCode).toBe(200);
    await put.body.dump();
    sim.requestLog.clear();
    const loanpro = operation(await connect());
    const customers = await loanpro.customersWithNumber('+16514737960');
    expect(ids(customers)).toEqual(['555', '1178']);
    expect(calls()).toEqual([`GET ${PHONES_PATH} 200`, 'GET /api/public/api/1/odata.svc/Customers() 200']);
    // 7732190846 is the primary phone of the soft-deleted customer 1254: LoanPro no longer returns it.
    expect(await loanpro.customersWithNumber('+17732190846')).toEqual([]);
  });

  it('refuses a number that is not E.164 before any call, and takes the operation budget per lookup', async () => {
    const loanpro = operation(await connect(), 1);
    await expect(loanpro.phonesWithNumber('6514737960')).rejects.toBeInstanceOf(BadUserInputError);
    await loanpro.phonesWithNumber('+16514737960');
    await expect(loanpro.phonesWithNumber('+18662506066')).rejects.toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect(calls()).toEqual([`GET ${PHONES_PATH} 200`]);
  });

  it("searches a foreign number in the spelling the gateway writes it (E.164), LoanPro's phone field holding it", async () => {
    const loanpro = operation(await connect());
    const updated = await loanpro.updateCustomer('1251', { phones: [{ number: '+442079460958', isPrimary: true }] } as never);
    const written = updated.phones!.find((p) => p.number === '+442079460958')!;
    expect(written.raw).toBe('+442079460958');
    const found = await operation(await connect()).phonesWithNumber('+442079460958');
    expect(found.phones.map((p) => p.id)).toEqual([written.id]);
  });
});

describe('when LoanPro refuses the Phones collection', () => {
  it('410: finds customers by primary phone through Autopal.Search, says primaryOnly, and keeps searching until the re-probe', async () => {
    sim.setBehaviour({ phonesCollection: 'deprecated' });
    const connection = await connect();
    const loanpro = operation(connection);
    const [primary, secondary, customers] = await Promise.all([
      loanpro.phonesWithNumber('+16514737960'),
      loanpro.phonesWithNumber('+18662506066'),
      loanpro.customersWithNumber('+16514737960'),
    ]);
    expect(calls()).toEqual([
      `GET ${PHONES_PATH} 410`,
      `POST ${SEARCH_PATH} 200`,
      'GET /api/public/api/1/odata.svc/Customers(1178) 200',
    ]);
    expect(primary).toMatchObject({ primaryOnly: true, phones: [{ id: 'loanpro:803', customerId: '1178', sbt: { account: { verified: true } } }] });
    // 8662506066 is only 1121's secondary phone: the search on primary phones cannot see it, and says so.
    expect(secondary).toEqual({ phones: [], primaryOnly: true });
    expect(ids(customers)).toEqual(['1178']);

    sim.requestLog.clear();
    await operation(connection).phonesWithNumber('+12124467013');
    expect(calls()).toEqual([`POST ${SEARCH_PATH} 200`, 'GET /api/public/api/1/odata.svc/Customers(555) 200']);
  });

  it("an or-filter LoanPro refuses (409) switches to the search too", async () => {
    sim.setBehaviour({ filterOr: 'rejected' });
    const loanpro = operation(await connect());
    const [a, b] = await Promise.all([loanpro.phonesWithNumber('+16514737960'), loanpro.phonesWithNumber('+12124467013')]);
    expect(calls().slice(0, 2)).toEqual([`GET ${PHONES_PATH} 409`, `POST ${SEARCH_PATH} 200`]);
    expect([a.primaryOnly, a.phones.map((p) => p.id), b.phones.map((p) => p.id)]).toEqual([true, ['loanpro:803'], ['loanpro:178']]);
  });
});

describe('unhappy paths', () => {
  /** A proxy in front of the simulator; `decide` sees the decoded path and query. */
  async function proxied(decide: (url: string) => ProxyDecision, env: Env = {}): Promise<LoanProService> {
    const proxy = await startProxy(sim.url, (req) => decide(req.url));
    open.push(proxy);
    return operation(await connect({ LOANPRO_BASE_URL: `${proxy.origin}/api/public/api/1`, ...env }));
  }

  it('a chunk that fails fails only the numbers it carried', async () => {
    const loanpro = await proxied(
      (url) => (url.startsWith(PHONES_PATH) && url.includes("'8662506066'") ? { status: 422, body: { error: { message: 'no', type: 'ODataException', code: 422 } } } : 'forward'),
      { LOANPRO_BATCH_SIZE: '1' },
    );
    const [ok, failed] = await Promise.allSettled([loanpro.phonesWithNumber('+16514737960'), loanpro.phonesWithNumber('+18662506066')]);
    expect(ok).toMatchObject({ status: 'fulfilled', value: { phones: [{ id: 'loanpro:803' }] } });
    expect(failed).toMatchObject({ status: 'rejected', reason: { extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' } } });
    expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(VendorError);
  });

  it('an unreadable phone record fails the lookup of its number (never a silent partial answer), not the others', async () => {
    const loanpro = await proxied((url) =>
      url.startsWith(PHONES_PATH) && url.includes("'8662506066'")
        ? { status: 200, body: { d: { results: [{ id: 739, phone: '8662506066' }], summary: { start: 0, pageSize: 50 } } } }
        : 'forward',
      { LOANPRO_BATCH_SIZE: '1' },
    );
    const [ok, unreadable] = await Promise.allSettled([loanpro.phonesWithNumber('+16514737960'), loanpro.phonesWithNumber('+18662506066')]);
    expect(ok).toMatchObject({ status: 'fulfilled', value: { phones: [{ id: 'loanpro:803' }] } });
    expect(unreadable).toMatchObject({ status: 'rejected', reason: { extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' } } });
    expect(String((unreadable as PromiseRejectedResult).reason.message)).not.toMatch(/\d{7}/);
  });

  it('LoanPro down: both methods throw a catalogued LOANPRO error that names no number', async () => {
    sim.setFaults({ errorRate: 1, errorStatus: 503 });
    const loanpro = operation(await connect());
    for (const call of [loanpro.phonesWithNumber('+16514737960'), loanpro.customersWithNumber('+18662506066')]) {
      const err = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(VendorError);
      expect(err).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' } });
      expect(String((err as Error).message)).not.toMatch(/\d{7}|simnang|127\.0\.0\.1/);
    }
  });

  it('the search fallback failing fails the lookup too', async () => {
    sim.setBehaviour({ phonesCollection: 'deprecated' });
    sim.setFaults({ errorRate: 1, errorStatus: 500, routes: 'Autopal' });
    await expect(operation(await connect()).phonesWithNumber('+16514737960')).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' } });
    expect(calls()[0]).toBe(`GET ${PHONES_PATH} 410`);
  });
});
