import { createUpstream } from '../http/upstream.js';
import type { ConnectDeps, VendorConnection } from '../vendor.js';
import { LoanProClient } from './loanpro.client.js';
import type { LoanProConfig } from './loanpro.config.js';
import { LoanProService } from './loanpro.service.js';

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
  return {
    upstreams: [upstream],
    forRequest: (scope) => new LoanProService(client, deps.region, scope),
    close: () => upstream.close(),
  };
}
