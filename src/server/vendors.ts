import type { FastifyBaseLogger } from 'fastify';
import type { LoanProConfig } from '../config/index.js';
import { createUpstream, type Upstream } from '../datasources/http/upstream.js';
import { LoanProClient } from '../datasources/loanpro/loanpro.client.js';
import { createLoanProSimulator } from '../simulators/loanpro/loanpro.simulator.js';

/** One vendor as the app holds it: its client, its pool, and (demo mode) the simulator serving it. */
export interface VendorConnection<Client> {
  readonly client: Client;
  readonly upstream: Upstream;
  /** Set when the vendor is the embedded simulator. */
  readonly simulatorBaseUrl?: string;
  close(): Promise<void>;
}

/**
 * LoanPro from its config section: the real API when LOANPRO_BASE_URL is set, else the embedded simulator on
 * loopback (demo mode, logged loudly). Later vendors get a function of the same shape.
 */
export async function connectLoanPro(lp: LoanProConfig, log: FastifyBaseLogger): Promise<VendorConnection<LoanProClient>> {
  let target = { baseUrl: lp.baseUrl, apiToken: lp.apiToken, instanceId: lp.instanceId };
  let simulator: ReturnType<typeof createLoanProSimulator> | undefined;
  if (!target.baseUrl) {
    simulator = createLoanProSimulator({});
    await simulator.start();
    target = { baseUrl: simulator.baseUrl, apiToken: simulator.apiToken, instanceId: simulator.instanceId };
    log.warn(
      { vendor: 'LOANPRO', simulator: simulator.url },
      'DEMO MODE: LoanPro is the embedded simulator with seeded customers (request log and faults under /__sim)',
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
    timeoutMs: lp.timeoutMs,
    connections: lp.connections,
    maxConcurrency: lp.maxConcurrency,
    headers: () => headers,
    logger: log,
  });
  return {
    client: new LoanProClient(upstream, { batchSize: lp.batchSize, logger: log }),
    upstream,
    ...(simulator ? { simulatorBaseUrl: simulator.baseUrl } : {}),
    async close() {
      await upstream.close();
      await simulator?.close();
    },
  };
}
