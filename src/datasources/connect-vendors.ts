/**
 * Connects every vendor of the registry, in order. Demo mode lives here, once for all vendors: a vendor whose base
 * URL is unset gets its simulator started on loopback (imported only then), its config section pointed at it
 * (`demo.configFor`: base URL and credentials; every other setting stays as configured), and a loud warning.
 */
import { VENDOR_DISPLAY_NAMES } from '../errors/errors.js';
import type { VendorSimulator } from '../simulators/framework/vendor-simulator.js';
import { VENDORS, type VendorConfigs, type VendorKey } from './registry.js';
import type { ConnectDeps, VendorConfigBase, VendorConnection, VendorModule } from './vendor.js';

export interface ConnectedVendor {
  readonly key: VendorKey;
  readonly connection: VendorConnection<unknown>;
  /** Set in demo mode. */
  readonly simulator?: VendorSimulator;
  /** Closes the connection, then the simulator. */
  close(): Promise<void>;
}

type AnyModule = VendorModule<VendorKey, VendorConfigBase, unknown, VendorSimulator, unknown>;

async function connectOne(vendor: AnyModule, configured: VendorConfigBase, deps: ConnectDeps): Promise<ConnectedVendor> {
  let config = configured;
  let simulator: VendorSimulator | undefined;
  if (config.baseUrl === undefined) {
    const hooks = await vendor.loadSimulator();
    simulator = await hooks.start();
    config = vendor.demo.configFor(config, simulator);
    deps.logger.warn(
      { vendor: vendor.vendor },
      `DEMO MODE: ${VENDOR_DISPLAY_NAMES[vendor.vendor]} is the embedded simulator with ${vendor.demo.serves} (request log and faults under /__sim/${vendor.key})`,
    );
  }
  let connection: VendorConnection<unknown>;
  try {
    connection = await vendor.connect(config, deps);
  } catch (err) {
    await simulator?.close();
    throw err;
  }
  return {
    key: vendor.key,
    connection,
    ...(simulator ? { simulator } : {}),
    async close() {
      await connection.close();
      await simulator?.close();
    },
  };
}

/** In registry order; on a failure the vendors already connected are closed before it is rethrown. */
export async function connectVendors(configs: VendorConfigs, deps: ConnectDeps): Promise<ConnectedVendor[]> {
  const connected: ConnectedVendor[] = [];
  try {
    for (const vendor of VENDORS as readonly unknown[] as readonly AnyModule[]) {
      connected.push(await connectOne(vendor, configs[vendor.key], deps));
    }
  } catch (err) {
    for (const c of connected.reverse()) await c.close().catch(() => undefined);
    throw err;
  }
  return connected;
}
