import type { GraphQLSchema } from 'graphql';

/**
 * Descriptions of the root types, which type-graphql creates without one. What holds for every field of a root
 * type is said here once, not on each field.
 */
export const ROOT_TYPE_DESCRIPTIONS = {
  Query:
    'Reads, each from one vendor (or the consent ledger). A vendor that fails nulls only the fields it feeds, each with UPSTREAM_UNAVAILABLE or UPSTREAM_RATE_LIMITED (extensions.vendor names it); the rest of the response resolves. An operation that asks for more records by id than GRAPHQL_MAX_IDS (200 by default) across all its fields gets QUERY_TOO_COMPLEX on the field that crosses the limit.',
  Mutation:
    'Writes, each to one vendor. A vendor failure is UPSTREAM_UNAVAILABLE or UPSTREAM_RATE_LIMITED (extensions.vendor names it); QUERY_TOO_COMPLEX past GRAPHQL_MAX_IDS, before anything is sent. UPSTREAM_UNAVAILABLE with extensions.committed: true means the vendor applied the write but the answer could not be built: do not send it again. OUTCOME_UNKNOWN means it may have happened: read before retrying, or retry with the same idempotency key where the mutation takes one.',
  Subscription:
    'Live events over graphql-ws on the same URL (subscriptions over HTTP answer BAD_REQUEST). The connection needs credentials in the upgrade headers or the connection_init payload.',
} as const;

/** Sets the root types' descriptions, in place on a schema just built; returns it. */
export function describeRootTypes(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (type && type.name in ROOT_TYPE_DESCRIPTIONS) type.description = ROOT_TYPE_DESCRIPTIONS[type.name as keyof typeof ROOT_TYPE_DESCRIPTIONS];
  }
  return schema;
}
