/**
 * The LoanPro (Simnang) LMS API simulator. Base path /api/public/api/1, so the gateway's LOANPRO_BASE_URL is
 * `<origin>/api/public/api/1` (simulator.baseUrl). Faithful to vendor-apis.md section 1 and the seeds, the SBT
 * opt-in flow included (loanpro.sbt.ts; its PINs are read back through /__sim/sbt, loanpro.sbt-control.ts).
 */
import { createRouter } from '../framework/router.js';
import type { Router } from '../framework/router.js';
import { pickFaultOptions, type FaultOptions } from '../framework/faults.js';
import { isPlainObject } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import { createSimulatorServer } from '../framework/server.js';
import { vendorSimulator, type VendorSimulatorBase } from '../framework/vendor-simulator.js';
import { registerCustomerRoutes } from './loanpro.customers.js';
import type { CollectionAccessMode, FilterOrMode, LoanProBehaviour, LoanProContext } from './loanpro.customers.js';
import { loanProError, loanProErrorResponder, unauthorized } from './loanpro.errors.js';
import { BASE_PATH } from './loanpro.model.js';
import type { LoanProCustomerRecord, LoanProSeedData, StoredPhone } from './loanpro.model.js';
import { registerPhoneRoutes } from './loanpro.phones.js';
import { registerSearchRoutes } from './loanpro.search.js';
import { registerSbtControlRoutes } from './loanpro.sbt-control.js';
import { DEFAULT_SBT_PIN_SEED, pinsOf, SbtState } from './loanpro.sbt-state.js';
import type { SbtPins, SbtSettings, SbtText, VerificationByText } from './loanpro.sbt-state.js';
import { registerSbtRoutes } from './loanpro.sbt.js';
import { defaultLoanProSeed } from './loanpro.seed.js';
import { LoanProStore } from './loanpro.store.js';

export const DEFAULT_LOANPRO_API_TOKEN = 'sim-loanpro-token';
export const DEFAULT_LOANPRO_INSTANCE_ID = '5200000';

export interface LoanProSimulatorOptions extends FaultOptions {
  /** Token expected in `Authorization: Bearer <token>` (default 'sim-loanpro-token'). */
  readonly apiToken?: string;
  /** Expected `Autopal-Instance-ID` (default '5200000'). */
  readonly instanceId?: string;
  /** Starting data (default: the seeded dataset, see loanpro.seed.ts). */
  readonly seed?: LoanProSeedData;
  readonly filterOr?: FilterOrMode;
  readonly collectionAccess?: CollectionAccessMode;
  /** The inferred top-level Phones collection: 'allowed' (default) or 'deprecated' (410, as Loans). */
  readonly phonesCollection?: CollectionAccessMode;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly logCapacity?: number;
  /** Seed of the fault PRNG (random when omitted). */
  readonly faultSeed?: number;
  /** Clock for lastUpdate and the SBT texts' times (epoch ms; default Date.now). */
  readonly now?: () => number;
  /** Seed of the SBT PINs (default DEFAULT_SBT_PIN_SEED: the same PINs on every run). */
  readonly sbtPinSeed?: number;
  /** The SBT account's "Verification by Text" type (default 'pin'; 'none': see loanpro.sbt-state.ts). */
  readonly verificationByText?: VerificationByText;
}

/** The shared members (start, close, url, baseUrl, request log, faults) come from VendorSimulatorBase. */
export interface LoanProSimulator extends VendorSimulatorBase<'loanpro'> {
  /** The data (exposed for the SBT routes and for tests). */
  readonly store: LoanProStore;
  readonly apiToken: string;
  readonly instanceId: string;
  getBehaviour(): Readonly<LoanProBehaviour>;
  setBehaviour(patch: Partial<LoanProBehaviour>): Readonly<LoanProBehaviour>;
  /** Stored customer (deleted ones too, with deleted=1) plus its non-deleted phones; a detached copy. */
  getCustomer(id: number): LoanProCustomerRecord | undefined;
  /** Stored phone (deleted ones too, with deleted=1); a detached copy. */
  getPhone(id: number): StoredPhone | undefined;
  /** Ids of the non-deleted customers, ascending. */
  customerIds(): number[];
  /** The SBT PINs outstanding on a phone (what its texts said), or undefined for an unknown or deleted phone. */
  sbtPins(phoneId: number): SbtPins | undefined;
  /** The SBT texts held, oldest first, optionally for one phone: what the customers received. */
  sbtTexts(customerPhoneId?: number): SbtText[];
  /** SBT texts sent since the start or the last data reset. */
  sbtTextsSent(): number;
  getSbtSettings(): Readonly<SbtSettings>;
  /** Merge; RangeError on an unknown setting or value. */
  setSbtSettings(patch: Partial<SbtSettings>): Readonly<SbtSettings>;
  /** Back to the seed data, SBT PINs and texts included (faults, behaviour and SBT settings unchanged). */
  resetData(): void;
}

function authorized(req: SimRequest, apiToken: string, instanceId: string): boolean {
  const auth = req.header('authorization');
  const tenant = req.header('autopal-instance-id');
  if (auth === undefined || tenant === undefined) return false;
  const m = /^Bearer (.+)$/i.exec(auth.trim());
  return m !== null && m[1] === apiToken && tenant.trim() === instanceId;
}

/**
 * Where vendor routes are registered: customers (loanpro.customers.ts), phones by id and the Phones collection
 * (loanpro.phones.ts), the customer search `POST Customers/Autopal.Search()` (loanpro.search.ts), and the SBT
 * endpoints (loanpro.sbt.ts):
 *   POST {base}/sbt/requestVerification()       body {"customerPhoneId": 178}
 *   POST {base}/sbt/confirmVerificationPIN()    body {"customerPhoneId": 5463, "type": "account"|"marketing", "pin": "68662"}
 *   POST {base}/sbt/verifyCustomer({id})[?bypassVerify=true]
 * None of their paths meets the customers' navigation catch-all, so the order between them does not matter.
 */
function registerRoutes(router: Router, ctx: LoanProContext, sbt: SbtState): void {
  registerCustomerRoutes(router, ctx);
  registerPhoneRoutes(router, ctx);
  registerSearchRoutes(router, ctx.store);
  registerSbtRoutes(router, { store: ctx.store, sbt });
}

export function createLoanProSimulator(options: LoanProSimulatorOptions = {}): LoanProSimulator {
  const apiToken = options.apiToken ?? DEFAULT_LOANPRO_API_TOKEN;
  const instanceId = options.instanceId ?? DEFAULT_LOANPRO_INSTANCE_ID;
  const store = new LoanProStore(options.seed ?? defaultLoanProSeed());
  const behaviour: LoanProBehaviour = {
    filterOr: options.filterOr ?? 'supported',
    collectionAccess: options.collectionAccess ?? 'allowed',
    phonesCollection: options.phonesCollection ?? 'allowed',
  };
  const setBehaviour = (patch: Readonly<Record<string, unknown>>): Readonly<LoanProBehaviour> => {
    const next: LoanProBehaviour = { ...behaviour };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (key === 'filterOr') {
        if (value !== 'supported' && value !== 'rejected') throw new RangeError("filterOr must be 'supported' or 'rejected'");
        next.filterOr = value;
      } else if (key === 'collectionAccess' || key === 'phonesCollection') {
        if (value !== 'allowed' && value !== 'deprecated') {
          throw new RangeError(`${key} must be 'allowed' or 'deprecated'`);
        }
        next[key] = value;
      } else {
        throw new RangeError(`unknown behaviour setting '${key}'`);
      }
    }
    Object.assign(behaviour, next);
    return { ...behaviour };
  };
  const now = options.now ?? Date.now;
  const ctx: LoanProContext = { store, behaviour, now };
  const sbt = new SbtState({
    pinSeed: options.sbtPinSeed ?? DEFAULT_SBT_PIN_SEED,
    now,
    settings: { verificationByText: options.verificationByText ?? 'pin' },
  });
  const resetData = (): void => {
    store.reset();
    sbt.reset();
  };
  const router = createRouter();
  registerRoutes(router, ctx, sbt);

  const basePrefix = `${BASE_PATH}/`;
  const handler = (req: SimRequest): SimResponse | Promise<SimResponse> => {
    if (!req.path.startsWith(basePrefix)) return loanProError(404, 'Invalid endpoint.');
    if (!authorized(req, apiToken, instanceId)) return unauthorized();
    return router.dispatch(req);
  };

  // Vendor-specific control routes (no auth, not logged, never faulted):
  //   POST /__sim/data/reset       back to the seed data (SBT PINs and texts included)
  //   GET  /__sim/behaviour        {"filterOr": ..., "collectionAccess": ..., "phonesCollection": ...}
  //   PUT  /__sim/behaviour        merge {"filterOr"?: "supported"|"rejected", "collectionAccess"?: "allowed"|"deprecated",
  //                                       "phonesCollection"?: "allowed"|"deprecated"}
  //   /__sim/sbt/...               PINs, texts and the VBT setting: loanpro.sbt-control.ts
  const control = createRouter();
  control.add('POST', /^\/__sim\/data\/reset$/, () => {
    resetData();
    return { status: 204 };
  });
  control.add('GET', /^\/__sim\/behaviour$/, () => ({ status: 200, json: { ...behaviour } }));
  control.add('PUT', /^\/__sim\/behaviour$/, async (req) => {
    const body = await req.readJson();
    if (!isPlainObject(body)) return { status: 400, json: { error: 'body must be a JSON object' } };
    try {
      return { status: 200, json: setBehaviour(body) };
    } catch (err) {
      return { status: 400, json: { error: err instanceof Error ? err.message : 'invalid behaviour' } };
    }
  });
  registerSbtControlRoutes(control, store, sbt);

  const faults: FaultOptions = pickFaultOptions(options);
  const server = createSimulatorServer({
    name: 'loanpro',
    handler,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    logCapacity: options.logCapacity ?? 10_000,
    faults,
    ...(options.faultSeed === undefined ? {} : { seed: options.faultSeed }),
    errorResponder: loanProErrorResponder,
    controlRoutes: control,
  });

  return vendorSimulator<LoanProSimulator>(server, { name: 'loanpro', displayName: 'LoanPro', basePath: BASE_PATH }, {
    store,
    apiToken,
    instanceId,
    getBehaviour: () => ({ ...behaviour }),
    setBehaviour,
    getCustomer: (id) => store.snapshot(id),
    getPhone(id) {
      const p = store.rawPhone(id);
      return p === undefined ? undefined : { ...p };
    },
    customerIds: () => store.customers().map((c) => c.id),
    sbtPins(phoneId) {
      const phone = store.phone(phoneId);
      return phone === undefined ? undefined : pinsOf(phone);
    },
    sbtTexts: (customerPhoneId) => sbt.texts(customerPhoneId),
    sbtTextsSent: () => sbt.textsSent,
    getSbtSettings: () => sbt.settings,
    setSbtSettings: (patch) => sbt.updateSettings(patch),
    resetData,
  });
}
