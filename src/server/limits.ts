import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import {
  GraphQLError,
  Kind,
  type ASTNode,
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { QueryTooComplexError } from '../errors/errors.js';

/**
 * Introspection selections get their own, fixed allowance: the depth of the deepest introspection query the
 * tools we support send, measured (test/integration/gateway/http-surface.test.ts checks it stays the maximum):
 * graphql-js 16's getIntrospectionQuery() with every option Apollo Sandbox sets, and what @graphql-codegen/cli
 * sends, both nest 15 levels (`__schema > types > fields > args > type` and TypeRef's nine `ofType` levels).
 */
export const INTROSPECTION_DEPTH = 15;

/** The deepest path that stays out of introspection, and the deepest one inside `__schema` / `__type`. */
export interface Depths {
  plain: number;
  introspection: number;
}

interface Walk {
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** Fragments on the current path: a cycle is skipped here (NoFragmentCyclesRule reports it). */
  readonly visiting: Set<string>;
  /**
   * Per fragment and mode: a fragment spread many times is measured once, not once per path (2^n otherwise).
   * A measure taken inside a cycle can be short, but a cyclic document fails validation anyway.
   */
  readonly measured: Map<string, Depths>;
}

function depthOf(set: SelectionSetNode, walk: Walk, introspection: boolean): Depths {
  const deepest: Depths = { plain: 0, introspection: 0 };
  for (const selection of set.selections) {
    let child: Depths;
    if (selection.kind === Kind.FIELD) {
      const entering = introspection || selection.name.value === '__schema' || selection.name.value === '__type';
      const inner = selection.selectionSet ? depthOf(selection.selectionSet, walk, entering) : { plain: 0, introspection: 0 };
      // Only the paths through an introspection field count against the introspection allowance.
      child = entering
        ? { plain: 0, introspection: Math.max(inner.plain, inner.introspection) + 1 }
        : { plain: inner.plain + 1, introspection: inner.introspection === 0 ? 0 : inner.introspection + 1 };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      child = depthOf(selection.selectionSet, walk, introspection);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || walk.visiting.has(name)) continue; // unknown or cyclic: other rules report it
      const key = `${introspection ? 'i' : 'p'}:${name}`;
      let measured = walk.measured.get(key);
      if (!measured) {
        walk.visiting.add(name);
        measured = depthOf(fragment.selectionSet, walk, introspection);
        walk.visiting.delete(name);
        walk.measured.set(key, measured);
      }
      child = measured;
    }
    if (child.plain > deepest.plain) deepest.plain = child.plain;
    if (child.introspection > deepest.introspection) deepest.introspection = child.introspection;
  }
  return deepest;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** The depths of a document's deepest operation, as depthLimit measures them (for tests and tooling). */
export function measureDepth(document: DocumentNode): Depths {
  const walk: Walk = { fragments: fragmentsOf(document), visiting: new Set(), measured: new Map() };
  const deepest: Depths = { plain: 0, introspection: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const depths = depthOf(definition.selectionSet, walk, false);
    deepest.plain = Math.max(deepest.plain, depths.plain);
    deepest.introspection = Math.max(deepest.introspection, depths.introspection);
  }
  return deepest;
}

/**
 * Rejects operations nested deeper than `maxDepth` before any resolver runs. Introspection paths get
 * `INTROSPECTION_DEPTH`; every other path in the same operation still gets `maxDepth`.
 */
export function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = fragmentsOf(context.getDocument());
    const measured = new Map<string, Depths>();
    const introspectionLimit = Math.max(maxDepth, INTROSPECTION_DEPTH);
    return {
      OperationDefinition(operation) {
        const depths = depthOf(operation.selectionSet, { fragments, visiting: new Set(), measured }, false);
        const [depth, limit] =
          depths.plain > maxDepth ? [depths.plain, maxDepth] : [depths.introspection, introspectionLimit];
        if (depth > limit) {
          context.reportError(catalogued(new QueryTooComplexError(`The operation is nested ${depth} levels deep; the limit is ${limit}.`), operation));
        }
      },
    };
  };
}

/**
 * Rejects operations with more than `maxAliases` aliased fields as executed (alias batching brute-forces PINs):
 * an aliased field in a fragment spread ten times counts ten times, through nested spreads too. GraphQL Armor's
 * rule counts exactly that, memoising each fragment's count (no exponential walk); it is configured to count
 * aliased `__typename` too and to report our catalogued error (with our wording) instead of throwing its own.
 */
export function aliasLimit(maxAliases: number): ValidationRule {
  return maxAliasesRule({
    n: maxAliases,
    allowList: [],
    exposeLimits: false,
    propagateOnRejection: false,
    onReject: [
      (context) => context?.reportError(catalogued(new QueryTooComplexError(`The operation uses more than ${maxAliases} aliases.`))),
    ],
  });
}

/** Keeps the catalogued error as the cause so formatError speaks with its code; `node` locates it when known. */
function catalogued(error: QueryTooComplexError, node?: ASTNode): GraphQLError {
  return new GraphQLError(error.message, { ...(node ? { nodes: node } : {}), originalError: error, extensions: error.extensions });
}

/**
 * Rejects an operation that would run one of `fieldNames` (root fields) more than once: an alias per PIN guess
 * would otherwise try many PINs in one request. Counted as executed: distinct response keys (alias or name),
 * through fragment spreads and inline fragments; two identical unaliased fields merge into one execution and count
 * once. Every operation of the document is checked (only one runs, but which is the client's choice).
 */
export function oncePerOperation(fieldNames: readonly string[]): ValidationRule {
  const watched = new Set(fieldNames);
  return (context: ValidationContext): ASTVisitor => {
    const fragments = fragmentsOf(context.getDocument());
    return {
      OperationDefinition(operation) {
        const keys = new Map<string, Set<string>>();
        collectRootKeys(operation.selectionSet, watched, fragments, new Set(), keys);
        for (const [name, responseKeys] of keys) {
          if (responseKeys.size > 1) {
            context.reportError(
              catalogued(new QueryTooComplexError(`An operation may hold only one ${name} field; this one holds ${responseKeys.size}.`), operation),
            );
          }
        }
      },
    };
  };
}

function collectRootKeys(
  set: SelectionSetNode,
  watched: ReadonlySet<string>,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string>,
  keys: Map<string, Set<string>>,
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (!watched.has(name)) continue;
      const found = keys.get(name) ?? new Set<string>();
      found.add(selection.alias?.value ?? name);
      keys.set(name, found);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectRootKeys(selection.selectionSet, watched, fragments, visiting, keys);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || visiting.has(fragment.name.value)) continue; // unknown or cyclic: other rules report it
      visiting.add(fragment.name.value);
      collectRootKeys(fragment.selectionSet, watched, fragments, visiting, keys);
      visiting.delete(fragment.name.value);
    }
  }
}

/** Rejects documents with more than `maxDirectives` directives (directive overload is a known parser/validator DoS). */
export function directiveLimit(maxDirectives: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let directives = 0;
    let reported = false;
    return {
      Directive(node) {
        directives++;
        if (directives > maxDirectives && !reported) {
          reported = true;
          context.reportError(catalogued(new QueryTooComplexError(`The operation uses more than ${maxDirectives} directives.`), node));
        }
      },
    };
  };
}
