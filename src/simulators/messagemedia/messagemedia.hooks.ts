/** How the gateway's registry, the test helper and `npm run simulators` reach the MessageMedia simulator. */
import type { SimulatorHooks } from '../../datasources/vendor.js';
import { messageMediaLauncher } from './messagemedia.launcher.js';
import { createMessageMediaSimulator, type MessageMediaSimulator, type MessageMediaSimulatorOptions } from './messagemedia.simulator.js';

export const messageMediaSimulatorHooks: SimulatorHooks<MessageMediaSimulator, MessageMediaSimulatorOptions> = {
  async start(options = {}) {
    const sim = createMessageMediaSimulator(options);
    await sim.start();
    return sim;
  },
  gatewayEnv: (sim) => ({
    MESSAGEMEDIA_BASE_URL: sim.baseUrl,
    MESSAGEMEDIA_API_KEY: sim.apiKey,
    MESSAGEMEDIA_API_SECRET: sim.apiSecret,
  }),
  launcher: messageMediaLauncher,
};
