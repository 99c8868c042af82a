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

function depthOf(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visiting: Set<string>,
  introspection: boolean,
): { depth: number; introspection: boolean } {
  let deepest = 0;
  let sawIntrospection = introspection;
  for (const selection of set.selections) {
    let child: { depth: number; introspection: boolean } | undefined;
    if (selection.kind === Kind.FIELD) {
      const entering = introspection || selection.name.value === '__schema' || selection.name.value === '__type';
      const inner = selection.selectionSet
        ? depthOf(selection.selectionSet, fragments, visiting, entering)
        : { depth: 0, introspection: entering };
      child = { depth: inner.depth + 1, introspection: inner.introspection };
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      child = depthOf(selection.selectionSet, fragments, visiting, introspection);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue; // unknown or cyclic: other rules report it
      visiting.add(name);
      child = depthOf(fragment.selectionSet, fragments, visiting, introspection);
      visiting.delete(name);
    }
    if (child.depth > deepest) deepest = child.depth;
    if (child.introspection) sawIntrospection = true;
  }
  return { depth: deepest, introspection: sawIntrospection };
}

/** Rejects operations nested deeper than `maxDepth` before any resolver runs. */
export function depthLimit(maxDepth: number): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        const { depth, introspection } = depthOf(operation.selectionSet, fragments, new Set(), false);
        const limit = introspection ? Math.max(maxDepth, INTROSPECTION_DEPTH) : maxDepth;
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
