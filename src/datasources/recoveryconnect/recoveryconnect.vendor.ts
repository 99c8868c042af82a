/** RecoveryConnect's entry in the registry: order borrowers and their phones (collections). */
import type { RecoveryConnectSimulatorOptions } from '../../simulators/recoveryconnect/recoveryconnect.simulator.js';
import { defineVendor } from '../vendor.js';
import { parseRecoveryConnectConfig } from './recoveryconnect.config.js';
import { connectRecoveryConnect } from './recoveryconnect.connect.js';

export const recoveryConnectVendor = defineVendor({
  key: 'recoveryconnect',
  vendor: 'RECOVERY_CONNECT',
  baseUrlVariable: 'RECOVERYCONNECT_BASE_URL',
  parseConfig: parseRecoveryConnectConfig,
  connect: connectRecoveryConnect,
  demo: {
    serves: 'seeded orders and borrowers',
    configFor: (config, sim) => ({ ...config, baseUrl: sim.baseUrl, username: sim.username, password: sim.password }),
  },
  loadSimulator: async () => (await import('../../simulators/recoveryconnect/recoveryconnect.hooks.js')).recoveryConnectSimulatorHooks,
});

export type { RecoveryConnectSimulatorOptions };
