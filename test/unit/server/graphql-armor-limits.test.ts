/**
 * GraphQL Armor (@escape.tech/graphql-armor-*) against what the gateway's limits must do. The alias rule is
 * adopted (src/server/limits.ts configures it); these tests keep the evidence for the two rules that are not:
 * what GraphQL Armor's depth and directive rules cannot do, run against the same documents as ours.
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate, type GraphQLError, type ValidationRule } from 'graphql';
import { describe, expect, it } from 'vitest';
import { aliasLimit, depthLimit, directiveLimit, INTROSPECTION_DEPTH } from '../../../src/server/limits.js';

const schema = buildSchema(`
  type Query { customer(id: ID!): Customer }
  type Customer { id: ID! firstName: String phones: [Phone!]! }
  type Phone { number: String }
`);

/** The gateway's default GRAPHQL_MAX_DEPTH. */
const MAX_DEPTH = 10;

const report = (context: { reportError(error: GraphQLError): void } | null, error: GraphQLError) => context?.reportError(error);

function errors(rule: ValidationRule, query: string): string[] {
  return validate(schema, parse(query), [...specifiedRules, rule]).map((e) => e.message);
}

const SANDBOX_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** `__schema { types { fields { type { ofType { ofType { ... } } } } } }`, `levels` ofType deep. */
function deepIntrospection(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++) inner = `ofType { ${inner} }`;
  return `{ __schema { types { fields { type { ${inner} } } } } }`;
}

describe('GraphQL Armor max-aliases (adopted)', () => {
  it('counts aliases as executed, through nested spreads, without walking every path', () => {
    const armor = maxAliasesRule({ n: 100, allowList: [], propagateOnRejection: false, onReject: [report] });
    // F0 spreads F1 twice, ..., F23 spreads F24 twice; F24 holds one alias: 2^24 aliases executed.
    const n = 24;
    const fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on Customer { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const query = `{ customer(id: "1") { ...F0 } } ${fragments} fragment F${n} on Customer { a: id }`;
    expect(errors(armor, query)).toEqual([`Syntax Error: Aliases limit of 100 exceeded, found ${2 ** n}.`]);
  });

  it('as configured by the gateway: our code and wording, aliased __typename counted, nothing thrown', () => {
    const rule = aliasLimit(3);
    const result = validate(schema, parse('{ a: __typename b: __typename c: __typename d: customer(id: "1") { id } }'), [...specifiedRules, rule]);
    expect(result.map((e) => [e.message, e.extensions.code])).toEqual([['The operation uses more than 3 aliases.', 'QUERY_TOO_COMPLEX']]);
    expect(errors(rule, '{ customer(id: "1") { ...F ...F ...F } } fragment F on Customer { a: id }')).toEqual([]);
    expect(errors(rule, '{ customer(id: "1") { ...F ...F ...F ...F } } fragment F on Customer { a: id }')).toEqual([
      'The operation uses more than 3 aliases.',
    ]);
  });

  it('left at its defaults it throws out of validate() instead of reporting (why onReject and propagateOnRejection are set)', () => {
    expect(() => errors(maxAliasesRule({ n: 1 }), '{ a: customer(id: "1") { id } b: customer(id: "2") { id } }')).toThrow(
      'Syntax Error: Aliases limit of 1 exceeded, found 2.',
    );
  });
});

describe('GraphQL Armor max-depth (not adopted): introspection has no bounded allowance of its own', () => {
  it('with ignoreIntrospection (its default) an introspection query of any depth passes', () => {
    const armor = maxDepthRule({ n: MAX_DEPTH, propagateOnRejection: false, onReject: [report] });
    expect(errors(armor, deepIntrospection(200))).toEqual([]);
    // Ours bounds it at the measured allowance.
    expect(errors(depthLimit(MAX_DEPTH), deepIntrospection(200))).toEqual([
      `The operation is nested ${200 + 5} levels deep; the limit is ${INTROSPECTION_DEPTH}.`,
    ]);
  });

  it('without it introspection counts against the operation limit, and Sandbox\'s own query fails at the default', () => {
    const armor = maxDepthRule({ n: MAX_DEPTH, ignoreIntrospection: false, propagateOnRejection: false, onReject: [report] });
    expect(errors(armor, SANDBOX_INTROSPECTION)).toHaveLength(1);
    expect(errors(depthLimit(MAX_DEPTH), SANDBOX_INTROSPECTION)).toEqual([]);
  });
});

describe('GraphQL Armor max-directives (not adopted): directives on repeated spreads go uncounted', () => {
  const query = `{ customer(id: "1") {
    ...F @include(if: true) @skip(if: false)
    ...F @include(if: true) @skip(if: false)
    ...F @include(if: true) @skip(if: false)
  } } fragment F on Customer { id }`;

  it('lets six directives through a limit of three: a spread seen before adds only its fragment\'s count', () => {
    const armor = maxDirectivesRule({ n: 3, propagateOnRejection: false, onReject: [report] });
    expect(errors(armor, query)).toEqual([]);
  });

  it('ours counts every directive the parser and validator have to process', () => {
    expect(errors(directiveLimit(3), query)).toEqual(['The operation uses more than 3 directives.']);
  });
});
