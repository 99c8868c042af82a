import { buildSchema, getIntrospectionQuery, Kind, parse, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { INTROSPECTION_DEPTH, measureDepth, oncePerOperation } from '../../../src/server/limits.js';

/** The document with every fragment definition's selection set reads counted: how often the walk enters each. */
function countingFragmentWalks(document: DocumentNode): { document: DocumentNode; walks: Map<string, number> } {
  const walks = new Map<string, number>();
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) return definition;
    const name = definition.name.value;
    return new Proxy(definition, {
      get(target, property, receiver) {
        if (property === 'selectionSet') walks.set(name, (walks.get(name) ?? 0) + 1);
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
  });
  return { document: { ...document, definitions }, walks };
}

describe('measureDepth', () => {
  it('measures field levels; inline fragments and spreads add none', () => {
    expect(measureDepth(parse('{ customer(id: "1") { id } }'))).toEqual({ plain: 2, introspection: 0 });
    expect(
      measureDepth(parse('{ customer(id: "1") { ... on Customer { ...P } } } fragment P on Customer { phones { number } }')),
    ).toEqual({ plain: 3, introspection: 0 });
  });

  it('walks a fragment spread on 2^24 paths once per fragment', () => {
    const n = 24;
    const fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on Customer { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const { document, walks } = countingFragmentWalks(parse(`{ customer(id: "1") { ...F0 } } ${fragments} fragment F${n} on Customer { phones { number } }`));
    expect(measureDepth(document)).toEqual({ plain: 3, introspection: 0 });
    expect(walks.size).toBe(n + 1);
    for (const [name, count] of walks) expect(count, name).toBe(1);
  });

  it('counts introspection paths apart from the rest of the operation', () => {
    expect(measureDepth(parse(getIntrospectionQuery()))).toEqual({ plain: 0, introspection: INTROSPECTION_DEPTH });
    expect(measureDepth(parse('{ __schema { queryType { name } } customer(id: "1") { phones { number } } }'))).toEqual({
      plain: 3,
      introspection: 3,
    });
  });
});

describe('oncePerOperation', () => {
  const schema = buildSchema(`
    type Query { ok: Boolean }
    type Mutation { confirm(pin: String): Boolean other: Boolean }
  `);
  const errors = (source: string) =>
    validate(schema, parse(source), [oncePerOperation(['confirm'])]).map((e) => [e.extensions?.code, e.message]);
  const refused = [['QUERY_TOO_COMPLEX', 'An operation may hold only one confirm field; this one holds 2.']];

  it('refuses two executions: aliases, a fragment spread, an inline fragment', () => {
    expect(errors('mutation { a: confirm(pin: "1") b: confirm(pin: "2") }')).toEqual(refused);
    expect(errors('mutation { ...F confirm(pin: "2") } fragment F on Mutation { a: confirm(pin: "1") }')).toEqual(refused);
    expect(errors('mutation { ... on Mutation { a: confirm(pin: "1") } b: confirm(pin: "2") }')).toEqual(refused);
  });

  it('allows one execution: a single field, identical unaliased fields (merged), the same fragment spread twice', () => {
    expect(errors('mutation { confirm(pin: "1") other }')).toEqual([]);
    expect(errors('mutation { confirm(pin: "1") confirm(pin: "1") }')).toEqual([]);
    expect(errors('mutation { ...F ...F } fragment F on Mutation { a: confirm(pin: "1") }')).toEqual([]);
  });

  it('judges each operation of a document on its own', () => {
    expect(errors('mutation A { confirm(pin: "1") } mutation B { confirm(pin: "2") }')).toEqual([]);
  });
});
