// Entry only: loadConfig(env) -> createApp(config) -> listen; SIGTERM/SIGINT -> close.
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/index.js';
import { createApp } from './server/app.js';

let config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const app = await createApp(config);
await app.fastify.listen({ port: config.port, host: config.host });
const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/graphql`;
app.fastify.log.info(
  { url: where, store: app.store.kind, auth: config.auth.mode, demoMode: config.demoMode },
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
