// Entry only: check Node -> loadConfig(env) -> createApp(config) -> listen; SIGTERM/SIGINT -> close.
//
// Nothing of the app is imported statically: on Node 20 the app graph fails to link (node:sqlite does not exist
// there) before a line of it runs, so the version check must come first and the rest is imported after it.
import { nodeVersionProblem, startupFailureMessage } from './logging/startup.messages.js';

const tooOld = nodeVersionProblem(process.versions.node);
if (tooOld !== undefined) {
  process.stderr.write(`${tooOld}\n`);
  process.exit(1);
}

await import('reflect-metadata');
const { ConfigError, loadConfig } = await import('./config/index.js');
const { createApp } = await import('./server/app.js');
const { createLogger } = await import('./logging/logger.options.js');

/**
 * Ends the process after a failed start. The exit code is set and the process left to end by itself, so the
 * log line is flushed first; the unref'd timer only catches a handle something forgot to close.
 */
function failStart(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
}

async function start(): Promise<void> {
  // Until the configuration says otherwise, start-up failures are logged at info level with the same redaction.
  const startupLog = createLogger('info');
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    startupLog.fatal(startupFailureMessage(err));
    return failStart(err instanceof ConfigError ? 2 : 1);
  }

  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config);
  } catch (err) {
    startupLog.fatal({ err }, startupFailureMessage(err));
    return failStart(1);
  }

  // /metrics has its own listener in production (the main port answers 404 there), and elsewhere when asked for.
  const listeners = [{ server: app.fastify, host: config.host, port: config.port }];
  if (config.production || config.metricsPortSet) listeners.push({ server: app.metrics, host: config.host, port: config.metricsPort });
  for (const { server, ...target } of listeners) {
    try {
      await server.listen(target);
    } catch (err) {
      app.fastify.log.fatal(startupFailureMessage(err, target));
      await app.close().catch(() => undefined);
      return failStart(1);
    }
  }

  // The port actually bound (PORT=0 picks a free one: tests and side-by-side replicas read it from this line).
  const bound = app.fastify.server.address();
  const port = bound !== null && typeof bound === 'object' ? bound.port : config.port;
  const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`;
  app.fastify.log.info(
    {
      url: where,
      store: app.store.kind,
      auth: config.auth.mode,
      demoMode: config.demoMode,
      ...(listeners.length > 1 ? { metricsPort: config.metricsPort } : {}),
    },
    config.graphql.landingPage ? `Switchboard is up: open ${where} for Apollo Sandbox` : `Switchboard is up at ${where}`,
  );

  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      app.fastify.log.info({ signal }, 'shutting down: draining requests');
      const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 1000);
      force.unref();
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

await start();
