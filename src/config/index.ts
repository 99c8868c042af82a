export { loadConfig, hashApiKey } from './config.js';
export type { Config, ApiKeyEntry, LoanProConfig, UpstreamSettings } from './config.js';
export { ConfigError } from './env.js';
