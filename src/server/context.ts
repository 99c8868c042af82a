import type { Caller } from '../auth/authenticate.js';
import type { ConsentRecorder } from '../consent/consent.recorder.js';
import type { ListPurposes } from '../consent/list-purposes.js';
import type { ConsentLedger } from '../store/consent-ledger.js';
import type { Config } from '../config/index.js';
import type { VendorServices } from '../datasources/registry.js';
import type { RequestScope } from '../datasources/vendor.js';
import type { OperationBudget } from './operation-budget.js';

/**
 * What the consent resolvers need besides the vendors' faces: the ledger's read side, its one write path (the
 * recorder, which also publishes live events) and which consent purpose each subscription list grants. Process-lived values, handed to every request's context (HTTP and graphql-ws).
 */
export interface ConsentServices {
  readonly ledger: Pick<ConsentLedger, 'history'>;
  /** From the consent-callback provision (VIBES_LIST_PURPOSES); every list MARKETING without one. */
  readonly listPurposes: ListPurposes;
  /** Every ledger write made while answering a request (PIN confirmations, bypass attestations, vendor flags read). */
  readonly recorder: ConsentRecorder;
}

/**
 * Request-lived: one per GraphQL request. Each vendor's face is a property named after its registry key
 * (`ctx.loanpro`, ...): loaders and domain-level methods, never a wire type.
 */
export type GatewayContext = RequestScope &
  VendorServices & {
    readonly caller: Caller;
    readonly config: Config;
    readonly budget: OperationBudget;
    readonly consent: ConsentServices;
  };
