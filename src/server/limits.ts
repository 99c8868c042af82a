import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { QueryTooComplexError } from '../errors/errors.js';

/** Introspection selections (Sandbox's schema query nests ~14 levels) get their own, fixed allowance. */
const INTROSPECTION_DEPTH = 20;

/** The deepest path that stays out of introspection, and the deepest one inside `__schema` / `__type`. */
interface Depths {
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

/**
 * Rejects operations nested deeper than `maxDepth` before any resolver runs. Introspection paths get
 * `INTROSPECTION_DEPTH`; every other path in the same operation still gets `maxDepth`.
 */
export function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const measured = new Map<string, Depths>();
    const introspectionLimit = Math.max(maxDepth, INTROSPECTION_DEPTH);
    return {
      OperationDefinition(operation) {
        const depths = depthOf(operation.selectionSet, { fragments, visiting: new Set(), measured }, false);
        const [depth, limit] =
          depths.plain > maxDepth ? [depths.plain, maxDepth] : [depths.introspection, introspectionLimit];
        if (depth > limit) {
          context.reportError(withNode(new QueryTooComplexError(`The operation is nested ${depth} levels deep; the limit is ${limit}.`), operation));
        }
      },
    };
  };
}

/** Rejects documents with more than `maxAliases` aliased fields (alias batching brute-forces PINs). */
export function aliasLimit(maxAliases: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let aliases = 0;
    let reported = false;
    return {
      Field(node) {
        if (!node.alias) return;
        aliases++;
        if (aliases > maxAliases && !reported) {
          reported = true;
          context.reportError(withNode(new QueryTooComplexError(`The operation uses more than ${maxAliases} aliases.`), node));
        }
      },
    };
  };
}

function withNode(error: QueryTooComplexError, node: { loc?: unknown }): GraphQLError {
  // Keep the catalogued error as the cause so formatError can speak with its code.
  return new GraphQLError(error.message, { nodes: node as never, originalError: error, extensions: error.extensions });
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
          context.reportError(withNode(new QueryTooComplexError(`The operation uses more than ${maxDirectives} directives.`), node));
        }
      },
    };
  };
}
