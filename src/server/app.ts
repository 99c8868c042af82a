import cors from '@fastify/cors';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createAuthenticator } from '../auth/authenticate.js';
import type { Config } from '../config/index.js';
import type { Upstream } from '../datasources/http/upstream.js';
import { connectVendors } from '../datasources/connect-vendors.js';
import type { VendorKey, VendorServices } from '../datasources/registry.js';
import type { RequestScope } from '../datasources/vendor.js';
import { loggerOptions } from '../logging/logger.options.js';
import { redactText } from '../logging/redact.js';
import type { VendorSimulator } from '../simulators/framework/vendor-simulator.js';
import { openStore, type Store } from '../store/store.js';
import { createApollo } from './apollo.js';
import type { GatewayContext } from './context.js';
import { registerHealthRoutes, registerMetricsRoute } from './health.js';
import { OperationBudget } from './operation-budget.js';
import { registerSimulatorControl } from './simulator-control.js';
import { buildGatewaySchema } from './schema.js';

export interface App {
  readonly fastify: FastifyInstance;
  /**
   * /metrics alone, for METRICS_PORT: main.ts listens on it in production (where the main port answers 404
   * there) or when METRICS_PORT is set.
   */
  readonly metrics: FastifyInstance;
  readonly store: Store;
  /** Every vendor's pools, in registry order. */
  readonly upstreams: readonly Upstream[];
  /** Demo mode: the embedded simulators, by vendor key (their control API is also under /__sim/<key>/). */
  readonly simulators: Partial<Record<VendorKey, VendorSimulator>>;
  /** Drains in-flight requests, then closes the pools, the store and any embedded simulator. */
  close(): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Apollo answers some errors before a request context exists (401 from authentication, CSRF, batching,
 * a malformed body): those skip the plugins, so the error-reporting plugin cannot stamp the request id on
 * them. Stamp it here, on GraphQL error bodies only, and only where it is missing.
 */
function withRequestId(payload: unknown, requestId: string): unknown {
  if (typeof payload !== 'string' || !payload.startsWith('{"errors":[') || payload.includes('"requestId"')) return payload;
  try {
    const body = JSON.parse(payload) as { errors: Array<{ extensions?: Record<string, unknown> }> };
    for (const error of body.errors) error.extensions = { ...error.extensions, requestId };
    return JSON.stringify(body);
  } catch {
    return payload;
  }
}

export interface AppOptions {
  /** Where log lines go (default stdout); tests capture them to check nothing sensitive is written. */
  logStream?: { write(line: string): unknown };
}

/** Builds the whole gateway without listening: tests use it in-process, main.ts listens. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const fastify = Fastify({
    // One definition of logging (redaction of every message, err and known path): src/logging/logger.options.ts.
    logger: { ...loggerOptions(config.logLevel), ...(options.logStream ? { stream: options.logStream } : {}) },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    // Per-request access lines only at debug: at 1,000+ requests/s they would dominate the log and the CPU.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
    bodyLimit: 1 << 20,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const log = fastify.log;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((err) => log.error({ err }, 'error while closing'));
  };

  try {
    const store = await openStore({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      // The error's code only: pg messages can name hosts and users.
      onPoolError: (err) => log.warn({ code: (err as { code?: string }).code }, 'PostgreSQL pool error (idle client)'),
    });
    closers.push(() => store.close());
    // Keys live at least 24 h (72 h by default); sweep the expired ones hourly, off the request path.
    const purge = setInterval(() => {
      store.idempotency.purgeExpired().then(
        (purged) => purged > 0 && log.info({ purged }, 'expired idempotency keys purged'),
        (err: { code?: string }) => log.warn({ code: err?.code }, 'purging expired idempotency keys failed'),
      );
    }, 60 * 60 * 1000);
    purge.unref();
    closers.push(async () => clearInterval(purge));

    // Each vendor in registry order; demo mode: a vendor without a base URL is served by its simulator.
    const vendors = await connectVendors(config.vendors, { logger: log, region: config.phone.defaultRegion, store });
    for (const vendor of vendors) closers.push(() => vendor.close());
    const upstreams = vendors.flatMap((v) => v.connection.upstreams);
    const simulators: Partial<Record<VendorKey, VendorSimulator>> = {};
    for (const v of vendors) if (v.simulator) simulators[v.key] = v.simulator;
    const authenticate = createAuthenticator(config.auth);

    const schema = await buildGatewaySchema();
    const apollo = createApollo(schema, config, fastify);
    await apollo.start();
    closers.push(() => apollo.stop());

    await fastify.register(cors, {
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
      exposedHeaders: ['x-request-id'],
      maxAge: 600,
    });
    // Fastify's own refusals (bad JSON, unsupported media type, body too large) in the GraphQL error shape.
    fastify.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, request, reply) => {
      const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status === 500) {
        request.log.error({ err: { code: error.code, message: redactText(error.message) } }, 'unhandled HTTP error');
      }
      return reply.code(status).send({
        errors: [
          status === 500
            ? { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }
            : { message: redactText(error.message), extensions: { code: 'BAD_REQUEST' } },
        ],
      });
    });
    fastify.addHook('onSend', async (request, reply, payload) => {
      reply.header('x-request-id', request.id);
      return reply.statusCode >= 400 ? withRequestId(payload, String(request.id)) : payload;
    });
    registerHealthRoutes(fastify, { store });
    if (!config.production) registerMetricsRoute(fastify, { upstreams });
    const metrics = Fastify({ logger: false });
    registerMetricsRoute(metrics, { upstreams });
    closers.push(() => metrics.close());
    // Never in production (config refuses demo mode there); the simulators themselves listen on loopback.
    if (config.demoMode && !config.production) registerSimulatorControl(fastify, simulators);

    const handler = fastifyApolloHandler(apollo, {
      context: async (request, reply): Promise<GatewayContext> => {
        const caller = await authenticate(request.headers);
        // One signal per operation: the client going away, or the operation's deadline. Reads listen to it;
        // a write listens only until it is sent (the upstream layer), so its outcome never becomes unknown here.
        const controller = new AbortController();
        const deadline = setTimeout(() => controller.abort(new DOMException('The operation deadline passed.', 'TimeoutError')), config.graphql.requestTimeoutMs);
        deadline.unref();
        reply.raw.once('close', () => {
          clearTimeout(deadline);
          if (!reply.raw.writableFinished) controller.abort();
        });
        const budget = new OperationBudget(config.graphql.maxIdsPerQuery);
        const scope: RequestScope = { requestId: String(request.id), caller, logger: request.log, signal: controller.signal, budget };
        const faces: Record<string, unknown> = {};
        for (const v of vendors) faces[v.key] = v.connection.forRequest(scope);
        return { ...scope, ...(faces as VendorServices), caller, config, budget };
      },
    });
    fastify.route({ url: '/graphql', method: ['GET', 'POST', 'OPTIONS'], handler });

    await fastify.ready();
    // fastify.close() drains in-flight requests (the Apollo drain plugin hooks into it), then the rest closes.
    closers.push(() => fastify.close());
    let closing: Promise<void> | undefined;
    return {
      fastify,
      metrics,
      store,
      upstreams,
      simulators,
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    await fastify.close();
    throw err;
  }
}
