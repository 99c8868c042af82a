/** Vibes' section of the environment contract (configuration.md). */
import { randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { ConfigError, str, type Env } from '../../config/env.js';
import { upstreamSettings, vendorBaseUrl, type UpstreamSettings } from '../../config/vendor-env.js';
import { ListPurposesError, parseListPurposes, type ListPurposes } from '../../consent/index.js';
import type { SharedVendorSettings, VendorConfigBase } from '../vendor.js';

export interface VibesConfig extends VendorConfigBase, UpstreamSettings {
  /** HTTP Basic user (VIBES_USERNAME); differs between the US and EU instances. */
  readonly username: string | undefined;
  /** HTTP Basic password (VIBES_PASSWORD); never logged, never in an error. */
  readonly password: string | undefined;
  /** The `company_key` segment of every path (VIBES_COMPANY_KEY). */
  readonly companyKey: string | undefined;
  /**
   * Callbacks are accepted at `POST /webhooks/vibes/<secret>` (VIBES_CALLBACK_SECRET): required with a real Vibes; in
   * demo mode, when unset, a random one made at boot. Never logged or echoed.
   */
  readonly callbackSecret: string;
  /** Which consent purpose each subscription list grants (VIBES_LIST_PURPOSES; a list not named is MARKETING). */
  readonly listPurposes: ListPurposes;
  /** CIDRs allowed to deliver callbacks (VIBES_CALLBACK_ALLOWED_IPS), as `address/prefix`; empty: any address. */
  readonly callbackAllowedIps: readonly string[];
  /**
   * Demo mode only, set by `demo.configFor`: registers the gateway's callback URL with the embedded simulator, so its
   * callbacks reach the gateway once it listens.
   */
  readonly simulatorCallbacks?: { register(url: string): void };
}

/** The secret is a path segment: URL-safe characters only, so it travels unencoded and compares byte for byte. */
const SECRET = /^[A-Za-z0-9._~-]+$/;
export const MIN_CALLBACK_SECRET_LENGTH = 16;
const MAX_CALLBACK_SECRET_LENGTH = 256;
const COMPANY_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._~-]{0,127}$/;

function callbackSecret(env: Env, real: boolean): string {
  const name = 'VIBES_CALLBACK_SECRET';
  // Not trimmed: a secret is taken exactly as given (only an empty one counts as unset).
  const value = env[name] === '' ? undefined : env[name];
  if (value === undefined) {
    if (real) throw new ConfigError(name, 'is required when VIBES_BASE_URL is set (callbacks arrive at /webhooks/vibes/<secret>)');
    return randomBytes(24).toString('base64url');
  }
  if (value.length < MIN_CALLBACK_SECRET_LENGTH || value.length > MAX_CALLBACK_SECRET_LENGTH) {
    throw new ConfigError(name, `must be ${MIN_CALLBACK_SECRET_LENGTH} to ${MAX_CALLBACK_SECRET_LENGTH} characters`);
  }
  if (!SECRET.test(value)) throw new ConfigError(name, 'may hold only letters, digits and . _ ~ - (it is a URL path segment)');
  return value;
}

/**
 * `35.155.139.143/32,2001:db8::/32`; a bare address is a one-address range (`/32`, `/128`): Vibes publishes its
 * callback senders as bare addresses. Entries are named by position, and answered as `address/prefix`.
 */
export function parseAllowedIps(raw: string | undefined, name = 'VIBES_CALLBACK_ALLOWED_IPS'): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const out: string[] = [];
  for (const [index, part] of raw.split(',').entries()) {
    const entry = part.trim();
    if (entry === '') continue; // a trailing comma
    const where = `entry ${index + 1}`;
    const slash = entry.indexOf('/');
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes('%') ? 6 : undefined;
    if (family === undefined) throw new ConfigError(name, `${where} must be an IPv4 or IPv6 address or CIDR, e.g. 35.155.139.143/32 or 2001:db8::/32`);
    const max = family === 4 ? 32 : 128;
    const prefixText = slash === -1 ? String(max) : entry.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      throw new ConfigError(name, `${where}: the prefix length must be a whole number from 0 to ${max}`);
    }
    out.push(`${address}/${Number(prefixText)}`);
  }
  return out;
}

function listPurposes(env: Env): ListPurposes {
  try {
    return parseListPurposes(env['VIBES_LIST_PURPOSES']);
  } catch (err) {
    if (err instanceof ListPurposesError) throw new ConfigError('VIBES_LIST_PURPOSES', err.message.replace(/^VIBES_LIST_PURPOSES:\s*/, ''));
    throw err;
  }
}

export function parseVibesConfig(env: Env, shared: SharedVendorSettings): VibesConfig {
  const baseUrl = vendorBaseUrl(env, 'VIBES_BASE_URL', 'VIBES_USERNAME and VIBES_PASSWORD');
  // An origin: the client appends /companies/{company_key}/..., so a path here would be doubled.
  if (baseUrl !== undefined && new URL(baseUrl).pathname !== '/') {
    throw new ConfigError('VIBES_BASE_URL', 'must be an origin such as https://public-api.vibescm.com (the gateway appends /companies/...)');
  }
  const config: VibesConfig = {
    ...upstreamSettings(env, 'VIBES', shared.upstreamTimeoutMs),
    baseUrl,
    username: str(env, 'VIBES_USERNAME'),
    // Not trimmed: a password is taken exactly as given (only an empty one counts as unset).
    password: env['VIBES_PASSWORD'] === '' ? undefined : env['VIBES_PASSWORD'],
    companyKey: str(env, 'VIBES_COMPANY_KEY'),
    callbackSecret: callbackSecret(env, baseUrl !== undefined),
    listPurposes: listPurposes(env),
    callbackAllowedIps: parseAllowedIps(env['VIBES_CALLBACK_ALLOWED_IPS']),
  };
  if (config.baseUrl) {
    if (!config.username) throw new ConfigError('VIBES_USERNAME', 'is required when VIBES_BASE_URL is set');
    if (!config.password) throw new ConfigError('VIBES_PASSWORD', 'is required when VIBES_BASE_URL is set');
    if (!config.companyKey) throw new ConfigError('VIBES_COMPANY_KEY', 'is required when VIBES_BASE_URL is set');
  }
  // HTTP Basic cannot carry a user name with a colon (RFC 7617): it would split into the wrong user and password.
  if (config.username?.includes(':')) throw new ConfigError('VIBES_USERNAME', 'must not contain ":" (HTTP Basic user names cannot)');
  if (config.companyKey !== undefined && !COMPANY_KEY.test(config.companyKey)) {
    throw new ConfigError('VIBES_COMPANY_KEY', 'must be 1 to 128 letters, digits or . _ ~ - (it is a path segment)');
  }
  return config;
}
