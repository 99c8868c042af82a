/** LoanPro's section of the environment contract (configuration.md). */
import { ConfigError, int, str, type Env } from '../../config/env.js';
import { upstreamSettings, vendorBaseUrl, type UpstreamSettings } from '../../config/vendor-env.js';
import type { SharedVendorSettings, VendorConfigBase } from '../vendor.js';

export interface LoanProConfig extends VendorConfigBase, UpstreamSettings {
  readonly apiToken: string | undefined;
  readonly instanceId: string | undefined;
  /** Most customer ids in one `$filter=id eq .. or ..` request (LOANPRO_BATCH_SIZE). */
  readonly batchSize: number;
  /** After LoanPro refused an or-filter, one batch is tried again this often (LOANPRO_FILTER_REPROBE_S). */
  readonly filterReprobeMs: number;
}

export function parseLoanProConfig(env: Env, shared: SharedVendorSettings): LoanProConfig {
  const config: LoanProConfig = {
    ...upstreamSettings(env, 'LOANPRO', shared.upstreamTimeoutMs),
    baseUrl: vendorBaseUrl(env, 'LOANPRO_BASE_URL', 'LOANPRO_API_TOKEN'),
    apiToken: str(env, 'LOANPRO_API_TOKEN'),
    instanceId: str(env, 'LOANPRO_INSTANCE_ID'),
    batchSize: int(env, 'LOANPRO_BATCH_SIZE', 50, 1, 200),
    filterReprobeMs: int(env, 'LOANPRO_FILTER_REPROBE_S', 600, 1, 86_400) * 1000,
  };
  if (config.baseUrl) {
    if (!config.apiToken) throw new ConfigError('LOANPRO_API_TOKEN', 'is required when LOANPRO_BASE_URL is set');
    if (!config.instanceId) throw new ConfigError('LOANPRO_INSTANCE_ID', 'is required when LOANPRO_BASE_URL is set');
  }
  return config;
}
