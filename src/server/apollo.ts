import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Config } from '../config/index.js';
import { GatewayError } from '../errors/errors.js';
import { locateLiteralErrors } from '../logging/input-errors.js';
import { redactText } from '../logging/redact.js';
import type { GatewayContext } from './context.js';
import { collapseErrors, formatError, MAX_LISTED_PATHS, problemOf } from './format-error.js';
import { ONCE_PER_OPERATION_FIELDS } from '../schema/verification/verification.limits.js';
import { landingPagePlugin } from './landing.js';
import { aliasLimit, depthLimit, directiveLimit, oncePerOperation } from './limits.js';

/** Subscriptions travel over graphql-ws; over HTTP one would fail deep in execution as an internal error. */
const subscriptionsOverHttp: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation === 'subscription') {
          throw new GatewayError('BAD_REQUEST', 'Subscriptions are not served over HTTP: they travel over graphql-ws.', {}, 400);
        }
      },
    };
  },
};

/**
 * Literal-value validation errors name AST nodes; the document is at hand only here, so this is where the
 * path of each bad literal (`input.phones[1].number`) is worked out for formatError and the log to use.
 */
const literalErrorPaths: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async validationDidStart({ document, schema }) {
        return async (errors?: readonly Error[]) => {
          const graphqlErrors = (errors ?? []).filter((error): error is GraphQLError => error instanceof GraphQLError);
          if (graphqlErrors.length > 0) locateLiteralErrors(graphqlErrors, document, schema);
        };
      },
    };
  },
};

interface Reported {
  readonly level: 'error' | 'warn' | 'info';
  readonly fields: Record<string, unknown>;
  readonly message: string;
  /** Copies of one error share it: the code and wording, less the input path that differs between copies. */
  readonly key: string;
}

/** One error as the log tells it: the client's (safe) wording, the code, and for a bug its redacted detail. */
function reported(error: GraphQLError): Reported {
  const client = formatError({ message: error.message, extensions: error.extensions, ...(error.path ? { path: error.path } : {}) }, error);
  const code = client.extensions?.code;
  const vendor = client.extensions?.vendor;
  const path = error.path?.join('.');
  if (code === 'INTERNAL_SERVER_ERROR') {
    const original = error.originalError ?? error;
    const message = redactText(original.message);
    return {
      level: 'error',
      fields: { code, path, err: { message, stack: original.stack && redactText(original.stack) } },
      message: 'unexpected error while resolving',
      key: JSON.stringify([code, path, message]),
    };
  }
  const problem = problemOf(client);
  const level = typeof code === 'string' && code.startsWith('UPSTREAM_') ? 'warn' : 'info';
  const fields = { code, vendor, path, inputPaths: client.extensions?.inputPaths };
  return { level, fields, message: client.message, key: JSON.stringify([code, vendor, problem ? [problem.subject, problem.reason] : client.message]) };
}

/**
 * Logs each distinct error once with the request's id (copies of one error as one line with a count), at a
 * level by kind; collapses copies in the response; stamps the request id on every error the client gets so
 * support can find the log line.
 */
const errorReporting: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        const lines = new Map<string, { line: Reported; count: number; inputPaths: unknown[] }>();
        for (const error of errors) {
          const line = reported(error);
          const paths = Array.isArray(line.fields.inputPaths) ? (line.fields.inputPaths as unknown[]) : [];
          const seen = lines.get(line.key);
          if (seen) {
            seen.count++;
            seen.inputPaths.push(...paths.slice(0, Math.max(0, MAX_LISTED_PATHS - seen.inputPaths.length)));
          } else {
            lines.set(line.key, { line, count: 1, inputPaths: [...paths] });
          }
        }
        for (const { line, count, inputPaths } of lines.values()) {
          const fields = { ...line.fields, ...(inputPaths.length ? { inputPaths } : {}), ...(count > 1 ? { count } : {}) };
          contextValue.logger?.[line.level](fields, line.message);
        }
      },
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
        const errors: GraphQLFormattedError[] = collapseErrors(response.body.singleResult.errors);
        if (contextValue?.requestId) {
          for (const error of errors) (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
        }
        response.body.singleResult.errors = errors;
      },
    };
  },
};

export function createApollo(schema: GraphQLSchema, config: Config, app: FastifyInstance): ApolloServer<GatewayContext> {
  const { graphql, production } = config;
  return new ApolloServer<GatewayContext>({
    schema,
    logger: app.log,
    introspection: graphql.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    nodeEnv: config.nodeEnv,
    parseOptions: { maxTokens: graphql.maxTokens },
    validationRules: [
      depthLimit(graphql.maxDepth),
      aliasLimit(graphql.maxAliases),
      directiveLimit(graphql.maxDirectives),
      oncePerOperation(ONCE_PER_OPERATION_FIELDS),
    ],
    formatError,
    plugins: [
      // The default cache-control plugin wraps every field resolver to compute cache hints nobody reads here
      // (vendor data is not HTTP-cacheable): ~5% of CPU on list queries. No per-field instrumentation at all.
      ApolloServerPluginCacheControlDisabled(),
      fastifyApolloDrainPlugin(app),
      subscriptionsOverHttp,
      literalErrorPaths,
      errorReporting,
      landingPagePlugin(config),
    ],
  });
}
