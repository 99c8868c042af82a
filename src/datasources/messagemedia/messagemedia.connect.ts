import { createUpstream } from '../http/upstream.js';
import type { ConnectDeps, VendorConnection } from '../vendor.js';
import { MessageMediaClient } from './messagemedia.client.js';
import type { MessageMediaConfig } from './messagemedia.config.js';
import { MessageMediaService } from './messagemedia.service.js';

/**
 * MessageMedia from its config section (in demo mode the app has pointed it at the embedded simulator). HTTP Basic
 * with the API key and secret on every call (vendor-apis.md 2.2).
 */
export async function connectMessageMedia(config: MessageMediaConfig, deps: ConnectDeps): Promise<VendorConnection<MessageMediaService>> {
  const headers = {
    authorization: `Basic ${Buffer.from(`${config.apiKey}:${config.apiSecret}`, 'utf8').toString('base64')}`,
    // The vendor's spec declares this Accept on every operation.
    accept: 'application/json;charset=UTF-8',
  };
  const upstream = createUpstream({
    vendor: 'MESSAGEMEDIA',
    baseUrl: config.baseUrl!,
    timeoutMs: config.timeoutMs,
    connections: config.connections,
    maxConcurrency: config.maxConcurrency,
    headers: () => headers,
    logger: deps.logger,
  });
  const client = new MessageMediaClient(upstream);
  return {
    upstreams: [upstream],
    forRequest: (scope) => new MessageMediaService(client, deps.store.idempotency, scope),
    close: () => upstream.close(),
  };
}
