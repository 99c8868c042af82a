import type { FastifyBaseLogger } from 'fastify';
import type { Caller } from '../auth/authenticate.js';
import type { Config } from '../config/index.js';
import type { LoanProClient } from '../datasources/loanpro/loanpro.client.js';
import type { Loaders } from '../loaders/loaders.js';

/** Process-lived services the resolvers reach through the context. */
export interface Services {
  readonly config: Config;
  readonly loanpro: LoanProClient;
}

/** Request-lived: one per GraphQL request. */
export interface GatewayContext {
  readonly requestId: string;
  readonly caller: Caller;
  /** Aborts when the client goes away; every vendor call made for this request listens to it. */
  readonly signal: AbortSignal;
  readonly logger: FastifyBaseLogger;
  readonly loaders: Loaders;
  readonly services: Services;
}
