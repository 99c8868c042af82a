import { createUpstream } from '../http/upstream.js';
import type { ConnectDeps, VendorConnection } from '../vendor.js';
import { MessageMediaClient } from './messagemedia.client.js';
import type { MessageMediaConfig } from './messagemedia.config.js';
import { MessageMediaService } from './messagemedia.service.js';

/**
 * MessageMedia from its config section: the real API when MESSAGEMEDIA_BASE_URL is set, else the embedded
 * simulator on loopback (demo mode, logged loudly; its code is imported only then). HTTP Basic with the API key
 * and secret on every call (vendor-apis.md 2.2).
 */
export async function connectMessageMedia(config: MessageMediaConfig, deps: ConnectDeps): Promise<VendorConnection<MessageMediaService>> {
  let target = { baseUrl: config.baseUrl, apiKey: config.apiKey, apiSecret: config.apiSecret };
  let simulator: import('../../simulators/messagemedia/messagemedia.simulator.js').MessageMediaSimulator | undefined;
  if (!target.baseUrl) {
    const { messageMediaSimulatorHooks } = await import('../../simulators/messagemedia/messagemedia.hooks.js');
    simulator = await messageMediaSimulatorHooks.start();
    target = { baseUrl: simulator.baseUrl, apiKey: simulator.apiKey, apiSecret: simulator.apiSecret };
    deps.logger.warn(
      { vendor: 'MESSAGEMEDIA' },
      'DEMO MODE: MessageMedia is the embedded simulator with a seeded number inventory (request log and faults under /__sim/messagemedia)',
    );
  }
  const headers = {
    authorization: `Basic ${Buffer.from(`${target.apiKey}:${target.apiSecret}`, 'utf8').toString('base64')}`,
    // The vendor's spec declares this Accept on every operation.
    accept: 'application/json;charset=UTF-8',
  };
  const upstream = createUpstream({
    vendor: 'MESSAGEMEDIA',
    baseUrl: target.baseUrl!,
    timeoutMs: config.timeoutMs,
    connections: config.connections,
    maxConcurrency: config.maxConcurrency,
    headers: () => headers,
    logger: deps.logger,
  });
  const client = new MessageMediaClient(upstream);
  return {
    upstreams: [upstream],
    ...(simulator ? { simulator } : {}),
    forRequest: (scope) => new MessageMediaService(client, deps.store.idempotency, scope),
    async close() {
      await upstream.close();
      await simulator?.close();
    },
  };
}
