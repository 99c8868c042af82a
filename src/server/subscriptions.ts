/**
 * GraphQL subscriptions over graphql-ws (the graphql-transport-ws protocol) on the HTTP port, at `/graphql`.
 *
 * - Authentication is the HTTP one (`Authorization: Bearer <key or JWT>` or `x-api-key`), read from the upgrade
 *   request's headers or, because browsers cannot set WebSocket headers, from those names in the connection_init
 *   payload. It is decided at connection_init: no credentials or bad ones close the socket with 4401, a caller
 *   without the required scope (consent:read) with 4403, before any operation runs.
 * - Only subscriptions travel here: a query or mutation over the socket would skip the HTTP pipeline (limits
 *   plugins, error logging, CSRF); it gets an error pointing at HTTP. The same validation limits apply (tokens,
 *   depth, aliases, directives), and errors are formatted by the one formatError (catalogued or masked).
 * - Each operation gets a context built like an HTTP request's (its own request id, logger and AbortSignal,
 *   aborted when the client completes it or the socket closes).
 * - close(): refuses new upgrades, closes every socket (1001), terminates the ones that do not answer, and lets
 *   every subscription's iterator return (which unsubscribes from ConsentEvents).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticate, Caller } from '../auth/authenticate.js';
import type { Scope } from '../auth/scopes.js';
import { ConsentEventsOverflowError } from '../consent/index.js';
import type { Config } from '../config/index.js';
import { UnauthenticatedError } from '../errors/errors.js';
import { formatError } from './format-error.js';
import { aliasLimit, depthLimit, directiveLimit } from './limits.js';

/** graphql-ws close codes (the protocol's). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;

/** What one operation's context is built from; the app turns it into a GatewayContext like an HTTP request's. */
export interface OperationScope {
  readonly requestId: string;
  readonly caller: Caller;
  readonly logger: FastifyBaseLogger;
  readonly signal: AbortSignal;
}

export interface SubscriptionServerOptions {
  /** The HTTP server (fastify.server): upgrades on `path` become graphql-ws connections. */
  readonly server: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly authenticate: Authenticate;
  /** Needed to connect at all. */
  readonly requiredScope: Scope;
  readonly logger: FastifyBaseLogger;
  readonly graphql: Config['graphql'];
  /** Production: no "Did you mean ..." in validation errors (they leak the schema when introspection is off). */
  readonly hideSchemaDetails: boolean;
  /** Largest message a client may send (a subscription document and its variables). */
  readonly maxPayloadBytes: number;
  /** How long a socket may take to answer the close frame on shutdown before it is cut. Default 1000. */
  readonly closeGraceMs?: number | undefined;
  readonly contextFor: (scope: OperationScope) => unknown;
}

export interface SubscriptionServer {
  /** Open sockets (connected or still initialising). */
  readonly connections: number;
  close(): Promise<void>;
}

/** What the gateway keeps per connection, next to graphql-ws's socket and upgrade request (set at connection_init). */
type ConnectionState = {
  caller: Caller;
  connectionId: string;
  /** Each running operation's signal, aborted when the client completes it or the socket closes. */
  operations: Map<string, AbortController>;
};

type ConnectionContext = Context<Record<string, unknown> | undefined, Extra & Partial<ConnectionState>>;

function header(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The payload's value for a header name, whatever its case (`Authorization`, `authorization`). */
function fromPayload(payload: Readonly<Record<string, unknown>> | undefined, name: string): string | undefined {
  if (!payload) return undefined;
  for (const [key, value] of Object.entries(payload)) if (key.toLowerCase() === name) return header(value);
  return undefined;
}

/**
 * The credentials as HTTP would carry them: the upgrade request's headers when they hold any, else the
 * connection_init payload's. Never a mix of the two.
 */
export function credentialHeaders(upgrade: IncomingHttpHeaders, payload: Readonly<Record<string, unknown>> | undefined): IncomingHttpHeaders {
  const fromUpgrade = { authorization: header(upgrade.authorization), 'x-api-key': header(upgrade['x-api-key']) };
  if (fromUpgrade.authorization !== undefined || fromUpgrade['x-api-key'] !== undefined) return fromUpgrade;
  return { authorization: fromPayload(payload, 'authorization'), 'x-api-key': fromPayload(payload, 'x-api-key') };
}

function refusal(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });
}

/** graphql-js's own errors with the code Apollo gives them over HTTP (formatError keeps a limit rule's own code). */
function coded(error: GraphQLError, code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED', hideSuggestions: boolean): GraphQLError {
  // Production hides schema details, as Apollo's hideSchemaDetailsFromClientErrors does over HTTP.
  const message = hideSuggestions ? error.message.replace(/ ?Did you mean .+\?$/, '') : error.message;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { schema, graphql, logger } = options;
  const rules = [...specifiedRules, depthLimit(graphql.maxDepth), aliasLimit(graphql.maxAliases), directiveLimit(graphql.maxDirectives)];
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  let closing = false;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== options.path || closing) {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.server.on('upgrade', onUpgrade);

  /** Errors as HTTP formats them: catalogued ones as they are, everything else masked. */
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => {
      if (error.originalError instanceof ConsentEventsOverflowError) {
        return { message: error.originalError.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
      }
      const formatted = formatError(error.toJSON(), error);
      if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ code: 'INTERNAL_SERVER_ERROR', path: error.path?.join('.') }, 'unexpected error in a subscription');
      }
      return formatted;
    });

  const disposable = useServer<Record<string, unknown> | undefined, ConnectionState>(
    {
      schema,
      async onConnect(ctx: ConnectionContext) {
        const connectionId = randomUUID();
        ctx.extra.connectionId = connectionId;
        let caller: Caller;
        try {
          caller = await options.authenticate(credentialHeaders(ctx.extra.request.headers, ctx.connectionParams));
        } catch (error) {
          const message = error instanceof UnauthenticatedError ? error.message : 'Valid credentials are required.';
          logger.debug({ connectionId, transport: 'graphql-ws' }, 'subscription connection refused: unauthenticated (4401)');
          // Closing here (4401) before returning false keeps graphql-ws's own 4403 for the forbidden case.
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, message.slice(0, 120));
          return false;
        }
        if (!caller.scopes.has(options.requiredScope)) {
          logger.debug({ connectionId, principal: caller.principal, transport: 'graphql-ws' }, 'subscription connection refused: scope missing (4403)');
          ctx.extra.socket.close(CLOSE_FORBIDDEN, `Forbidden: subscriptions need the ${options.requiredScope} scope.`);
          return false;
        }
        ctx.extra.caller = caller;
        ctx.extra.operations = new Map();
        logger.debug({ connectionId, principal: caller.principal, transport: 'graphql-ws' }, 'subscription connection accepted');
        return true;
      },
      onSubscribe(ctx: ConnectionContext, id, payload): ExecutionArgs | readonly GraphQLError[] {
        const { caller, operations } = ctx.extra;
        // connection_init was acknowledged, so both are set; graphql-ws refuses subscribe before that.
        if (!caller || !operations) return [refusal('The connection is not initialised.')];
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: graphql.maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? coded(error, 'GRAPHQL_PARSE_FAILED', options.hideSchemaDetails) : refusal('The operation is not valid GraphQL.')];
        }
        const invalid = validate(schema, document, rules);
        if (invalid.length > 0) return invalid.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED', options.hideSchemaDetails));
        const operation = getOperationAST(document, payload.operationName);
        if (operation?.operation !== 'subscription') {
          return [refusal('Only subscriptions travel over graphql-ws; send queries and mutations to POST /graphql.')];
        }
        const controller = new AbortController();
        operations.set(id, controller);
        const requestId = randomUUID();
        const scope: OperationScope = {
          requestId,
          caller,
          logger: logger.child({ reqId: requestId, connectionId: ctx.extra.connectionId, transport: 'graphql-ws' }),
          signal: controller.signal,
        };
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: options.contextFor(scope),
        };
      },
      onOperation(ctx: ConnectionContext, id, payload, _args, result) {
        // After subscribe(): a live subscription's subscriber is registered, so an event recorded from here on reaches it.
        const live = typeof (result as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
        logger.debug(
          { connectionId: ctx.extra.connectionId, operationId: id, operationName: payload.operationName ?? null, live, transport: 'graphql-ws' },
          live ? 'subscription started' : 'subscription refused',
        );
      },
      onNext(_ctx, _id, _payload, _args, result: ExecutionResult) {
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
      onError(_ctx, _id, _payload, errors) {
        return format(errors);
      },
      onComplete(ctx: ConnectionContext, id) {
        ctx.extra.operations?.get(id)?.abort();
        ctx.extra.operations?.delete(id);
      },
      onClose(ctx: ConnectionContext) {
        for (const controller of ctx.extra.operations?.values() ?? []) controller.abort();
        ctx.extra.operations?.clear();
      },
    },
    wss,
  );

  let closed: Promise<void> | undefined;
  return {
    get connections() {
      return wss.clients.size;
    },
    close() {
      closed ??= (async () => {
        closing = true;
        options.server.off('upgrade', onUpgrade);
        const sockets = [...wss.clients];
        const gone = Promise.all(sockets.map((s) => (s.readyState === s.CLOSED ? undefined : new Promise((resolve) => s.once('close', resolve)))));
        await disposable.dispose(); // close(1001) on each socket, then the server
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, options.closeGraceMs ?? 1_000);
          timer.unref();
        });
        await Promise.race([gone, grace]);
        clearTimeout(timer);
        for (const socket of sockets) if (socket.readyState !== socket.CLOSED) socket.terminate();
      })();
      return closed;
    },
  };
}
