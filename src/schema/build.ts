import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ScopeAuthChecker } from '../auth/auth-checker.js';
import { CustomerResolver } from '../resolvers/customer/customer.resolver.js';
import { ErrorCodeEnum } from './common/error-code.enum.js';

/** The gateway's schema, built from the type-graphql classes. The committed schema.graphql is its printout. */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  const built = await buildSchema({
    resolvers: [CustomerResolver],
    authChecker: ScopeAuthChecker,
    validate: false,
  });
  const config = built.toConfig();
  return new GraphQLSchema({ ...config, types: [...config.types, ErrorCodeEnum] });
}
