import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createAuthenticator, type Caller } from '../auth/authenticate.js';
import type { Config } from '../config/index.js';
import {
  consentPubSub,
  createConsentRecorder,
  defaultWorkerId,
  inboxProcessor,
  InboxProcessingError,
  openConsentEvents,
  parseListPurposes,
  startInboxWorker,
  type ConsentEvents,
  type InboxWorker,
} from '../consent/index.js';
import type { Upstream } from '../datasources/http/upstream.js';
import { connectVendors } from '../datasources/connect-vendors.js';
import type { VendorKey, VendorServices } from '../datasources/registry.js';
import type { ConsentCallbackProvision, RequestScope } from '../datasources/vendor.js';
import { loggerOptions } from '../logging/logger.options.js';
import { redactText } from '../logging/redact.js';
import type { VendorSimulator } from '../simulators/framework/vendor-simulator.js';
import { openStore, type Store } from '../store/store.js';
import type { ClaimedInboxRow } from '../store/webhook-inbox.js';
import { createApollo } from './apollo.js';
import type { ConsentServices, GatewayContext } from './context.js';
import { registerCors } from './cors.js';
import { registerHealthRoutes, registerMetricsRoute } from './health.js';
import { registerLandingPage } from './landing.js';
import { OperationBudget } from './operation-budget.js';
import { registerSimulatorControl } from './simulator-control.js';
import { buildGatewaySchema } from './schema.js';
import { startSubscriptionServer, type SubscriptionServer } from './subscriptions.js';
import { registerWebhookRoutes, replyNotFound } from './webhooks.js';
import { logCode } from './log-code.js';

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
  /** Live consent events (in-process, or across replicas through Redis with REDIS_URL). */
  readonly consentEvents: ConsentEvents;
  /** The webhook inbox's worker loops (WEBHOOK_INBOX_CONCURRENCY); none when no vendor provides consent callbacks. */
  readonly inboxWorkers: readonly InboxWorker[];
  /** graphql-ws on /graphql (served once fastify listens). */
  readonly subscriptions: SubscriptionServer;
  /**
   * Stops the inbox worker and closes the subscription sockets, drains in-flight requests, then closes the live
   * events, the pools, the store and any embedded simulator.
   */
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

/** `http://<host>:<port>` of a listening server, for the callback URL a demo-mode simulator delivers to. */
function listeningOrigin(address: ReturnType<import('node:net').Server['address']>, configuredHost: string): string | undefined {
  if (address === null || typeof address === 'string') return undefined;
  const host = configuredHost === '0.0.0.0' || configuredHost === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
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
    // TRUST_PROXY hops: request.ip (the callback allowlist's input) is read from X-Forwarded-For, trusting that many
    // hops from the socket's peer inwards. A function, because fastify 5 reads a bare number as "trust nothing".
    trustProxy: config.trustProxy > 0 ? (_address: string, hop: number) => hop < config.trustProxy : false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const log = fastify.log;
  const closers: Array<() => Promise<void>> = [];
  // Stopped first, all begun in the same tick so new work is refused at once: the inbox worker (it uses the vendors,
  // the events and the store), the subscription sockets (the HTTP server's close waits for them) and fastify's
  // drain. Then the rest, in reverse order of opening: events, vendors, store.
  const stopFirst: Array<() => Promise<void>> = [];
  const report = (err: unknown) => log.error({ err }, 'error while closing');
  const closeAll = async () => {
    await Promise.all(stopFirst.map((stop) => stop().catch(report)));
    for (const close of closers.reverse()) await close().catch(report);
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

    // Live consent events: opened before the schema (its subscriptions need them), closed after the worker and the
    // sockets stopped using them.
    const consentEvents = await openConsentEvents({
      redisUrl: config.redisUrl,
      redis: { onError: (r) => log.warn({ stage: r.stage, code: r.code }, 'consent events: Redis problem') },
    });
    closers.push(() => consentEvents.close());
    const recorder = createConsentRecorder({
      ledger: store.ledger,
      events: consentEvents,
      onPublishError: (err) => log.warn({ code: logCode(err) }, 'consent event recorded but not published live'),
    });

    // Vendors that push consent changes (Vibes), found without naming them.
    const provisions: ConsentCallbackProvision[] = [];
    for (const v of vendors) {
      const provision = v.connection.provides?.consentCallbacks;
      if (provision) provisions.push(provision);
    }
    const consent: ConsentServices = {
      ledger: store.ledger,
      listPurposes: provisions[0]?.listPurposes ?? parseListPurposes(undefined),
      recorder,
    };

    const inboxWorkers: InboxWorker[] = [];
    if (provisions.length > 0) {
      const processors = new Map(
        provisions.map((p) => [
          p.source,
          inboxProcessor({ recorder, vibes: p.directory, listPurposes: p.listPurposes, defaultRegion: config.phone.defaultRegion }),
        ]),
      );
      const process = (row: ClaimedInboxRow, signal: AbortSignal): Promise<string> => {
        const processRow = processors.get(row.source);
        return processRow ? processRow(row, signal) : Promise.reject(new InboxProcessingError('unknown_source', 'dead'));
      };
      const controller = new AbortController();
      // Several loops per process on PostgreSQL: each row costs a few commits, so one loop at a time leaves the
      // database idle between them and a burst of callbacks (a bulk opt-out) waits in the inbox (measured in the
      // bench: 1 loop drains ~170 rows/s, 4 ~280/s on 2 cores). Claims never overlap (SKIP LOCKED).
      const baseId = config.inbox.workerId ?? defaultWorkerId();
      const loops = config.inbox.concurrency ?? (store.kind === 'postgres' ? 4 : 1);
      for (let i = 0; i < loops; i++) {
        inboxWorkers.push(
          startInboxWorker({
            inbox: store.inbox,
            process,
            signal: controller.signal,
            workerId: loops === 1 ? baseId : `${baseId}/${i + 1}`,
            pollMs: config.inbox.pollMs,
            leaseMs: config.inbox.leaseMs,
            batch: config.inbox.batch,
            onError: (r) => log.warn({ stage: r.stage, code: r.code, rowId: r.rowId, attempts: r.attempts, disposition: r.disposition }, 'consent inbox'),
            onProcessed: (r) => log.debug({ rowId: r.rowId, outcome: r.outcome, attempts: r.attempts }, 'consent inbox row processed'),
          }),
        );
      }
      stopFirst.push(async () => {
        controller.abort();
        await Promise.all(inboxWorkers.map((w) => w.stopped));
      });
      log.info({ workerId: baseId, loops: inboxWorkers.length, sources: provisions.map((p) => p.source) }, 'consent inbox worker started');
    }

    const schema = await buildGatewaySchema({ pubSub: consentPubSub(consentEvents, (err) => log.warn({ code: logCode(err) }, 'consent pubSub publish failed')) });
    const apollo = createApollo(schema, config, fastify);
    await apollo.start();
    closers.push(() => apollo.stop());

    await registerCors(fastify, config);
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
    // One 404 for every unknown path, echoing nothing (fastify's own echoes the URL, and a mistyped callback URL
    // carries the secret).
    fastify.setNotFoundHandler((_request, reply) => replyNotFound(reply));
    registerHealthRoutes(fastify, { store });
    registerLandingPage(fastify, config);
    if (provisions.length > 0) {
      // A stored callback wakes every loop; SKIP LOCKED (or SQLite's write lock) hands the row to one of them.
      const wakeWorkers = (): void => {
        for (const worker of inboxWorkers) worker.wake();
      };
      await registerWebhookRoutes(fastify, { provisions, inbox: store.inbox, onStored: wakeWorkers });
    }
    if (!config.production) registerMetricsRoute(fastify, { upstreams });
    const metrics = Fastify({ logger: false });
    registerMetricsRoute(metrics, { upstreams });
    closers.push(() => metrics.close());
    // Never in production (config refuses demo mode there); the simulators themselves listen on loopback.
    if (config.demoMode && !config.production) registerSimulatorControl(fastify, simulators);

    /** One operation's context, HTTP or graphql-ws: each vendor's request face, the budget, the consent services. */
    const contextFor = (scope: { requestId: string; caller: Caller; logger: FastifyBaseLogger; signal: AbortSignal }): GatewayContext => {
      const budget = new OperationBudget(config.graphql.maxIdsPerQuery);
      const requestScope: RequestScope = { ...scope, budget };
      const faces: Record<string, unknown> = {};
      for (const v of vendors) faces[v.key] = v.connection.forRequest(requestScope);
      return { ...requestScope, ...(faces as VendorServices), caller: scope.caller, config, budget, consent };
    };

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
        return contextFor({ requestId: String(request.id), caller, logger: request.log, signal: controller.signal });
      },
    });
    fastify.route({ url: '/graphql', method: ['GET', 'POST', 'OPTIONS'], handler });

    // graphql-ws on the same port and path; upgrades are answered once fastify listens.
    const subscriptions = startSubscriptionServer({
      server: fastify.server,
      path: '/graphql',
      schema,
      authenticate,
      requiredScope: 'consent:read',
      logger: log,
      graphql: config.graphql,
      hideSchemaDetails: config.production,
      maxPayloadBytes: 1 << 20,
      contextFor,
    });
    stopFirst.push(() => subscriptions.close());

    // Demo mode: an embedded simulator that delivers callbacks learns the gateway's callback URL once it listens.
    const registrations = provisions.filter((p) => p.registerCallbackUrl !== undefined);
    if (registrations.length > 0) {
      fastify.addHook('onListen', async function () {
        const origin = listeningOrigin(this.server.address(), config.host);
        if (origin === undefined) return;
        for (const p of registrations) {
          try {
            await p.registerCallbackUrl!(`${origin}/webhooks/${p.source}/${encodeURIComponent(p.secret)}`);
            log.info({ source: p.source, route: `/webhooks/${p.source}/:secret` }, 'demo: callback URL registered with the simulator');
          } catch (err) {
            log.warn({ source: p.source, code: logCode(err) }, 'demo: could not register the callback URL with the simulator');
          }
        }
      });
    }

    await fastify.ready();
    // fastify.close() drains in-flight requests (the Apollo drain plugin hooks into it), then the rest closes.
    stopFirst.push(() => fastify.close());
    let closing: Promise<void> | undefined;
    return {
      fastify,
      metrics,
      store,
      upstreams,
      simulators,
      consentEvents,
      inboxWorkers,
      subscriptions,
      close: () => (closing ??= closeAll()),
    };
  } catch (err) {
    await closeAll();
    await fastify.close();
    throw err;
  }
}
