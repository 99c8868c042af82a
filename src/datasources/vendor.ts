/**
 * The seam every vendor copies. A vendor is one folder under `datasources/<vendor>/` that exports one
 * `VendorModule` (its `<vendor>.vendor.ts`), listed once in `datasources/registry.ts`. Config loading, the app,
 * the request context, health, metrics, the demo-mode control routes and the integration-test helper iterate
 * the registry; nothing else that is shared changes when a vendor is added.
 *
 * Lifetimes: `parseConfig` runs once at boot (config/ hands it the environment), `connect` once per process
 * (pools, auth, and in demo mode the embedded simulator), `forRequest` once per GraphQL request (loaders).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { CountryCode } from 'libphonenumber-js';
import type { Caller } from '../auth/authenticate.js';
import type { Env } from '../config/env.js';
import type { ListPurposes, VibesConsentDirectory } from '../consent/index.js';
import type { VendorName } from '../errors/errors.js';
import type { SimulatorDefinition } from '../simulators/catalog.js';
import type { VendorSimulator } from '../simulators/framework/vendor-simulator.js';
import type { Store } from '../store/store.js';
import type { Upstream } from './http/upstream.js';

/** What every vendor's config parser gets besides the environment. */
export interface SharedVendorSettings {
  readonly production: boolean;
  /** UPSTREAM_TIMEOUT_MS: the default per-call deadline; `<VENDOR>_TIMEOUT_MS` overrides it. */
  readonly upstreamTimeoutMs: number;
}

/** Every vendor's config section has at least this. */
export interface VendorConfigBase {
  /** Unset: the embedded simulator serves this vendor (demo mode). */
  readonly baseUrl: string | undefined;
}

/** Process-lived parts a vendor connection may draw on. */
export interface ConnectDeps {
  readonly logger: FastifyBaseLogger;
  readonly region: CountryCode;
  /** Idempotency keys (and, later, the consent ledger). */
  readonly store: Store;
}

/** Request-lived facts a vendor's request face is built from. */
export interface RequestScope {
  readonly requestId: string;
  readonly caller: Caller;
  readonly logger: FastifyBaseLogger;
  /**
   * Aborts when the client goes away or the operation's deadline (GRAPHQL_REQUEST_TIMEOUT_MS) passes. Reads
   * listen to it; a write listens only until it is sent, then runs to its own vendor deadline.
   */
  readonly signal: AbortSignal;
  /** Work per operation, across every field and alias (GRAPHQL_MAX_IDS): take ids before asking a vendor. */
  readonly budget: { takeIds(count: number, field: string): void };
}

/**
 * A vendor that pushes consent changes to the gateway (Vibes' subscription callbacks): what the webhook route and
 * the inbox processor need from it, found by the app without naming the vendor.
 */
export interface ConsentCallbackProvision {
  /** The inbox's source name and the route's segment: `POST /webhooks/<source>/<secret>`. */
  readonly source: string;
  /** The path secret, compared in constant time; never logged (log the route, not the path). */
  readonly secret: string;
  /** CIDRs allowed to deliver callbacks; empty: any address. */
  readonly allowedIps: readonly string[];
  /** Which consent purpose each subscription list grants. */
  readonly listPurposes: ListPurposes;
  /** How processing reads what a callback leaves out (the person's number, the subscription's state). */
  readonly directory: VibesConsentDirectory;
  /**
   * Demo mode: the simulator delivers its callbacks to the gateway; called once the gateway listens, with the
   * callback URL to register.
   */
  registerCallbackUrl?(url: string): Promise<void> | void;
}

/** What a vendor offers the cross-vendor domains, beyond its request face. */
export interface VendorProvisions {
  readonly consentCallbacks?: ConsentCallbackProvision;
}

/** One vendor as the process holds it. */
export interface VendorConnection<Service> {
  /** The pools behind it, for health and metrics. */
  readonly upstreams: readonly Upstream[];
  /** Capabilities for the cross-vendor domains (consent callbacks, ...), when it has any. */
  readonly provides?: VendorProvisions;
  /** The vendor's face for one request: loaders and domain-level methods, never a wire type. */
  forRequest(scope: RequestScope): Service;
  /** Closes its pools (and anything else it started). */
  close(): Promise<void>;
}

/**
 * Demo mode, per vendor: what its embedded simulator changes in the config section (base URL and credentials; every
 * other setting stays as configured), and what the start-up warning says it serves.
 */
export interface VendorDemo<Config extends VendorConfigBase, Sim extends VendorSimulator> {
  /** e.g. "seeded customers": completes "DEMO MODE: LoanPro is the embedded simulator with ...". */
  readonly serves: string;
  configFor(config: Config, sim: Sim): Config;
}

/** How tests, demo mode and `npm run simulators` reach a vendor's simulator. Imported lazily. */
export interface SimulatorHooks<Sim extends VendorSimulator = VendorSimulator, Options = never> {
  /** Creates and starts the simulator on loopback (port 0 unless the options say otherwise). */
  start(options?: Options): Promise<Sim>;
  /** The gateway environment that points this vendor at `sim`: base URL and credentials. */
  gatewayEnv(sim: Sim): Record<string, string>;
  /** How `npm run simulators` starts it standalone. */
  readonly launcher: SimulatorDefinition;
}

export interface VendorModule<
  Key extends string,
  Config extends VendorConfigBase,
  Service,
  Sim extends VendorSimulator = VendorSimulator,
  SimOptions = never,
> {
  /** The property name in `config.vendors`, in the request context, and in `/__sim/<key>/...`. */
  readonly key: Key;
  readonly vendor: VendorName;
  /** The variable whose absence puts this vendor in demo mode, e.g. `LOANPRO_BASE_URL`. */
  readonly baseUrlVariable: string;
  /** Its section of the environment contract: parse, validate (errors name the variable), defaults. */
  parseConfig(env: Env, shared: SharedVendorSettings): Config;
  /** Connects to `config.baseUrl` (in demo mode, the simulator's: see `demo`). */
  connect(config: Config, deps: ConnectDeps): Promise<VendorConnection<Service>>;
  readonly demo: VendorDemo<Config, Sim>;
  /** Lazily imports the simulator, so production never loads simulator code. */
  loadSimulator(): Promise<SimulatorHooks<Sim, SimOptions>>;
}

/** Identity, typed: keeps each module's literal key and types for the registry's mapped types. */
export function defineVendor<
  Key extends string,
  Config extends VendorConfigBase,
  Service,
  Sim extends VendorSimulator = VendorSimulator,
  SimOptions = never,
>(module: VendorModule<Key, Config, Service, Sim, SimOptions>): VendorModule<Key, Config, Service, Sim, SimOptions> {
  return module;
}
