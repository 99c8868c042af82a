/** How the gateway's registry, the test helper and `npm run simulators` reach the Vibes simulator. */
import type { SimulatorHooks } from '../../datasources/vendor.js';
import { vibesLauncher } from './vibes.launcher.js';
import { createVibesSimulator, SIMULATOR_CALLBACK_SECRET, type VibesSimulator, type VibesSimulatorOptions } from './vibes.simulator.js';

export const vibesSimulatorHooks: SimulatorHooks<VibesSimulator, VibesSimulatorOptions> = {
  async start(options = {}) {
    const sim = createVibesSimulator(options);
    await sim.start();
    return sim;
  },
  gatewayEnv: (sim) => ({
    VIBES_BASE_URL: sim.baseUrl,
    VIBES_USERNAME: sim.username,
    VIBES_PASSWORD: sim.password,
    VIBES_COMPANY_KEY: sim.companyKey,
    // A gateway pointed at a real-looking Vibes needs a callback secret (configuration.md).
    VIBES_CALLBACK_SECRET: SIMULATOR_CALLBACK_SECRET,
  }),
  launcher: vibesLauncher,
};
