import { getIntrospectionQuery, Kind, parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { INTROSPECTION_DEPTH, measureDepth } from '../../../src/server/limits.js';

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
