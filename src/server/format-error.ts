import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { fromUpstreamError } from '../datasources/http/upstream.catalogue.js';
import { UpstreamError } from '../datasources/http/upstream.errors.js';
import { isErrorCode } from '../errors/codes.js';
import { GatewayError } from '../errors/errors.js';
import { inputProblem, inputProblemMessage, type InputProblem } from '../logging/input-errors.js';
import { redactText } from '../logging/redact.js';
import { isIdempotencyError } from '../store/errors.js';

const MAX_TOKENS_MESSAGE = /tokens\. Parsing aborted/;
/** graphql-js stops coercing variables after 50 errors with this error, which has no code of its own. */
const TOO_MANY_VARIABLE_ERRORS = 'Too many errors processing variables, error limit reached. Execution aborted.';

/** How many paths a collapsed error lists (in `extensions.inputPaths`; the message names the first few). */
export const MAX_LISTED_PATHS = 10;
const PATHS_IN_MESSAGE = 3;

/** The input problem behind each formatted error that has one, for collapseErrors to group by. */
const problems = new WeakMap<GraphQLFormattedError, InputProblem>();

/** The input problem a formatted error reports, if it reports one (to group copies of it). */
export function problemOf(error: GraphQLFormattedError): InputProblem | undefined {
  return problems.get(error);
}

function formatted(error: GraphQLError, base: GraphQLFormattedError): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
  return {
    message: error.message,
    ...(base.locations ? { locations: base.locations } : {}),
    ...(base.path ? { path: base.path } : {}),
    extensions,
  };
}

/**
 * The edge of the gateway: catalogued errors pass as they are (their messages are safe by construction);
 * vendor failures become their catalogued reading; input-value errors are rebuilt from their structure into the
 * path and what was expected (never the value); GraphQL's other errors keep their code with their message
 * redacted; everything else is masked.
 */
export function formatError(base: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof GatewayError) return formatted(original, base);
  if (original instanceof UpstreamError) return formatted(fromUpstreamError(original), base);
  if (isIdempotencyError(original)) return formatted(new GatewayError(original.code, original.message), base);

  const code = base.extensions?.code;
  const problem = inputProblem(error);
  if (problem) {
    const out: GraphQLFormattedError = {
      message: inputProblemMessage(problem),
      ...(base.locations ? { locations: base.locations } : {}),
      extensions: { code: problem.code ?? (isErrorCode(code) ? code : 'BAD_USER_INPUT'), inputPaths: [problem.path] },
    };
    problems.set(out, problem);
    return out;
  }

  if (error instanceof GraphQLError && error.message === TOO_MANY_VARIABLE_ERRORS) {
    return { message: 'The variables hold too many invalid values: only the first 50 are reported.', extensions: { code: 'BAD_USER_INPUT' } };
  }

  // A validation error whose cause is ours (a limit rule) speaks with the cause's code.
  if (error instanceof GraphQLError && error.originalError instanceof GatewayError) {
    return formatted(error.originalError, base);
  }

  if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') {
    if (code === 'GRAPHQL_PARSE_FAILED' && MAX_TOKENS_MESSAGE.test(base.message)) {
      return { message: 'The operation has too many tokens.', extensions: { code: 'QUERY_TOO_COMPLEX' } };
    }
    return {
      message: redactText(base.message),
      ...(base.locations ? { locations: base.locations } : {}),
      ...(base.path ? { path: base.path } : {}),
      extensions: { code },
    };
  }
  return {
    message: 'Internal server error.',
    ...(base.path ? { path: base.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function quotedList(paths: readonly string[], total: number): string {
  const shown = paths.slice(0, PATHS_IN_MESSAGE).map((p) => `"${p}"`);
  return total > shown.length ? `${shown.join(', ')} and ${total - shown.length} more` : shown.join(' and ');
}

function mergedLocations(group: readonly GraphQLFormattedError[]): GraphQLFormattedError['locations'] {
  const seen = new Map<string, { line: number; column: number }>();
  for (const error of group) {
    for (const location of error.locations ?? []) seen.set(`${location.line}:${location.column}`, location);
  }
  return seen.size > 0 ? [...seen.values()].slice(0, MAX_LISTED_PATHS) : undefined;
}

function collapsed(group: readonly GraphQLFormattedError[]): GraphQLFormattedError {
  const first = group[0]!;
  const locations = mergedLocations(group);
  const problem = problems.get(first);
  if (!problem) {
    return { ...first, ...(locations ? { locations } : {}), extensions: { ...first.extensions, count: group.length } };
  }
  const paths = group.map((error) => problems.get(error)!.path);
  return {
    message: `${problem.subject} has invalid values at ${quotedList(paths, paths.length)}: ${problem.reason}`,
    ...(locations ? { locations } : {}),
    extensions: { ...first.extensions, inputPaths: paths.slice(0, MAX_LISTED_PATHS), inputPathCount: paths.length },
  };
}

/**
 * Copies of one request error collapse into one: 60 invalid phones answer one BAD_USER_INPUT that lists the
 * paths (at most MAX_LISTED_PATHS of them, `inputPathCount` says how many there were), not 60 errors. Errors with
 * a response `path` (from resolvers) are never merged: each one explains the null at its own path. The first
 * error of each group keeps its place in the list.
 */
export function collapseErrors(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  const groups = new Map<string, GraphQLFormattedError[]>();
  const order: Array<GraphQLFormattedError | GraphQLFormattedError[]> = [];
  for (const error of errors) {
    if (error.path) {
      order.push(error);
      continue;
    }
    const problem = problems.get(error);
    const key = JSON.stringify([error.extensions?.code, problem ? [problem.subject, problem.reason] : error.message]);
    const group = groups.get(key);
    if (group) group.push(error);
    else {
      const created = [error];
      groups.set(key, created);
      order.push(created);
    }
  }
  return order.map((entry) => (Array.isArray(entry) ? (entry.length === 1 ? entry[0]! : collapsed(entry)) : entry));
}
