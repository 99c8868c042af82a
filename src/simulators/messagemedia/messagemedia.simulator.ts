/**
 * The MessageMedia (Sinch) Dedicated Numbers API simulator. The API lives under /v1/messaging/numbers/dedicated
 * and the gateway's MESSAGEMEDIA_BASE_URL is the bare origin (simulator.baseUrl === simulator.url). Faithful to
 * vendor-apis.md section 2 and seed 001_90a91e3bcc51e662.txt; inferred choices are marked where they are made.
 */
import { createRouter } from '../framework/router.js';
import type { FaultOptions } from '../framework/faults.js';
import { isPlainObject } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import { createSimulatorServer } from '../framework/server.js';
import type { SimSleeper, SimulatorServer } from '../framework/server.js';
import { vendorSimulator, type VendorSimulatorBase } from '../framework/vendor-simulator.js';
import { authenticate } from './messagemedia.auth.js';
import { BehaviourError, mergeBehaviour } from './messagemedia.behaviour.js';
import { invalidCredentials, messageForStatus, messageMediaErrorResponder, mmError, noCredentials } from './messagemedia.errors.js';
import { DEFAULT_BEHAVIOUR, DEFAULT_MAX_PAGE_SIZE } from './messagemedia.model.js';
import type {
  Capability,
  MessageMediaBehaviour,
  MessageMediaSeedData,
  NumberState,
  NumberType,
  StoredAssignment,
  StoredNumber,
} from './messagemedia.model.js';
import { registerDedicatedNumberRoutes } from './messagemedia.routes.js';
import type { MessageMediaContext } from './messagemedia.routes.js';
import { defaultMessageMediaSeed } from './messagemedia.seed.js';
import { MessageMediaStore } from './messagemedia.store.js';

/** Public constants: the simulator is a local dev tool, these are not secrets. */
export const DEFAULT_MESSAGEMEDIA_API_KEY = 'sim-messagemedia-key';
export const DEFAULT_MESSAGEMEDIA_API_SECRET = 'sim-messagemedia-secret';

export interface MessageMediaSimulatorOptions {
  /** HTTP Basic user name (default 'sim-messagemedia-key'). */
  readonly apiKey?: string;
  /** HTTP Basic password (default 'sim-messagemedia-secret'). */
  readonly apiSecret?: string;
  /** Starting data (default: the seeded inventory, see messagemedia.seed.ts). */
  readonly seed?: MessageMediaSeedData;
  readonly behaviour?: Partial<MessageMediaBehaviour>;
  /** Largest accepted page_size (default 100; inferred, the vendor's maximum is UNKNOWN). */
  readonly maxPageSize?: number;
  /** Baseline latency and faults (the framework's settings). */
  readonly faults?: FaultOptions;
  /** Seed of the fault PRNG (random when omitted). */
  readonly faultSeed?: number;
  /** How injected latency waits (default: a timer); tests pass one that returns at once. */
  readonly sleep?: SimSleeper;
  /** Clock deciding which numbers are available (epoch ms; default Date.now). */
  readonly now?: () => number;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly logCapacity?: number;
}

/** Which numbers findNumberIds() returns. */
export interface NumberQuery {
  readonly state?: NumberState;
  readonly country?: string;
  readonly capability?: Capability;
  readonly type?: NumberType;
  /** At most this many ids (default: all). */
  readonly limit?: number;
}

export interface MessageMediaNumberSnapshot extends StoredNumber {
  readonly state: NumberState;
}

/** The shared members (start, close, url, baseUrl, request log, faults) come from VendorSimulatorBase. */
export interface MessageMediaSimulator extends VendorSimulatorBase<'messagemedia'> {
  readonly apiKey: string;
  /** The HTTP Basic password it accepts: for the gateway's environment in tests and demo mode (never printed). */
  readonly apiSecret: string;
  getBehaviour(): Readonly<MessageMediaBehaviour>;
  /** Merge validated settings (throws BehaviourError); returns the result. */
  setBehaviour(patch: Partial<MessageMediaBehaviour>): Readonly<MessageMediaBehaviour>;
  /** Replace the clock (epoch ms). */
  setClock(now: () => number): void;
  /** The simulator's current time (epoch ms). */
  now(): number;
  /** A detached copy of a number with its current state. */
  getNumber(id: string): MessageMediaNumberSnapshot | undefined;
  /** The account's assignment of a number (a detached copy), undefined when the account does not hold it. */
  getAssignment(numberId: string): StoredAssignment | undefined;
  /** Ids of the numbers assigned to the account, ascending. */
  assignedIds(): string[];
  /** Number ids (ascending) matching the query, e.g. `{ state: 'available', country: 'AU', capability: 'SMS', limit: 3 }`. */
  findNumberIds(query?: NumberQuery): string[];
  /** Numbers in the inventory. */
  inventorySize(): number;
  /** Back to the seeded data (faults and behaviour unchanged). */
  resetData(): void;
}

/** Spring answers 406 when Accept rules out JSON (every operation produces application/json;charset=UTF-8). */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    if (params.some((p) => /^q=0(?:\.0{0,3})?$/.test(p))) return false;
    return type === '*/*' || type === 'application/*' || type === 'application/json';
  });
}

export function createMessageMediaSimulator(options: MessageMediaSimulatorOptions = {}): MessageMediaSimulator {
  const credentials = {
    apiKey: options.apiKey ?? DEFAULT_MESSAGEMEDIA_API_KEY,
    apiSecret: options.apiSecret ?? DEFAULT_MESSAGEMEDIA_API_SECRET,
  };
  const maxPageSize = options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;
  if (!Number.isInteger(maxPageSize) || maxPageSize < 1) throw new RangeError('maxPageSize must be a positive integer');
  const store = new MessageMediaStore(options.seed ?? defaultMessageMediaSeed());
  const behaviour: MessageMediaBehaviour = mergeBehaviour(DEFAULT_BEHAVIOUR, { ...(options.behaviour ?? {}) });
  let clock: () => number = options.now ?? Date.now;

  const setBehaviour = (patch: Readonly<Record<string, unknown>>): Readonly<MessageMediaBehaviour> => {
    Object.assign(behaviour, mergeBehaviour(behaviour, patch));
    return { ...behaviour };
  };

  const ctx: MessageMediaContext = { store, behaviour, now: () => clock(), maxPageSize };
  const router = createRouter();
  registerDedicatedNumberRoutes(router, ctx);

  // The vendor's API gateway authenticates before anything is routed (so an unknown path without credentials is
  // a 401 too), then Spring checks the Accept header.
  const handler = (req: SimRequest): SimResponse | Promise<SimResponse> => {
    const auth = authenticate(req, credentials);
    if (auth === 'missing') return noCredentials();
    if (auth === 'invalid') return invalidCredentials();
    if (!acceptsJson(req.header('accept'))) return mmError(406, messageForStatus(406));
    return router.dispatch(req);
  };

  // Vendor-specific control routes (no auth, not logged, never faulted):
  //   POST /__sim/data/reset    back to the seeded inventory and assignments
  //   GET  /__sim/behaviour     the switches (see MessageMediaBehaviour)
  //   PUT  /__sim/behaviour     merge e.g. {"patchAssignmentStatus": 204}
  const control = createRouter();
  control.add('POST', /^\/__sim\/data\/reset$/, () => {
    store.reset();
    return { status: 204 };
  });
  control.add('GET', /^\/__sim\/behaviour$/, () => ({ status: 200, json: { ...behaviour } }));
  control.add('PUT', /^\/__sim\/behaviour$/, async (req) => {
    const body = await req.readJson();
    if (!isPlainObject(body)) return { status: 400, json: { error: 'body must be a JSON object' } };
    try {
      return { status: 200, json: setBehaviour(body) };
    } catch (err) {
      if (err instanceof BehaviourError) return { status: 400, json: { error: err.message } };
      throw err;
    }
  });

  const server: SimulatorServer = createSimulatorServer({
    name: 'messagemedia',
    handler,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    logCapacity: options.logCapacity ?? 10_000,
    faults: options.faults ?? {},
    ...(options.faultSeed === undefined ? {} : { seed: options.faultSeed }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    errorResponder: messageMediaErrorResponder,
    controlRoutes: control,
  });


  const findNumberIds = (query: NumberQuery = {}): string[] => {
    const now = clock();
    const out: string[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    for (const n of store.numbers()) {
      if (out.length >= limit) break;
      if (query.state !== undefined && store.state(n, now) !== query.state) continue;
      if (query.country !== undefined && n.country !== query.country.toUpperCase()) continue;
      if (query.capability !== undefined && !n.capabilities.includes(query.capability)) continue;
      if (query.type !== undefined && n.type !== query.type) continue;
      out.push(n.id);
    }
    return out;
  };

  return vendorSimulator<MessageMediaSimulator>(server, { name: 'messagemedia', displayName: 'MessageMedia' }, {
    apiKey: credentials.apiKey,
    apiSecret: credentials.apiSecret,
    getBehaviour: () => ({ ...behaviour }),
    setBehaviour: (patch) => setBehaviour({ ...patch }),
    setClock(now: () => number): void {
      clock = now;
    },
    now: () => clock(),
    getNumber(id: string): MessageMediaNumberSnapshot | undefined {
      const n = store.number(id);
      return n === undefined ? undefined : { ...n, capabilities: [...n.capabilities], state: store.state(n, clock()) };
    },
    getAssignment: (numberId: string) => store.snapshotAssignment(numberId),
    assignedIds: () => store.assignedNumbers().map((n) => n.id),
    findNumberIds,
    inventorySize: () => store.size(),
    resetData: () => store.reset(),
  });
}
