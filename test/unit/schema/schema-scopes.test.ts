import { buildSchema as buildFromSdl, execute, parse, type GraphQLSchema } from 'graphql';
import {
  Arg,
  Authorized,
  buildSchema,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
  type PubSub,
} from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScopeAuthChecker } from '../../../src/auth/auth-checker.js';
import { consentPubSub, createInProcessConsentEvents, type ConsentEvents } from '../../../src/consent/index.js';
import { RESOLVERS } from '../../../src/resolvers/index.js';
import { buildGatewaySchema } from '../../../src/server/schema.js';
import { printGatewaySchema } from '../../../src/server/schema-print.js';
import { describeRequiredScopes, requiredScopes, scopeSentence } from '../../../src/server/schema-scopes.js';

// A small schema with @Authorized in every place type-graphql takes it. Names are unique to this file. ScopeProbeBase is
// not reachable from a root, so it is not in the schema: only its field inherited by ScopeProbe is.
@ObjectType({ description: 'Base.' })
class ScopeProbeBase {
  @Authorized('base:read')
  @Field(() => String, { description: 'Inherited and guarded.' })
  inherited!: string;
}

@ObjectType({ description: 'Probe.' })
class ScopeProbe extends ScopeProbeBase {
  @Field(() => ID, { description: 'Open.' })
  id!: string;

  @Authorized('pii:read')
  @Field(() => String, { description: 'Guarded field.' })
  secret!: string;

  @Authorized()
  @Field(() => String, { description: 'Authorized without scopes.' })
  anyCaller!: string;

  @Authorized('a:read')
  @Field(() => String)
  undescribed!: string;
}

const probe = (): ScopeProbe => Object.assign(new ScopeProbe(), { id: '1', secret: 's', anyCaller: 'c', undescribed: 'u', inherited: 'i' });

@Resolver(() => ScopeProbe)
class ScopeProbeResolver {
  @Authorized('probes:read')
  @Query(() => ScopeProbe, { description: 'Guarded query.' })
  scopeProbe(): ScopeProbe {
    return probe();
  }

  @Query(() => Boolean, { description: 'Open query.' })
  openProbe(): boolean {
    return true;
  }

  @Authorized('probes:read', 'probes:write')
  @Mutation(() => Boolean, { description: 'Guarded mutation.' })
  writeProbe(): boolean {
    return true;
  }

  @Authorized('probes:watch')
  @Subscription(() => Boolean, { topics: 'PROBE', description: 'Guarded subscription.' })
  probeEvents(@Root() event: boolean): boolean {
    return event;
  }

  @Authorized('extra:read')
  @FieldResolver(() => String, { description: 'Guarded field resolver.' })
  extra(@Root() p: ScopeProbe): string {
    return p.id;
  }
}

// @Authorized on the class guards every handler of it.
@Authorized('class:read')
@Resolver()
class ScopeProbeClassResolver {
  @Query(() => String, { description: 'Guarded by its class.' })
  classProbe(@Arg('x', () => String, { nullable: true }) x?: string): string {
    return x ?? 'x';
  }
}

const pubSub: PubSub = { publish: () => undefined, subscribe: () => (async function* () {})() };

async function probeSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [ScopeProbeResolver, ScopeProbeClassResolver], authChecker: ScopeAuthChecker, validate: false, pubSub });
}

describe('scopeSentence', () => {
  it('names one scope, or several joined', () => {
    expect(scopeSentence(['pii:read'])).toBe('Needs scope `pii:read` (FORBIDDEN without it).');
    expect(scopeSentence(['a', 'b'])).toBe('Needs scopes `a` and `b` (FORBIDDEN without them).');
    expect(scopeSentence(['a', 'b', 'c'])).toBe('Needs scopes `a`, `b` and `c` (FORBIDDEN without them).');
  });
});

describe('requiredScopes and describeRequiredScopes on a small schema', () => {
  it('reads @Authorized from class fields, inherited fields, root handlers, field resolvers and resolver classes', async () => {
    const schema = await probeSchema();
    expect(Object.fromEntries(requiredScopes(schema, [ScopeProbeResolver, ScopeProbeClassResolver]))).toEqual({
      'Query.scopeProbe': ['probes:read'],
      'Query.classProbe': ['class:read'],
      'Mutation.writeProbe': ['probes:read', 'probes:write'],
      'Subscription.probeEvents': ['probes:watch'],
      'ScopeProbe.secret': ['pii:read'],
      'ScopeProbe.undescribed': ['a:read'],
      'ScopeProbe.inherited': ['base:read'],
      'ScopeProbe.extra': ['extra:read'],
    });
  });

  it('appends the sentence to guarded fields only, and makes it the description where there was none', async () => {
    const schema = await probeSchema();
    describeRequiredScopes(schema, requiredScopes(schema, [ScopeProbeResolver, ScopeProbeClassResolver]));
    const fields = (name: string) => (schema.getType(name) as import('graphql').GraphQLObjectType).getFields();
    expect(fields('Query')['scopeProbe']!.description).toBe('Guarded query. Needs scope `probes:read` (FORBIDDEN without it).');
    expect(fields('Query')['openProbe']!.description).toBe('Open query.');
    expect(fields('Mutation')['writeProbe']!.description).toBe('Guarded mutation. Needs scopes `probes:read` and `probes:write` (FORBIDDEN without them).');
    expect(fields('ScopeProbe')['undescribed']!.description).toBe('Needs scope `a:read` (FORBIDDEN without it).');
    expect(fields('ScopeProbe')['anyCaller']!.description).toBe('Authorized without scopes.');
    expect(fields('ScopeProbe')['id']!.description).toBe('Open.');
  });

  it('only describes what it is handed, and only once', async () => {
    const schema = await probeSchema();
    const scopes = requiredScopes(schema, [ScopeProbeResolver, ScopeProbeClassResolver]);
    describeRequiredScopes(schema, scopes);
    describeRequiredScopes(schema, scopes);
    const secret = (schema.getType('ScopeProbe') as import('graphql').GraphQLObjectType).getFields()['secret']!;
    expect(secret.description).toBe('Guarded field. Needs scope `pii:read` (FORBIDDEN without it).');
  });

  it('refuses a coordinate the schema lacks', async () => {
    const schema = await probeSchema();
    expect(() => describeRequiredScopes(schema, new Map([['ScopeProbe.nope', ['x']]]))).toThrow('the schema has no field ScopeProbe.nope');
  });

  it('the sentence names the scope the auth checker enforces', async () => {
    const schema = await probeSchema();
    const run = async (query: string, scopes: string[]) =>
      execute({ schema, document: parse(query), contextValue: { caller: { principal: 't', scopes: new Set(scopes) } } });
    const denied = await run('{ scopeProbe { id } }', []);
    expect(denied.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'probes:read' });
    const partly = await run('mutation { writeProbe }', ['probes:read']);
    expect(partly.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'probes:write' });
    const secret = await run('{ scopeProbe { id secret } }', ['probes:read']);
    expect(secret.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'pii:read' });
  });
});

describe('the gateway schema', () => {
  let events: ConsentEvents;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    events = createInProcessConsentEvents();
    schema = await buildGatewaySchema({ pubSub: consentPubSub(events) });
  });
  afterAll(() => events.close());

  it('derives the scopes of the resolvers it serves', () => {
    const scopes = requiredScopes(schema, RESOLVERS);
    expect(scopes.get('Query.customer')).toEqual(['customers:read']);
    expect(scopes.get('Mutation.updateCustomer')).toEqual(['customers:read', 'customers:write']);
    expect(scopes.get('Customer.ssn')).toEqual(['pii:read']);
    expect(scopes.get('Customer.person')).toEqual(['persons:read']);
    expect(scopes.get('PhoneLookup.contactability')).toEqual(['consent:read']);
    expect(scopes.get('Subscription.consentChanged')).toEqual(['consent:read']);
    expect(scopes.has('Query.phone')).toBe(false);
    expect(scopes.has('Customer.ssnLast4')).toBe(false);
  });

  it('schema.graphql as printed carries every scope sentence, and none on open fields', async () => {
    const printed = buildFromSdl(await printGatewaySchema());
    const scopes = requiredScopes(schema, RESOLVERS);
    expect(scopes.size).toBeGreaterThan(20);
    for (const type of Object.values(printed.getTypeMap())) {
      if (type.name.startsWith('__') || !('getFields' in type) || !('getInterfaces' in type)) continue;
      for (const field of Object.values(type.getFields())) {
        const needed = scopes.get(`${type.name}.${field.name}`);
        if (needed) expect(field.description, `${type.name}.${field.name}`).toMatch(new RegExp(`${escape(scopeSentence(needed))}$`));
        else expect(field.description ?? '', `${type.name}.${field.name}`).not.toContain('Needs scope');
      }
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
