import { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { ScopeAuthChecker } from '../auth/auth-checker.js';
import { RESOLVERS } from '../resolvers/index.js';
import { ErrorCodeEnum } from '../schema/common/error-code.enum.js';
import { describeRootTypes } from '../schema/common/root-types.js';
import { describeRequiredScopes, requiredScopes } from './schema-scopes.js';
import { buildGatewaySubgraph } from './subgraph.js';

export interface GatewaySchemaOptions {
  /**
   * Where subscriptions get their events: `consentPubSub(events)` over the process's ConsentEvents (in-process, or
   * Redis with REDIS_URL). type-graphql refuses to build a schema with a @Subscription without one.
   */
  readonly pubSub: PubSub;
}

/**
 * The API schema, built from the type-graphql classes at the composition root (the schema's classes know nothing
 * of the server). The committed schema.graphql is its printout: what clients program against. Each guarded
 * field's description ends with the scopes its @Authorized names (schema-scopes.ts), and the root types get theirs
 * (root-types.ts).
 */
export async function buildApiSchema(options: GatewaySchemaOptions): Promise<GraphQLSchema> {
  const built = await buildSchema({
    resolvers: RESOLVERS,
    authChecker: ScopeAuthChecker,
    validate: false,
    pubSub: options.pubSub,
  });
  describeRequiredScopes(built, requiredScopes(built, RESOLVERS));
  describeRootTypes(built);
  const config = built.toConfig();
  return new GraphQLSchema({ ...config, types: [...config.types, ErrorCodeEnum] });
}

/**
 * The schema `/graphql` (HTTP and graphql-ws) serves: the API schema as a Federation 2 subgraph, so a router can
 * compose it (`_service`) and resolve its entities (`_entities`). See src/server/subgraph.ts.
 */
export async function buildGatewaySchema(options: GatewaySchemaOptions): Promise<GraphQLSchema> {
  return buildGatewaySubgraph(await buildApiSchema(options));
}
