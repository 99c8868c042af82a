/** How the gateway's registry, the test helper and `npm run simulators` reach the RecoveryConnect simulator. */
import type { SimulatorHooks } from '../../datasources/vendor.js';
import { recoveryConnectLauncher } from './recoveryconnect.launcher.js';
import {
  createRecoveryConnectSimulator,
  type RecoveryConnectSimulator,
  type RecoveryConnectSimulatorOptions,
} from './recoveryconnect.simulator.js';

export const recoveryConnectSimulatorHooks: SimulatorHooks<RecoveryConnectSimulator, RecoveryConnectSimulatorOptions> = {
  async start(options = {}) {
    const sim = createRecoveryConnectSimulator(options);
    await sim.start();
    return sim;
  },
  gatewayEnv: (sim) => ({
    RECOVERYCONNECT_BASE_URL: sim.baseUrl,
    RECOVERYCONNECT_USERNAME: sim.username,
    RECOVERYCONNECT_PASSWORD: sim.password,
  }),
  launcher: recoveryConnectLauncher,
};
