import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { fromUpstreamError } from '../datasources/http/upstream.catalogue.js';
import { UpstreamError } from '../datasources/http/upstream.errors.js';
import { isErrorCode } from '../errors/codes.js';
import { GatewayError } from '../errors/errors.js';
import { redactText } from '../logging/redact.js';
import { isIdempotencyError } from '../store/errors.js';

const MAX_TOKENS_MESSAGE = /tokens\. Parsing aborted/;

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
 * vendor failures become their catalogued reading; GraphQL's own errors keep their code with digit runs
 * scrubbed from the message (graphql-js echoes invalid values back); everything else is masked.
 */
export function formatError(base: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof GatewayError) return formatted(original, base);
  if (original instanceof UpstreamError) return formatted(fromUpstreamError(original), base);
  if (isIdempotencyError(original)) return formatted(new GatewayError(original.code, original.message), base);

  // A validation error whose cause is ours (a scalar's parse, a limit rule) speaks with the cause's code.
  if (error instanceof GraphQLError && error.originalError instanceof GatewayError) {
    return formatted(error.originalError, base);
  }

  const code = base.extensions?.code;
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
