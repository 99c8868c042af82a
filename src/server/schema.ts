import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ScopeAuthChecker } from '../auth/auth-checker.js';
import { RESOLVERS } from '../resolvers/index.js';
import { ErrorCodeEnum } from '../schema/common/error-code.enum.js';

/**
 * The gateway's schema, built from the type-graphql classes at the composition root (the schema's classes
 * know nothing of the server). The committed schema.graphql is its printout.
 */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  const built = await buildSchema({
    resolvers: RESOLVERS,
    authChecker: ScopeAuthChecker,
    validate: false,
  });
  const config = built.toConfig();
  return new GraphQLSchema({ ...config, types: [...config.types, ErrorCodeEnum] });
}
