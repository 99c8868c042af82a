/**
 * The Vibes Mobile Engagement Platform simulator (persons, subscription lists, subscriptions, callbacks),
 * faithful to vendor-apis.md section 3 and seed 004_a14d1ced807a3306.txt (the seed wins). Paths start with
 * /companies/{company_key}/...; the gateway's VIBES_BASE_URL is the bare origin (simulator.baseUrl === url).
 *
 * Request handling (inferred order): HTTP Basic auth (401 `{"errors": …}` + WWW-Authenticate, also for unknown
 * paths), then `X-API-Version` (absent = 1; not 1 or 2 = 400), then the company key (another one = 404, like any
 * unknown id), then `Content-Type: application/json` on POST/PUT (else 415), then the route.
 *
 * Every subscription change (the API's opt-out and add-participant, the control routes' keyword opt-in and
 * texted STOP, the test methods) goes through the store, whose listener publishes a callback event to every
 * matching registration; the delivery engine (vibes.delivery.ts) sends them with Vibes' retry contract.
 */
import { pickFaultOptions, type FaultOptions } from '../framework/faults.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import { createRouter } from '../framework/router.js';
import { createSimulatorServer } from '../framework/server.js';
import type { SimSleeper, SimulatorServer } from '../framework/server.js';
import { vendorSimulator, type VendorSimulatorBase } from '../framework/vendor-simulator.js';
import { authenticate } from '../messagemedia/messagemedia.auth.js';
import { mergeBehaviour } from './vibes.behaviour.js';
import { registerCallbackApiRoutes } from './vibes.callback-api.js';
import { eventDate, subscriptionEvent } from './vibes.callback-payload.js';
import { CallbackRegistry } from './vibes.callback-registry.js';
import type { CallbackRegistration, DestinationMethod } from './vibes.callback-registry.js';
import type { VibesContext } from './vibes.context.js';
import { createControlRoutes } from './vibes.control.js';
import {
  CallbackDispatcher,
  createHttpTransport,
  DEFAULT_DELIVERY_TIMEOUT_MS,
  DEFAULT_RETRY_POLICY,
  validateRetryPolicy,
} from './vibes.delivery.js';
import type { CallbackTransport, DeliveryFilter, DeliveryLogEntry, DuplicateSetting, ReleaseOrder, RetryPolicy } from './vibes.delivery.js';
import { BAD_VERSION_MESSAGE, notFound, unauthorized, UNSUPPORTED_MEDIA_TYPE_MESSAGE, vibesError, vibesErrorResponder } from './vibes.errors.js';
import { VibesIds } from './vibes.ids.js';
import { registerListRoutes } from './vibes.lists.js';
import { anyMdn, parseApiVersion } from './vibes.mdn.js';
import { DEFAULT_BEHAVIOUR } from './vibes.model.js';
import type { ApiVersion, StoredPerson, StoredSubscription, VibesBehaviour, VibesSeedData } from './vibes.model.js';
import { keywordSubscribe, registerEverywhere, textStop } from './vibes.operations.js';
import type { PersonTarget } from './vibes.operations.js';
import { registerPersonRoutes } from './vibes.persons.js';
import { ACCOUNT_LIST_ID, defaultVibesSeed, MARKETING_LIST_ID } from './vibes.seed.js';

const SEEDED_LIST_PURPOSES = `${MARKETING_LIST_ID}=MARKETING,${ACCOUNT_LIST_ID}=ACCOUNT`;
import { VibesStore } from './vibes.store.js';

/** Public constants: the simulator is a local dev tool, these are not secrets. */
export const DEFAULT_VIBES_USERNAME = 'sim-vibes';
export const DEFAULT_VIBES_PASSWORD = 'sim-vibes-password';
export const DEFAULT_VIBES_COMPANY_KEY = 'simco';
/**
 * The VIBES_CALLBACK_SECRET the test helper and `npm run simulators` hand a gateway pointed at this simulator (a
 * gateway with a Vibes base URL requires one). A public constant like the password: register callbacks to
 * `<gateway>/webhooks/vibes/<this>` (VIBES_SIM_CALLBACK_URL) to have them accepted.
 */
export const SIMULATOR_CALLBACK_SECRET = 'sim-vibes-callback-secret';

export interface VibesCallbackOptions {
  /** Backoff and attempts (defaults: 1 s doubling, at most 60 s, 6 attempts). */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout (default 5000 ms). */
  readonly timeoutMs?: number;
  /** How retry backoff waits (default a timer); tests pass one that returns at once. */
  readonly sleep?: SimSleeper;
  /** How an attempt is sent (default undici over loopback or the network). */
  readonly transport?: CallbackTransport;
}

export interface VibesSimulatorOptions {
  /** HTTP Basic user name (default 'sim-vibes'). */
  readonly username?: string;
  /** HTTP Basic password (default 'sim-vibes-password'). */
  readonly password?: string;
  /** The company_key every path carries (default 'simco'). */
  readonly companyKey?: string;
  /**
   * Registers subscription_added and subscription_removed for every list to this URL at start-up (and again on
   * resetData()), as a company does once in the Vibes UI.
   */
  readonly callbackUrl?: string;
  /** API version of that registration: its MDN spelling (default 2, E.164, what the gateway's client sends). */
  readonly callbackApiVersion?: ApiVersion;
  readonly callbacks?: VibesCallbackOptions;
  /** Starting data (default: the seeded mobile database, see vibes.seed.ts). */
  readonly seed?: VibesSeedData;
  readonly behaviour?: Partial<VibesBehaviour>;
  /** Baseline latency and faults (the framework's settings). */
  readonly faults?: FaultOptions;
  /** Seed of the fault PRNG (random when omitted). */
  readonly faultSeed?: number;
  /** How injected latency waits (default a timer). */
  readonly sleep?: SimSleeper;
  /** Clock for created/updated, opt-in/opt-out and event dates (epoch ms; default Date.now). */
  readonly now?: () => number;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly logCapacity?: number;
}

/** The shared members (start, close, url, baseUrl, request log, faults) come from VendorSimulatorBase. */
export interface VibesSimulator extends VendorSimulatorBase<'vibes'> {
  readonly store: VibesStore;
  readonly username: string;
  /** The accepted password, for a test helper's gateway env; never print it. */
  readonly password: string;
  readonly companyKey: string;
  /** The VIBES_LIST_PURPOSES the seeded lists stand for (`7001=MARKETING,7002=ACCOUNT`): demo mode uses it. */
  readonly listPurposes: string;
  getBehaviour(): Readonly<VibesBehaviour>;
  setBehaviour(patch: Partial<VibesBehaviour>): Readonly<VibesBehaviour>;
  setClock(now: () => number): void;
  now(): number;
  /** A detached copy, by person_key or person_id. */
  getPerson(keyOrId: string): StoredPerson | undefined;
  /** A detached copy of the person holding the MDN (E.164 or 10-digit US). */
  findPersonByMdn(mdn: string): StoredPerson | undefined;
  /** Every subscription record of the person (detached copies, oldest first); [] for an unknown person. */
  subscriptionsOf(keyOrId: string): StoredSubscription[];
  /** A keyword opt-in (throws when it cannot happen); a new MDN creates the person. Returns the new record. */
  subscribe(target: PersonTarget, listId: string): StoredSubscription;
  /** A texted STOP from this MDN: every active list, or one. Returns the ended records (none when not subscribed). */
  stop(mdn: string, listId?: string): StoredSubscription[];
  /** Register both subscription callbacks on every list to `url` (replacing the others). */
  setCallbackUrl(url: string, options?: { version?: ApiVersion; method?: DestinationMethod }): CallbackRegistration[];
  registrations(): CallbackRegistration[];
  /** The delivery log: one entry per attempt. */
  deliveries(filter?: DeliveryFilter): DeliveryLogEntry[];
  /** Resolves with the matching entries once at least `count` are logged (the test's timeout bounds the wait). */
  waitForDeliveries(count: number, filter?: DeliveryFilter): Promise<DeliveryLogEntry[]>;
  /** Resolves when no delivery is queued or in flight (held ones excepted). */
  callbacksIdle(): Promise<void>;
  holdCallbacks(): void;
  releaseCallbacks(order?: ReleaseOrder): number;
  duplicateNextCallbacks(count: number, copies?: number): DuplicateSetting;
  /** Back to the seeded data (faults and behaviour unchanged). */
  resetData(): void;
}

function isJsonContentType(req: SimRequest): boolean {
  const essence = req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  return essence === 'application/json';
}

export function createVibesSimulator(options: VibesSimulatorOptions = {}): VibesSimulator {
  const credentials = { apiKey: options.username ?? DEFAULT_VIBES_USERNAME, apiSecret: options.password ?? DEFAULT_VIBES_PASSWORD };
  const companyKey = options.companyKey ?? DEFAULT_VIBES_COMPANY_KEY;
  if (!/^[A-Za-z0-9_-]+$/.test(companyKey)) throw new RangeError('companyKey must be letters, digits, _ or -');
  let clock: () => number = options.now ?? Date.now;
  const now = (): number => clock();

  const ids = new VibesIds();
  const store = new VibesStore(options.seed ?? defaultVibesSeed(), ids);
  const registry = new CallbackRegistry(ids);
  const behaviour: VibesBehaviour = mergeBehaviour(DEFAULT_BEHAVIOUR, { ...(options.behaviour ?? {}) });
  const cb = options.callbacks ?? {};
  // The default transport owns a connection pool, closed with the simulator; an injected one is the caller's.
  let transport: CallbackTransport;
  let closeTransport = (): Promise<void> => Promise.resolve();
  if (cb.transport !== undefined) {
    transport = cb.transport;
  } else {
    const http = createHttpTransport();
    transport = http.send;
    closeTransport = () => http.close();
  }
  const dispatcher = new CallbackDispatcher({
    transport,
    retry: validateRetryPolicy({ ...DEFAULT_RETRY_POLICY, ...(cb.retry ?? {}) }),
    timeoutMs: cb.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    now,
    ...(cb.sleep === undefined ? {} : { sleep: cb.sleep }),
  });

  const ctx: VibesContext = {
    companyKey,
    store,
    registry,
    ids,
    behaviour,
    now,
    publish(event) {
      const targets = registry.matching(event.type, event.subscription.listId, eventDate(event));
      for (const registration of targets) dispatcher.enqueue(registration, event);
      return targets.length;
    },
  };
  store.onSubscriptionChange((type, record, person) => {
    ctx.publish(subscriptionEvent(type, record, person, companyKey));
  });

  const callbackApiVersion = options.callbackApiVersion ?? 2;
  const startupRegistrations = (): void => {
    registry.clear();
    if (options.callbackUrl !== undefined) registerEverywhere(ctx, options.callbackUrl, callbackApiVersion);
  };
  startupRegistrations();

  const resetData = (): void => {
    dispatcher.reset();
    store.reset();
    startupRegistrations();
  };
  const setBehaviour = (patch: Readonly<Record<string, unknown>>): Readonly<VibesBehaviour> => {
    Object.assign(behaviour, mergeBehaviour(behaviour, patch));
    return { ...behaviour };
  };

  const router = createRouter();
  registerPersonRoutes(router, ctx);
  registerListRoutes(router, ctx);
  registerCallbackApiRoutes(router, ctx);

  const companyPrefix = `/companies/${companyKey}/`;
  const handler = (req: SimRequest): SimResponse | Promise<SimResponse> => {
    if (authenticate(req, credentials) !== 'ok') return unauthorized();
    if (!parseApiVersion(req.header('x-api-version')).ok) return vibesError(400, BAD_VERSION_MESSAGE);
    if (!req.path.startsWith(companyPrefix)) return notFound();
    if ((req.method === 'POST' || req.method === 'PUT') && !isJsonContentType(req)) {
      return vibesError(415, UNSUPPORTED_MEDIA_TYPE_MESSAGE);
    }
    return router.dispatch(req);
  };

  const server: SimulatorServer = createSimulatorServer({
    name: 'vibes',
    handler,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    logCapacity: options.logCapacity ?? 10_000,
    faults: pickFaultOptions(options.faults ?? {}),
    ...(options.faultSeed === undefined ? {} : { seed: options.faultSeed }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    errorResponder: vibesErrorResponder,
    controlRoutes: createControlRoutes({ ctx, dispatcher, resetData, setBehaviour }),
  });

  const copyRecord = (s: StoredSubscription): StoredSubscription => ({ ...s });

  const sim = vendorSimulator<VibesSimulator>(server, { name: 'vibes', displayName: 'Vibes' }, {
    store,
    username: credentials.apiKey,
    password: credentials.apiSecret,
    companyKey,
    listPurposes: SEEDED_LIST_PURPOSES,
    resetData,
    getBehaviour: () => ({ ...behaviour }),
    setBehaviour: (patch) => setBehaviour({ ...patch }),
    setClock(next: () => number): void {
      clock = next;
    },
    now,
    getPerson: (keyOrId) => store.snapshotPerson(keyOrId),
    findPersonByMdn(mdn) {
      const e164 = anyMdn(mdn);
      const p = e164 === undefined ? undefined : store.personByMdn(e164);
      return p === undefined ? undefined : store.snapshotPerson(p.personId);
    },
    subscriptionsOf(keyOrId) {
      const p = store.person(keyOrId);
      return p === undefined ? [] : store.subscriptionsOf(p.personId).map(copyRecord);
    },
    subscribe(target, listId) {
      const outcome = keywordSubscribe(ctx, target, listId);
      if (outcome.kind !== 'subscribed') throw new Error(`cannot subscribe: ${outcome.kind}`);
      return copyRecord(outcome.record);
    },
    stop(mdn, listId) {
      const outcome = textStop(ctx, { mdn }, listId);
      if (outcome.kind !== 'stopped') throw new Error(`cannot stop: ${outcome.kind}`);
      return outcome.records.map(copyRecord);
    },
    setCallbackUrl: (url, opts = {}) => registerEverywhere(ctx, url, opts.version ?? 2, opts.method ?? 'POST'),
    registrations: () => registry.all(),
    deliveries: (filter) => dispatcher.deliveries(filter),
    waitForDeliveries: (count, filter) => dispatcher.waitForDeliveries(count, filter),
    callbacksIdle: () => dispatcher.idle(),
    holdCallbacks: () => dispatcher.hold(),
    releaseCallbacks: (order = 'fifo') => dispatcher.release(order),
    duplicateNextCallbacks: (count, copies = 2) => dispatcher.duplicateNext(count, copies),
  });
  // The delivery engine and its connection pool close with the server.
  const closeServer = sim.close;
  return Object.assign(sim, {
    async close(): Promise<void> {
      dispatcher.close();
      await Promise.all([closeServer(), closeTransport()]);
    },
  });
}
