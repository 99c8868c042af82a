import type { ListPurposes } from '../consent/list-purposes.js';
import type { ConsentLedger } from '../store/consent-ledger.js';
import type { GatewayContext } from './context.js';

/**
 * What the consent resolvers need besides the vendors' faces: the ledger's read side and which consent purpose
 * each Vibes list grants. Process-lived values, handed to every request's context by createApp (HTTP and
 * graphql-ws alike).
 */
export interface ConsentServices {
  readonly ledger: Pick<ConsentLedger, 'history'>;
  /** From the consent-callback provision (VIBES_LIST_PURPOSES); every list MARKETING without one. */
  readonly listPurposes: ListPurposes;
}

/** The request context as createApp builds it: GatewayContext plus `consent`. */
export type ConsentGatewayContext = GatewayContext & { readonly consent: ConsentServices };
