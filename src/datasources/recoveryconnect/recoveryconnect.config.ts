/** RecoveryConnect's section of the environment contract (configuration.md). */
import { ConfigError, int, str, type Env } from '../../config/env.js';
import { upstreamSettings, vendorBaseUrl, type UpstreamSettings } from '../../config/vendor-env.js';
import { PhoneType } from '../../schema/phone/phone.enums.js';
import type { SharedVendorSettings, VendorConfigBase } from '../vendor.js';

export interface RecoveryConnectConfig extends VendorConfigBase, UpstreamSettings {
  readonly username: string | undefined;
  /** Exchanged at POST /api/v140/auth for a bearer token; never logged, never in an error. */
  readonly password: string | undefined;
  /** RecoveryConnect phone type id -> the gateway's type (RECOVERYCONNECT_PHONE_TYPES); unmapped ids read as UNKNOWN. */
  readonly phoneTypes: ReadonlyMap<number, PhoneType>;
  /** After RecoveryConnect refused the credentials, no new login before this has passed (RECOVERYCONNECT_LOGIN_RETRY_S). */
  readonly loginRetryMs: number;
}

/**
 * The defaults when RECOVERYCONNECT_PHONE_TYPES is unset. The vendor's "Phone Type IDs" table is not public
 * (vendor-apis.md 4.4 and unknown 15): only 5 and 6 were ever seen. 6 is HOME because the seed's create example
 * sends type 6 with memo "home"; 5 is MOBILE as configuration.md's example has it (and the docs list "mobile,
 * home, or work" in that order). Anything else is UNKNOWN until an operator maps it.
 */
export const DEFAULT_PHONE_TYPES: ReadonlyMap<number, PhoneType> = new Map([
  [5, PhoneType.MOBILE],
  [6, PhoneType.HOME],
]);

const VARIABLE = 'RECOVERYCONNECT_PHONE_TYPES';
/** What an entry may map to: UNKNOWN is what an unmapped id already reads as. */
const MAPPABLE: readonly PhoneType[] = Object.values(PhoneType).filter((t) => t !== PhoneType.UNKNOWN);

/**
 * `5=MOBILE,6=HOME,7=WORK`: replaces the defaults as a whole, so an operator can also unmap a default that turns
 * out wrong. Ids are positive whole numbers, each at most once; types are PhoneType names (any case) but UNKNOWN.
 * Errors name the entry by position and say what was expected.
 */
export function parsePhoneTypes(raw: string | undefined): ReadonlyMap<number, PhoneType> {
  if (raw === undefined) return DEFAULT_PHONE_TYPES;
  const map = new Map<number, PhoneType>();
  for (const [index, part] of raw.split(',').entries()) {
    const entry = part.trim();
    const where = `entry ${index + 1}`;
    if (entry === '') throw new ConfigError(VARIABLE, `${where} is empty (write id=TYPE pairs separated by commas, e.g. 5=MOBILE,6=HOME)`);
    const match = /^(\d{1,9})\s*=\s*([A-Za-z]+)$/.exec(entry);
    if (!match) throw new ConfigError(VARIABLE, `${where} must be <type id>=<PhoneType>, e.g. 5=MOBILE`);
    const id = Number(match[1]);
    const type = match[2]!.toUpperCase() as PhoneType;
    if (id < 1) throw new ConfigError(VARIABLE, `${where}: the type id must be a positive whole number`);
    if (!MAPPABLE.includes(type)) throw new ConfigError(VARIABLE, `${where}: the type must be one of ${MAPPABLE.join(', ')}`);
    if (map.has(id)) throw new ConfigError(VARIABLE, `${where}: type id ${id} is mapped twice`);
    map.set(id, type);
  }
  return map;
}

export function parseRecoveryConnectConfig(env: Env, shared: SharedVendorSettings): RecoveryConnectConfig {
  const config: RecoveryConnectConfig = {
    ...upstreamSettings(env, 'RECOVERYCONNECT', shared.upstreamTimeoutMs),
    baseUrl: vendorBaseUrl(env, 'RECOVERYCONNECT_BASE_URL', 'RECOVERYCONNECT_USERNAME and RECOVERYCONNECT_PASSWORD'),
    username: str(env, 'RECOVERYCONNECT_USERNAME'),
    // Not trimmed: a password is taken exactly as given (only an empty one counts as unset).
    password: env['RECOVERYCONNECT_PASSWORD'] === '' ? undefined : env['RECOVERYCONNECT_PASSWORD'],
    phoneTypes: parsePhoneTypes(str(env, VARIABLE)),
    loginRetryMs: int(env, 'RECOVERYCONNECT_LOGIN_RETRY_S', 10, 1, 3600) * 1000,
  };
  if (config.baseUrl) {
    if (!config.username) throw new ConfigError('RECOVERYCONNECT_USERNAME', 'is required when RECOVERYCONNECT_BASE_URL is set');
    if (!config.password) throw new ConfigError('RECOVERYCONNECT_PASSWORD', 'is required when RECOVERYCONNECT_BASE_URL is set');
  }
  return config;
}
