import { createUpstream, type Upstream } from '../http/upstream.js';
import type { ConnectDeps, VendorConnection } from '../vendor.js';
import { createRecoveryConnectAuth, type RecoveryConnectCredentials } from './recoveryconnect.auth.js';
import { RecoveryConnectClient } from './recoveryconnect.client.js';
import type { RecoveryConnectConfig } from './recoveryconnect.config.js';
import { RecoveryConnectService } from './recoveryconnect.service.js';

/** The login's own pool: one login in flight per process (token-auth), so a couple of sockets are plenty. */
const LOGIN_CONNECTIONS = 2;

export interface RecoveryConnectTransport {
  readonly client: RecoveryConnectClient;
  /** Data calls, carrying the bearer token (the login has an upstream of its own, closed with this one). */
  readonly upstream: Upstream;
  close(): Promise<void>;
}

/**
 * The client and what it rides on: a data upstream whose calls carry the token, and a separate login upstream.
 * Exported for tests that need the token layer's clock (`clock`); connect builds it with the defaults.
 */
export function createRecoveryConnectTransport(
  config: Pick<RecoveryConnectConfig, 'timeoutMs' | 'connections' | 'maxConcurrency' | 'loginRetryMs'>,
  target: { readonly baseUrl: string; readonly credentials: RecoveryConnectCredentials },
  options: { readonly logger?: ConnectDeps['logger']; readonly clock?: () => number } = {},
): RecoveryConnectTransport {
  const { logger, clock } = options;
  const loginUpstream = createUpstream({
    vendor: 'RECOVERY_CONNECT',
    baseUrl: target.baseUrl,
    timeoutMs: config.timeoutMs,
    connections: LOGIN_CONNECTIONS,
    maxConcurrency: LOGIN_CONNECTIONS,
    ...(logger ? { logger } : {}),
  });
  const auth = createRecoveryConnectAuth({
    loginUpstream,
    credentials: target.credentials,
    loginRetryMs: config.loginRetryMs,
    ...(logger ? { logger } : {}),
    ...(clock ? { clock } : {}),
  });
  const upstream = createUpstream({
    vendor: 'RECOVERY_CONNECT',
    baseUrl: target.baseUrl,
    timeoutMs: config.timeoutMs,
    connections: config.connections,
    maxConcurrency: config.maxConcurrency,
    auth,
    ...(logger ? { logger } : {}),
  });
  return {
    client: new RecoveryConnectClient(upstream),
    upstream,
    async close() {
      await upstream.close();
      await loginUpstream.close();
    },
  };
}

/** RecoveryConnect from its config section (in demo mode the app has pointed it at the embedded simulator). */
export async function connectRecoveryConnect(
  config: RecoveryConnectConfig,
  deps: ConnectDeps,
): Promise<VendorConnection<RecoveryConnectService>> {
  const { baseUrl, username, password } = config;
  // Config refuses a base URL without credentials; this only narrows the types.
  if (!baseUrl || username === undefined || password === undefined) throw new Error('RecoveryConnect base URL or credentials are missing');
  const credentials: RecoveryConnectCredentials = { username, password };
  const transport = createRecoveryConnectTransport(config, { baseUrl, credentials }, { logger: deps.logger });
  // One request's fan-out never asks for more calls at once than the vendor pool can carry: the bulkhead's slots,
  // or the pool's sockets when there are fewer of them (a call beyond them waits for a socket anyway).
  const concurrency = Math.min(config.maxConcurrency, config.connections);
  const settings = { region: deps.region, phoneTypes: config.phoneTypes, concurrency };
  return {
    // The data pool only: the login pool is tiny, and one series per vendor keeps /metrics well-formed.
    upstreams: [transport.upstream],
    forRequest: (scope) => new RecoveryConnectService(transport.client, settings, scope),
    close: () => transport.close(),
  };
}
