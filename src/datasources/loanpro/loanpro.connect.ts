import { createUpstream } from '../http/upstream.js';
import type { ConnectDeps, VendorConnection } from '../vendor.js';
import { LoanProClient } from './loanpro.client.js';
import type { LoanProConfig } from './loanpro.config.js';
import { LoanProSbtClient } from './loanpro.sbt.client.js';
import type { SbtDeps } from './loanpro.sbt.service.js';
import { LoanProService } from './loanpro.service.js';

const PIN_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** LoanPro from its config section (in demo mode the app has pointed it at the embedded simulator). */
export async function connectLoanPro(config: LoanProConfig, deps: ConnectDeps): Promise<VendorConnection<LoanProService>> {
  const headers = {
    authorization: `Bearer ${config.apiToken}`,
    'autopal-instance-id': String(config.instanceId),
    accept: 'application/json',
  };
  const upstream = createUpstream({
    vendor: 'LOANPRO',
    baseUrl: config.baseUrl!,
    timeoutMs: config.timeoutMs,
    connections: config.connections,
    maxConcurrency: config.maxConcurrency,
    headers: () => headers,
    logger: deps.logger,
  });
  const client = new LoanProClient(upstream, {
    batchSize: config.batchSize,
    filterReprobeMs: config.filterReprobeMs,
    logger: deps.logger,
  });
  // SBT goes over the same upstream: one pool, one breaker and one bulkhead for everything LoanPro.
  const sbt: SbtDeps = {
    client: new LoanProSbtClient(upstream),
    region: deps.region,
    idempotency: deps.store.idempotency,
    pinAttempts: deps.store.pinAttempts,
    pinPolicy: config.sbtPinPolicy,
  };
  // Spent locks and counting windows count for nothing: swept hourly, off the request path.
  const sweep = setInterval(() => {
    deps.store.pinAttempts.purgeExpired(config.sbtPinPolicy).then(
      (purged) => purged > 0 && deps.logger.info({ purged }, 'expired SBT PIN attempt counters purged'),
      (err: { code?: string }) => deps.logger.warn({ code: err?.code }, 'purging expired SBT PIN attempt counters failed'),
    );
  }, PIN_SWEEP_INTERVAL_MS);
  sweep.unref();
  return {
    upstreams: [upstream],
    forRequest: (scope) => new LoanProService(client, deps.region, scope, sbt),
    close: async () => {
      clearInterval(sweep);
      await upstream.close();
    },
  };
}
