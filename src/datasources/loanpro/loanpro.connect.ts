import { createUpstream } from '../http/upstream.js';
import type { ConnectDeps, VendorConnection } from '../vendor.js';
import { LoanProClient } from './loanpro.client.js';
import type { LoanProConfig } from './loanpro.config.js';
import { LoanProService } from './loanpro.service.js';

/**
 * LoanPro from its config section: the real API when LOANPRO_BASE_URL is set, else the embedded simulator on
 * loopback (demo mode, logged loudly; its code is imported only then).
 */
export async function connectLoanPro(config: LoanProConfig, deps: ConnectDeps): Promise<VendorConnection<LoanProService>> {
  let target = { baseUrl: config.baseUrl, apiToken: config.apiToken, instanceId: config.instanceId };
  let simulator: import('../../simulators/loanpro/loanpro.simulator.js').LoanProSimulator | undefined;
  if (!target.baseUrl) {
    const { loanProSimulatorHooks } = await import('../../simulators/loanpro/loanpro.hooks.js');
    simulator = await loanProSimulatorHooks.start();
    target = { baseUrl: simulator.baseUrl, apiToken: simulator.apiToken, instanceId: simulator.instanceId };
    deps.logger.warn(
      { vendor: 'LOANPRO' },
      'DEMO MODE: LoanPro is the embedded simulator with seeded customers (request log and faults under /__sim/loanpro)',
    );
  }
  const headers = {
    authorization: `Bearer ${target.apiToken}`,
    'autopal-instance-id': String(target.instanceId),
    accept: 'application/json',
  };
  const upstream = createUpstream({
    vendor: 'LOANPRO',
    baseUrl: target.baseUrl!,
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
    ...(simulator ? { simulator } : {}),
    forRequest: (scope) => new LoanProService(client, deps.region, scope),
    async close() {
      await upstream.close();
      await simulator?.close();
    },
  };
}
