/**
 * What every vendor simulator offers, whatever the vendor. The gateway's vendor registry starts one in demo
 * mode (lazily imported, so production never loads simulator code), the integration-test helper starts any
 * set of them, and `npm run simulators` starts them standalone.
 */
import type { FaultOptions, FaultSettings } from './faults.js';
import type { RequestLog } from './request-log.js';
import type { SimulatorServer } from './server.js';

export interface VendorSimulator {
  /** Lower-case vendor name: 'loanpro', 'recoveryconnect', 'messagemedia', 'vibes'. */
  readonly name: string;
  readonly server: SimulatorServer;
  /** Listens (port 0 picks a free one); resolves with the origin and the value for `<VENDOR>_BASE_URL`. */
  start(): Promise<{ url: string; baseUrl: string }>;
  /** Stops listening and destroys every socket. Idempotent. */
  close(): Promise<void>;
  /** Origin, e.g. http://127.0.0.1:4010 (throws before start()). */
  readonly url: string;
  /** What the gateway's `<VENDOR>_BASE_URL` is set to (origin plus the vendor's base path, if any). */
  readonly baseUrl: string;
  readonly requestLog: RequestLog;
  setFaults(faults: FaultOptions): FaultSettings;
  getFaults(): FaultSettings;
  resetFaults(): FaultSettings;
  /** Back to the seeded data (faults unchanged). */
  resetData(): void;
}

/** The members every vendor simulator shares, plus `log` (an alias of `requestLog`). */
export interface VendorSimulatorBase<Name extends string> extends Omit<VendorSimulator, 'resetData'> {
  readonly name: Name;
  readonly log: RequestLog;
}

/**
 * A vendor simulator object: the shared members over `server` (start, close, url, baseUrl = origin + `basePath`,
 * request log, faults) joined with the vendor's own (`own`, whose getters stay getters). `url` and `baseUrl` throw
 * before start().
 */
export function vendorSimulator<Sim extends VendorSimulatorBase<string>>(
  server: SimulatorServer,
  identity: { readonly name: Sim['name']; readonly displayName: string; readonly basePath?: string },
  own: Omit<Sim, keyof VendorSimulatorBase<string>>,
): Sim {
  const basePath = identity.basePath ?? '';
  const origin = (): string => {
    const url = server.url;
    if (url === undefined) throw new Error(`${identity.displayName} simulator is not started`);
    return url;
  };
  const base: VendorSimulatorBase<Sim['name']> = {
    name: identity.name,
    server,
    async start() {
      const { url } = await server.start();
      return { url, baseUrl: `${url}${basePath}` };
    },
    close: () => server.close(),
    get url() {
      return origin();
    },
    get baseUrl() {
      return `${origin()}${basePath}`;
    },
    requestLog: server.requestLog,
    log: server.requestLog,
    setFaults: (f) => server.setFaults(f),
    getFaults: () => server.getFaults(),
    resetFaults: () => server.resetFaults(),
  };
  // Descriptors, not a spread: a spread would read the getters (and throw before start()).
  return Object.defineProperties(base, Object.getOwnPropertyDescriptors(own)) as Sim;
}
