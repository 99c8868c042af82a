export { loadConfig, hashApiKey, SANDBOX_ORIGINS } from './config.js';
export type { Config, ApiKeyEntry } from './config.js';
export type { UpstreamSettings } from './vendor-env.js';
export { ConfigError } from './env.js';
