import type { Caller } from '../auth/authenticate.js';
import type { Config } from '../config/index.js';
import type { VendorServices } from '../datasources/registry.js';
import type { RequestScope } from '../datasources/vendor.js';
import type { OperationBudget } from './operation-budget.js';

/**
 * Request-lived: one per GraphQL request. Each vendor's face is a property named after its registry key
 * (`ctx.loanpro`, ...): loaders and domain-level methods, never a wire type.
 */
export type GatewayContext = RequestScope &
  VendorServices & {
    readonly caller: Caller;
    readonly config: Config;
    readonly budget: OperationBudget;
  };
