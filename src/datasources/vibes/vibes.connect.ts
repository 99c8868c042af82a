import { createUpstream } from '../http/upstream.js';
import type { ConnectDeps, ConsentCallbackProvision, VendorConnection } from '../vendor.js';
import { VibesClient } from './vibes.client.js';
import type { VibesConfig } from './vibes.config.js';
import { createVibesDirectory } from './vibes.directory.js';
import { VibesService } from './vibes.service.js';

/**
 * One request's share of the Vibes pool: Vibes throttles per company_key (about 100 requests a second, per a
 * third-party digest of its docs), so one wide query (`customers(ids: [...]) { person }`) keeps to 8 calls at once.
 */
const PER_REQUEST_CONCURRENCY = 8;

/**
 * Vibes from its config section (in demo mode the app has pointed it at the embedded simulator). HTTP Basic and
 * `X-API-Version: 2` on every call (version 1, the default when the header is absent, cannot carry E.164 MDNs).
 */
export async function connectVibes(config: VibesConfig, deps: ConnectDeps): Promise<VendorConnection<VibesService>> {
  const { baseUrl, username, password, companyKey } = config;
  // Config refuses a base URL without these; this only narrows the types.
  if (!baseUrl || username === undefined || password === undefined || companyKey === undefined) {
    throw new Error('Vibes base URL, credentials or company key are missing');
  }
  const headers = {
    authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
    'x-api-version': '2',
    accept: 'application/json',
  };
  const upstream = createUpstream({
    vendor: 'VIBES',
    baseUrl,
    timeoutMs: config.timeoutMs,
    connections: config.connections,
    maxConcurrency: config.maxConcurrency,
    headers: () => headers,
    logger: deps.logger,
  });
  const client = new VibesClient(upstream, companyKey);
  const simulator = config.simulatorCallbacks;
  const consentCallbacks: ConsentCallbackProvision = {
    source: 'vibes',
    secret: config.callbackSecret,
    allowedIps: config.callbackAllowedIps,
    listPurposes: config.listPurposes,
    directory: createVibesDirectory(client),
    // A real Vibes has its callbacks registered once, by the company (Vibes UI or its Callback API).
    ...(simulator === undefined ? {} : { registerCallbackUrl: (url: string) => simulator.register(url) }),
  };
  const settings = { region: deps.region, concurrency: Math.min(PER_REQUEST_CONCURRENCY, config.maxConcurrency, config.connections) };
  return {
    upstreams: [upstream],
    provides: { consentCallbacks },
    forRequest: (scope) => new VibesService(client, settings, scope),
    close: () => upstream.close(),
  };
}
