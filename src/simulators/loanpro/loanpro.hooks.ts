/** How the gateway's registry, the test helper and `npm run simulators` reach the LoanPro simulator. */
import type { SimulatorHooks } from '../../datasources/vendor.js';
import { loanProLauncher } from './loanpro.launcher.js';
import { createLoanProSimulator, type LoanProSimulator, type LoanProSimulatorOptions } from './loanpro.simulator.js';

export const loanProSimulatorHooks: SimulatorHooks<LoanProSimulator, LoanProSimulatorOptions> = {
  async start(options = {}) {
    const sim = createLoanProSimulator(options);
    await sim.start();
    return sim;
  },
  gatewayEnv: (sim) => ({
    LOANPRO_BASE_URL: sim.baseUrl,
    LOANPRO_API_TOKEN: sim.apiToken,
    LOANPRO_INSTANCE_ID: sim.instanceId,
  }),
  launcher: loanProLauncher,
};
