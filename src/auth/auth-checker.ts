import type { AuthCheckerInterface, ResolverData } from 'type-graphql';
import { ForbiddenError } from '../errors/errors.js';
import type { GatewayContext } from '../server/context.js';
import type { Scope } from './scopes.js';

/**
 * type-graphql's `@Authorized(scope...)`: every listed scope is required. A missing scope nulls the field
 * with a FORBIDDEN error naming the scope; no resolver (and so no vendor call) runs.
 */
export class ScopeAuthChecker implements AuthCheckerInterface<GatewayContext, Scope> {
  check({ context }: ResolverData<GatewayContext>, scopes: Scope[]): boolean {
    for (const scope of scopes) {
      if (!context.caller.scopes.has(scope)) throw new ForbiddenError(scope);
    }
    return true;
  }
}
