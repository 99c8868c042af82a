/** Public entry points of the vendor simulators (the gateway's demo mode and tests import from here). */
export * from './framework/index.js';
export { createLoanProSimulator, DEFAULT_LOANPRO_API_TOKEN, DEFAULT_LOANPRO_INSTANCE_ID } from './loanpro/loanpro.simulator.js';
export type { LoanProSimulator, LoanProSimulatorOptions } from './loanpro/loanpro.simulator.js';
export type { CollectionAccessMode, FilterOrMode, LoanProBehaviour } from './loanpro/loanpro.customers.js';
export type { LoanProCustomerRecord, LoanProSeedData, StoredCustomer, StoredPhone } from './loanpro/loanpro.model.js';
export { defaultLoanProSeed, generateLoanProSeed } from './loanpro/loanpro.seed.js';
export {
  COLLECTION_DEPRECATED_MESSAGE,
  TRANSACTION_WARNINGS_MESSAGE,
  UNAUTHORIZED_MESSAGE,
} from './loanpro/loanpro.errors.js';
export { SIMULATORS } from './catalog.js';
export type { RunningSimulator, SimulatorDefinition, SimulatorLaunchOptions } from './catalog.js';
