/** LoanPro's section of the environment contract (configuration.md). */
import { ConfigError, int, str, type Env } from '../../config/env.js';
import { upstreamSettings, vendorBaseUrl, type UpstreamSettings } from '../../config/vendor-env.js';
import { DEFAULT_PIN_POLICY, MAX_PIN_ATTEMPTS_LIMIT, MAX_PIN_LOCKOUT_SECONDS, type PinPolicy } from '../../store/pin-attempts.js';
import type { SharedVendorSettings, VendorConfigBase } from '../vendor.js';

export interface LoanProConfig extends VendorConfigBase, UpstreamSettings {
  readonly apiToken: string | undefined;
  readonly instanceId: string | undefined;
  /** Most customer ids in one `$filter=id eq .. or ..` request (LOANPRO_BATCH_SIZE). */
  readonly batchSize: number;
  /** After LoanPro refused an or-filter, one batch is tried again this often (LOANPRO_FILTER_REPROBE_S). */
  readonly filterReprobeMs: number;
  /**
   * The brute-force guard on SBT PIN confirmation: wrong PINs allowed per phone and purpose before a lock
   * (SBT_PIN_MAX_ATTEMPTS) and how long the lock lasts (SBT_PIN_LOCKOUT_S). Counted in the store, so replicas share it.
   */
  readonly sbtPinPolicy: PinPolicy;
}

export function parseLoanProConfig(env: Env, shared: SharedVendorSettings): LoanProConfig {
  const config: LoanProConfig = {
    ...upstreamSettings(env, 'LOANPRO', shared.upstreamTimeoutMs),
    baseUrl: vendorBaseUrl(env, 'LOANPRO_BASE_URL', 'LOANPRO_API_TOKEN'),
    apiToken: str(env, 'LOANPRO_API_TOKEN'),
    instanceId: str(env, 'LOANPRO_INSTANCE_ID'),
    batchSize: int(env, 'LOANPRO_BATCH_SIZE', 50, 1, 200),
    filterReprobeMs: int(env, 'LOANPRO_FILTER_REPROBE_S', 600, 1, 86_400) * 1000,
    sbtPinPolicy: {
      maxAttempts: int(env, 'SBT_PIN_MAX_ATTEMPTS', DEFAULT_PIN_POLICY.maxAttempts, 1, MAX_PIN_ATTEMPTS_LIMIT),
      lockoutSeconds: int(env, 'SBT_PIN_LOCKOUT_S', DEFAULT_PIN_POLICY.lockoutSeconds, 1, MAX_PIN_LOCKOUT_SECONDS),
    },
  };
  if (config.baseUrl) {
    if (!config.apiToken) throw new ConfigError('LOANPRO_API_TOKEN', 'is required when LOANPRO_BASE_URL is set');
    if (!config.instanceId) throw new ConfigError('LOANPRO_INSTANCE_ID', 'is required when LOANPRO_BASE_URL is set');
  }
  return config;
}
