/** LoanPro's entry in the registry: customers and their phones (and, later, SBT opt-in). */
import type { LoanProSimulatorOptions } from '../../simulators/loanpro/loanpro.simulator.js';
import { defineVendor } from '../vendor.js';
import { parseLoanProConfig } from './loanpro.config.js';
import { connectLoanPro } from './loanpro.connect.js';

export const loanProVendor = defineVendor({
  key: 'loanpro',
  vendor: 'LOANPRO',
  baseUrlVariable: 'LOANPRO_BASE_URL',
  parseConfig: parseLoanProConfig,
  connect: connectLoanPro,
  demo: {
    serves: 'seeded customers',
    configFor: (config, sim) => ({ ...config, baseUrl: sim.baseUrl, apiToken: sim.apiToken, instanceId: sim.instanceId }),
  },
  loadSimulator: async () => (await import('../../simulators/loanpro/loanpro.hooks.js')).loanProSimulatorHooks,
});

export type { LoanProSimulatorOptions };
