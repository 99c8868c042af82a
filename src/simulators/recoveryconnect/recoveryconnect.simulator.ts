/**
 * The RecoveryConnect (MBSi Systems) API simulator, faithful to vendor-apis.md section 4 and
 * seeds/003_c0057283a7c329bb.txt (the seed wins). Paths start with /api/v140; the gateway's
 * RECOVERYCONNECT_BASE_URL is the bare origin (simulator.baseUrl === simulator.url).
 *
 * Request handling, in Laravel's order (inferred): an unknown path is 404 and a known path with the wrong method
 * is 405, both without auth; `POST /api/v140/auth` is public; every other route needs a valid, unexpired bearer
 * token (else 401 `{"message": "Unauthenticated."}`), then looks up order / borrower / phone (404), then
 * validates the body (422).
 */
import { pickFaultOptions, type FaultOptions } from '../framework/faults.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import { createRouter } from '../framework/router.js';
import type { Router } from '../framework/router.js';
import { createSimulatorServer } from '../framework/server.js';
import type { SimSleeper } from '../framework/server.js';
import { vendorSimulator, type VendorSimulatorBase } from '../framework/vendor-simulator.js';
import { TokenAuthority } from './recoveryconnect.auth.js';
import type { TokenStats } from './recoveryconnect.auth.js';
import { methodNotAllowed, rcError, recoveryConnectErrorResponder, unauthenticated } from './recoveryconnect.errors.js';
import { DEFAULT_TOKEN_TTL_SECONDS } from './recoveryconnect.model.js';
import type { RecoveryConnectSeedData, StoredBorrower, StoredPhone } from './recoveryconnect.model.js';
import { AUTH_RE, registerBorrowerRoutes } from './recoveryconnect.routes.js';
import { defaultRecoveryConnectSeed } from './recoveryconnect.seed.js';
import { RecoveryConnectStore } from './recoveryconnect.store.js';

/** Public constants (like LoanPro's default token): fine to print, useless outside the simulator. */
export const DEFAULT_RECOVERYCONNECT_USERNAME = 'sim-recoveryconnect';
export const DEFAULT_RECOVERYCONNECT_PASSWORD = 'sim-recoveryconnect-password';

export interface RecoveryConnectSimulatorOptions extends FaultOptions {
  /** Login accepted at POST /api/v140/auth (default 'sim-recoveryconnect'). */
  readonly username?: string;
  /** Default 'sim-recoveryconnect-password'. */
  readonly password?: string;
  /** Lifetime of issued tokens, whole seconds, also sent as `expires_in` (default 3600, as in the docs). */
  readonly tokenTtlSeconds?: number;
  /** Starting data (default: the seeded dataset, see recoveryconnect.seed.ts). */
  readonly seed?: RecoveryConnectSeedData;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly logCapacity?: number;
  /** Seed of the fault PRNG (random when omitted). */
  readonly faultSeed?: number;
  /** Clock for token expiry and created_at / updated_at (epoch ms; default Date.now). */
  readonly now?: () => number;
  /** How injected latency is waited for (default a timer): tests hold requests on an event instead of a clock. */
  readonly sleep?: SimSleeper;
}

/** The shared members (start, close, url, baseUrl, request log, faults) come from VendorSimulatorBase. */
export interface RecoveryConnectSimulator extends VendorSimulatorBase<'recoveryconnect'> {
  /** The data (exposed for tests and tooling). */
  readonly store: RecoveryConnectStore;
  /** The login accepted now. */
  readonly username: string;
  /** The accepted password, for a test helper's gateway env (like LoanPro's `apiToken`); never print it. */
  readonly password: string;
  /** Accept other credentials from now on (issued tokens stay valid): a gateway's login recovering by itself. */
  setCredentials(username: string, password: string): void;
  readonly tokenTtlSeconds: number;
  /** Replace the clock used for token expiry and timestamps (epoch ms). */
  setClock(now: () => number): void;
  /** Invalidate every issued token at once; returns how many were still valid. */
  expireTokens(): number;
  /** Successful logins since start. */
  loginCount(): number;
  /** Logins, failed logins and currently valid tokens (counts only, never token values). */
  tokenStats(): TokenStats;
  /** A stored phone of that borrower of that order, soft-deleted ones too (deleted_at set); a detached copy. */
  getPhone(orderId: number, borrowerId: number, phoneId: number): StoredPhone | undefined;
  /** The order's non-deleted borrowers (detached copies); undefined for an unknown order. */
  getBorrowers(orderId: number): StoredBorrower[] | undefined;
  /** Order ids, ascending. */
  orderIds(): number[];
  /** Back to the seeded data (faults, tokens and clock unchanged). */
  resetData(): void;
}

export function createRecoveryConnectSimulator(options: RecoveryConnectSimulatorOptions = {}): RecoveryConnectSimulator {
  let username = options.username ?? DEFAULT_RECOVERYCONNECT_USERNAME;
  let password = options.password ?? DEFAULT_RECOVERYCONNECT_PASSWORD;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  let now = options.now ?? Date.now;
  const auth = new TokenAuthority({
    username,
    password,
    ttlSeconds: tokenTtlSeconds,
    now: () => now(),
  });
  const store = new RecoveryConnectStore(options.seed ?? defaultRecoveryConnectSeed());

  const publicRoutes = createRouter().add('POST', AUTH_RE, (req) => auth.login(req));
  const dataRoutes = createRouter();
  registerBorrowerRoutes(dataRoutes, { store, now: () => now() });

  const route = async (router: Router, req: SimRequest, requireToken: boolean): Promise<SimResponse | undefined> => {
    const m = router.match(req.method, req.path);
    if (m.kind === 'not_found') return undefined;
    if (m.kind === 'method_not_allowed') return methodNotAllowed(req.method, m.allow);
    if (requireToken && !auth.isAuthorized(req.header('authorization'))) return unauthenticated();
    return m.handler(req, m.params);
  };
  const handler = async (req: SimRequest): Promise<SimResponse> =>
    (await route(publicRoutes, req, false)) ?? (await route(dataRoutes, req, true)) ?? rcError(404, 'Not Found');

  // Vendor-specific control routes (no auth, not logged, never faulted):
  //   POST /__sim/data/reset       back to the seed data                       -> 204
  //   POST /__sim/tokens/expire    every issued token is invalid from now on   -> {"expired": <still-valid count>}
  //   GET  /__sim/tokens           {"logins", "failedLogins", "activeTokens"}  (counts only, never token values)
  const control = createRouter();
  control.add('POST', /^\/__sim\/data\/reset$/, () => {
    store.reset();
    return { status: 204 };
  });
  control.add('POST', /^\/__sim\/tokens\/expire$/, () => ({ status: 200, json: { expired: auth.expireAll() } }));
  control.add('GET', /^\/__sim\/tokens$/, () => ({ status: 200, json: auth.stats() }));

  // Every fault setting the framework knows (drop, reset_after and faultBudget included), none forgotten here.
  const faults: FaultOptions = pickFaultOptions(options);
  const server = createSimulatorServer({
    name: 'recoveryconnect',
    handler,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    logCapacity: options.logCapacity ?? 10_000,
    faults,
    ...(options.faultSeed === undefined ? {} : { seed: options.faultSeed }),
    errorResponder: recoveryConnectErrorResponder,
    controlRoutes: control,
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });


  return vendorSimulator<RecoveryConnectSimulator>(server, { name: 'recoveryconnect', displayName: 'RecoveryConnect' }, {
    store,
    get username() {
      return username;
    },
    get password() {
      return password;
    },
    setCredentials(nextUsername, nextPassword) {
      username = nextUsername;
      password = nextPassword;
      auth.setCredentials(nextUsername, nextPassword);
    },
    tokenTtlSeconds,
    setClock(next) {
      now = next;
    },
    expireTokens: () => auth.expireAll(),
    loginCount: () => auth.loginCount(),
    tokenStats: () => auth.stats(),
    getPhone(orderId, borrowerId, phoneId) {
      if (store.borrowerIn(orderId, borrowerId) === undefined) return undefined;
      const p = store.rawPhone(phoneId);
      return p === undefined || p.borrower_id !== borrowerId ? undefined : { ...p };
    },
    getBorrowers(orderId) {
      return store.hasOrder(orderId) ? store.borrowersOf(orderId).map((b) => ({ ...b })) : undefined;
    },
    orderIds: () => store.orders(),
    resetData: () => store.reset(),
  });
}
