import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config/index.js';
import { formatError } from './format-error.js';
import { redactText } from '../logging/redact.js';
import type { GatewayContext } from './context.js';
import { aliasLimit, depthLimit, directiveLimit } from './limits.js';

/**
 * Logs every error once with the request's id, at a level by kind, and stamps the id on each error the
 * client gets so support can find the log line. Messages here are already safe (formatError's input is
 * catalogued or redacted), but an unexpected error's message is scrubbed before it is written.
 */
const errorReporting: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          const code = error.extensions?.code;
          const vendor = error.extensions?.vendor;
          const path = error.path?.join('.');
          const original = error.originalError;
          if (code === undefined || code === 'INTERNAL_SERVER_ERROR') {
            contextValue.logger?.error(
              { code: 'INTERNAL_SERVER_ERROR', path, err: { message: redactText(original?.message ?? error.message), stack: original?.stack && redactText(original.stack) } },
              'unexpected error while resolving',
            );
          } else if (typeof code === 'string' && code.startsWith('UPSTREAM_')) {
            contextValue.logger?.warn({ code, vendor, path }, redactText(error.message));
          } else {
            contextValue.logger?.info({ code, vendor, path }, redactText(error.message));
          }
        }
      },
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || !response.body.singleResult.errors || !contextValue?.requestId) return;
        for (const error of response.body.singleResult.errors) {
          (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
        }
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
    validationRules: [depthLimit(graphql.maxDepth), aliasLimit(graphql.maxAliases), directiveLimit(graphql.maxDirectives)],
    formatError,
    plugins: [
      // The default cache-control plugin wraps every field resolver to compute cache hints nobody reads here
      // (vendor data is not HTTP-cacheable): ~5% of CPU on list queries. No per-field instrumentation at all.
      ApolloServerPluginCacheControlDisabled(),
      fastifyApolloDrainPlugin(app),
      errorReporting,
      graphql.landingPage
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
