/**
 * The gateway's schema as an Apollo Federation 2 subgraph (type-graphql's documented federation approach: build the
 * type-graphql schema, print it, `buildSubgraphSchema` with its resolvers map).
 *
 * - `@key`s come from the entity table (src/resolvers/entities.ts), added to the printed SDL's type definitions;
 *   the type classes stay free of federation.
 * - @apollo/subgraph contributes `@link`/`@key`, `_Any`, `_Entity`, `_Service`, `_service` and `_entities`.
 * - `_entities` is answered here, not by @apollo/subgraph's resolver: that one throws for the whole list on one
 *   bad representation and echoes its `__typename` in the message. Here each representation is resolved on its
 *   own (a bad one is BAD_USER_INPUT for its entry, naming `representations[i]...`), through the request faces'
 *   DataLoaders, so a list of representations batches like the query taking the same ids.
 * - Every other resolver is type-graphql's own (createResolversMap), so `@Authorized` scopes, the subscription's
 *   `subscribe` and the custom scalars work unchanged.
 */
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import {
  concatAST,
  isUnionType,
  Kind,
  parse,
  printSchema,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { createResolversMap } from 'type-graphql';
import { ENTITIES, resolveRepresentation } from '../resolvers/entities.js';
import type { GatewayContext } from './context.js';

/** The Federation version the subgraph `@link`s: 2.7 is understood by every Apollo Router 1.x/2.x and Hive Gateway release of the last two years. */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.7';

function keyDirective(fields: readonly string[]): DirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'key' },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: fields.join(' ') } }],
  };
}

/** The subgraph's own SDL: the API schema's, with the `@link` to federation and a `@key` on each entity type. */
export function subgraphTypeDefs(api: GraphQLSchema): DocumentNode {
  const entities = new Map(ENTITIES.map((entity) => [entity.typeName, entity]));
  const keyed = new Set<string>();
  const document = visit(parse(printSchema(api)), {
    ObjectTypeDefinition(node) {
      const entity = entities.get(node.name.value);
      if (!entity) return undefined;
      for (const field of entity.key) {
        if (!node.fields?.some((f) => f.name.value === field)) throw new Error(`The @key of ${entity.typeName} names ${field}, which it does not have.`);
      }
      keyed.add(entity.typeName);
      return { ...node, directives: [...(node.directives ?? []), keyDirective(entity.key)] };
    },
  });
  const missing = ENTITIES.filter((entity) => !keyed.has(entity.typeName)).map((entity) => entity.typeName);
  if (missing.length > 0) throw new Error(`Entity types missing from the schema: ${missing.join(', ')}.`);
  return concatAST([parse(`extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ["@key"])`), document]);
}

/** The executable subgraph over the type-graphql schema `api` (same types, fields and resolvers, plus federation's). */
export function buildGatewaySubgraph(api: GraphQLSchema): GraphQLSchema {
  const schema = buildSubgraphSchema([{ typeDefs: subgraphTypeDefs(api), resolvers: createResolversMap(api) as GraphQLResolverMap }]);

  // Which entity type each resolved object is, for `_Entity`'s type resolution (no mark on the domain objects).
  const typeOf = new WeakMap<object, string>();
  const entities: GraphQLFieldResolver<unknown, GatewayContext, { representations: readonly unknown[] }> = (_source, { representations }, ctx) =>
    representations.map(async (representation, i) => {
      const { typeName, value } = await resolveRepresentation(representation, ctx, `representations[${i}]`);
      if (typeof value === 'object' && value !== null) typeOf.set(value, typeName);
      return value;
    });
  schema.getQueryType()!.getFields()._entities!.resolve = entities as GraphQLFieldResolver<unknown, unknown>;
  const entityUnion = schema.getType('_Entity');
  if (!isUnionType(entityUnion)) throw new Error('buildSubgraphSchema made no _Entity union.');
  entityUnion.resolveType = (value) => (typeof value === 'object' && value !== null ? typeOf.get(value) : undefined);
  return schema;
}
