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
