/**
 * The served schema is the API schema (schema.graphql) plus federation's own elements, nothing else: the subgraph
 * changes no type, field, argument or description clients program against.
 */
import { printType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentPubSub, createInProcessConsentEvents, type ConsentEvents } from '../../../src/consent/index.js';
import { buildApiSchema } from '../../../src/server/schema.js';
import { buildGatewaySubgraph } from '../../../src/server/subgraph.js';

const FEDERATION_NAME = /^(_|link__|federation__)/;

/** A root field as clients see it: type, arguments (type, default, description), description, deprecation. */
function printField(field: GraphQLField<unknown, unknown>): string {
  return JSON.stringify({
    type: String(field.type),
    args: field.args.map((a) => [a.name, String(a.type), a.defaultValue, a.description, a.deprecationReason]),
    description: field.description,
    deprecationReason: field.deprecationReason,
  });
}

describe('the subgraph schema', () => {
  let events: ConsentEvents;
  let api: GraphQLSchema;
  let served: GraphQLSchema;
  beforeAll(async () => {
    events = createInProcessConsentEvents();
    api = await buildApiSchema({ pubSub: consentPubSub(events) });
    served = buildGatewaySubgraph(api);
  });
  afterAll(() => events.close());

  it('prints every API type as the API schema does (Query gaining only _entities and _service)', () => {
    for (const [name, type] of Object.entries(api.getTypeMap())) {
      if (name.startsWith('__')) continue;
      const mine = served.getType(name);
      expect(mine, name).toBeDefined();
      if (name === 'Query') continue;
      expect(printType(mine!)).toBe(printType(type));
    }
    const apiQuery = api.getQueryType()!.getFields();
    const servedQuery = served.getQueryType()!.getFields();
    expect(Object.keys(servedQuery).sort()).toEqual([...Object.keys(apiQuery), '_entities', '_service'].sort());
    for (const name of Object.keys(apiQuery)) {
      expect(printField(servedQuery[name]!), name).toBe(printField(apiQuery[name]!));
    }
  });

  it("adds only federation's own types and directives", () => {
    const added = Object.keys(served.getTypeMap()).filter((name) => !name.startsWith('__') && !api.getType(name));
    expect(added.length).toBeGreaterThan(0);
    for (const name of added) expect(name).toMatch(FEDERATION_NAME);
    expect(added).toEqual(expect.arrayContaining(['_Any', '_Entity', '_Service']));
    const directives = served.getDirectives().map((d) => d.name).filter((name) => !api.getDirective(name));
    for (const name of directives) expect(['link', 'key'].includes(name) || name.startsWith('federation__'), name).toBe(true);
  });

  it("keeps type-graphql's resolvers: the subscription's subscribe and resolve, a query's pipeline", () => {
    const field = served.getSubscriptionType()!.getFields().consentChanged!;
    const own = api.getSubscriptionType()!.getFields().consentChanged!;
    expect(field.subscribe).toBe(own.subscribe);
    expect(field.resolve).toBe(own.resolve);
    expect(served.getQueryType()!.getFields().customer!.resolve).toBe(api.getQueryType()!.getFields().customer!.resolve);
  });
});
