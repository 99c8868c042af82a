/** MessageMedia's section of the environment contract (configuration.md). */
import { ConfigError, str, type Env } from '../../config/env.js';
import { upstreamSettings, vendorBaseUrl, type UpstreamSettings } from '../../config/vendor-env.js';
import type { SharedVendorSettings, VendorConfigBase } from '../vendor.js';

export interface MessageMediaConfig extends VendorConfigBase, UpstreamSettings {
  /** HTTP Basic user (MESSAGEMEDIA_API_KEY). */
  readonly apiKey: string | undefined;
  /** HTTP Basic password (MESSAGEMEDIA_API_SECRET); never echoed. */
  readonly apiSecret: string | undefined;
}

const CREDENTIALS = 'MESSAGEMEDIA_API_KEY and MESSAGEMEDIA_API_SECRET';

export function parseMessageMediaConfig(env: Env, shared: SharedVendorSettings): MessageMediaConfig {
  const baseUrl = vendorBaseUrl(env, 'MESSAGEMEDIA_BASE_URL', CREDENTIALS);
  // An origin: the client appends /v1/messaging/numbers/dedicated itself, so a path here would be doubled.
  if (baseUrl !== undefined && new URL(baseUrl).pathname !== '/') {
    throw new ConfigError('MESSAGEMEDIA_BASE_URL', 'must be an origin such as https://api.messagemedia.com (the gateway appends /v1/messaging/...)');
  }
  const config: MessageMediaConfig = {
    ...upstreamSettings(env, 'MESSAGEMEDIA', shared.upstreamTimeoutMs),
    baseUrl,
    apiKey: str(env, 'MESSAGEMEDIA_API_KEY'),
    apiSecret: str(env, 'MESSAGEMEDIA_API_SECRET'),
  };
  if (config.baseUrl) {
    if (!config.apiKey) throw new ConfigError('MESSAGEMEDIA_API_KEY', 'is required when MESSAGEMEDIA_BASE_URL is set');
    if (!config.apiSecret) throw new ConfigError('MESSAGEMEDIA_API_SECRET', 'is required when MESSAGEMEDIA_BASE_URL is set');
  }
  // HTTP Basic cannot carry a user name with a colon (RFC 7617): it would split into the wrong key and secret.
  if (config.apiKey?.includes(':')) throw new ConfigError('MESSAGEMEDIA_API_KEY', 'must not contain ":" (HTTP Basic user names cannot)');
  return config;
}
