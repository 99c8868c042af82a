/**
 * Fault and latency settings shared by every vendor simulator.
 */
import type { Prng } from './prng.js';

export interface FaultSettings {
  /** Added before every (fault-eligible) response. */
  readonly latencyMs: number;
  /** Extra uniform random delay in [0, jitterMs] added to latencyMs. */
  readonly jitterMs: number;
  /** 0..1: probability that a request is answered with `errorStatus` and the vendor's error body. */
  readonly errorRate: number;
  /** HTTP status used by errorRate (default 500). */
  readonly errorStatus: number;
  /** When set, injected errors carry `Retry-After: <seconds>` (as a throttling vendor sends with 429/503). */
  readonly retryAfterSeconds: number | null;
  /** 0..1: probability that a request is accepted and never answered (socket stays open). */
  readonly hangRate: number;
  /** 0..1: probability that the socket is reset (TCP RST, client sees ECONNRESET) without a response. */
  readonly resetRate: number;
  /** Regex source tested against the decoded pathname; faults and latency only apply where it matches. */
  readonly routes: string | null;
  /** HTTP methods faults and latency apply to (e.g. ["PUT"] to fail only writes); null = every method. */
  readonly methods: readonly string[] | null;
}

export type FaultOptions = Partial<FaultSettings>;

export const NO_FAULTS: FaultSettings = Object.freeze({
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorStatus: 500,
  retryAfterSeconds: null,
  hangRate: 0,
  resetRate: 0,
  routes: null,
  methods: null,
});

const FAULT_KEYS: readonly (keyof FaultSettings)[] = [
  'latencyMs',
  'jitterMs',
  'errorRate',
  'errorStatus',
  'retryAfterSeconds',
  'hangRate',
  'resetRate',
  'routes',
  'methods',
];

export class FaultConfigError extends Error {
  override readonly name = 'FaultConfigError';
}

function nonNegative(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FaultConfigError(`${key} must be a finite number >= 0`);
  }
  return value;
}

function rate(key: string, value: unknown): number {
  const n = nonNegative(key, value);
  if (n > 1) throw new FaultConfigError(`${key} must be between 0 and 1`);
  return n;
}

/**
 * Merge `patch` over `base`, validating every field. Throws FaultConfigError on an unknown key or a bad value.
 * `undefined` values in the patch are skipped; `routes: null` or `''` removes the route filter.
 */
export function mergeFaults(base: FaultSettings, patch: Readonly<Record<string, unknown>>): FaultSettings {
  const out: { -readonly [K in keyof FaultSettings]: FaultSettings[K] } = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    switch (key) {
      case 'latencyMs':
      case 'jitterMs':
        out[key] = nonNegative(key, value);
        break;
      case 'errorRate':
      case 'hangRate':
      case 'resetRate':
        out[key] = rate(key, value);
        break;
      case 'errorStatus': {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > 599) {
          throw new FaultConfigError('errorStatus must be an integer HTTP status between 400 and 599');
        }
        out.errorStatus = value;
        break;
      }
      case 'retryAfterSeconds':
        out.retryAfterSeconds = value === null ? null : nonNegative(key, value);
        break;
      case 'methods':
        if (value === null) {
          out.methods = null;
          break;
        }
        if (!Array.isArray(value) || value.some((m) => typeof m !== 'string' || !/^[A-Za-z]+$/.test(m))) {
          throw new FaultConfigError('methods must be a list of HTTP method names or null');
        }
        out.methods = Object.freeze(value.map((m: string) => m.toUpperCase()));
        break;
      case 'routes': {
        if (value === null || value === '') {
          out.routes = null;
          break;
        }
        if (typeof value !== 'string') throw new FaultConfigError('routes must be a regular expression string or null');
        try {
          new RegExp(value);
        } catch {
          throw new FaultConfigError('routes is not a valid regular expression');
        }
        out.routes = value;
        break;
      }
      default:
        throw new FaultConfigError(`unknown fault setting '${key}' (known: ${FAULT_KEYS.join(', ')})`);
    }
  }
  return Object.freeze(out);
}

export interface FaultDecision {
  /** null when the request proceeds normally (possibly after `delayMs`). */
  readonly outcome: 'error' | 'hang' | 'reset' | null;
  readonly delayMs: number;
}

const NO_DECISION: FaultDecision = Object.freeze({ outcome: null, delayMs: 0 });

/**
 * Roll the dice for one request. Rates of exactly 0 or 1 never consume a draw, so they are deterministic
 * whatever the seed. Precedence: reset, then hang, then error.
 */
export function decideFault(
  settings: FaultSettings,
  routeRe: RegExp | null,
  path: string,
  prng: Prng,
  method = 'GET',
): FaultDecision {
  if (
    settings.latencyMs === 0 &&
    settings.jitterMs === 0 &&
    settings.errorRate === 0 &&
    settings.hangRate === 0 &&
    settings.resetRate === 0
  ) {
    return NO_DECISION;
  }
  if (routeRe !== null && !routeRe.test(path)) return NO_DECISION;
  if (settings.methods !== null && !settings.methods.includes(method)) return NO_DECISION;
  const reset = prng.chance(settings.resetRate);
  const hang = prng.chance(settings.hangRate);
  const error = prng.chance(settings.errorRate);
  const jitter = settings.jitterMs > 0 ? prng.next() * settings.jitterMs : 0;
  const delayMs = settings.latencyMs + jitter;
  const outcome = reset ? 'reset' : hang ? 'hang' : error ? 'error' : null;
  return { outcome, delayMs };
}
