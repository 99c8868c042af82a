/**
 * The shapes `npm run simulators` starts a vendor simulator with. The list itself is the vendor registry
 * (src/datasources/registry.ts): each vendor's simulator hooks carry its launcher.
 */
import type { FaultOptions, FaultSettings } from './framework/faults.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface SimulatorLaunchOptions {
  readonly host: string;
  readonly port: number;
  readonly faults: FaultOptions;
  readonly faultSeed: number | undefined;
  /** Request-log ring size (SIM_LOG_CAPACITY). */
  readonly logCapacity: number | undefined;
  /** The environment, for vendor-specific settings (the launcher must not print secrets from it). */
  readonly env: Env;
}

export interface RunningSimulator {
  readonly name: string;
  readonly origin: string;
  /** Lines to print: base URL, credentials to configure the gateway with, control endpoints. No secrets. */
  describe(): string[];
  getFaults(): FaultSettings;
  close(): Promise<void>;
}

export interface SimulatorDefinition {
  /** Lower-case name used in SIMULATORS=... */
  readonly name: string;
  /** Prefix for per-vendor env overrides, e.g. LOANPRO -> LOANPRO_SIM_PORT, LOANPRO_SIM_LATENCY_MS. */
  readonly envPrefix: string;
  readonly defaultPort: number;
  launch(options: SimulatorLaunchOptions): Promise<RunningSimulator>;
}

/** Every vendor's launcher, in registry order (imports the simulators; for the dev entry and tests). */
export async function loadSimulatorCatalog(): Promise<SimulatorDefinition[]> {
  const { VENDORS } = await import('../datasources/registry.js');
  return Promise.all(VENDORS.map(async (vendor) => (await vendor.loadSimulator()).launcher));
}
