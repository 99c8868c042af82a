/**
 * Fault and latency settings shared by every vendor simulator.
 *
 * Two families of injected outcome:
 *   before the handler: `reset`, `hang`, `error`: the vendor never processes the request;
 *   after the handler:  `reset_after`, `drop`: the vendor processes it (its state changes), then the answer is
 *                       lost: what a client sees as "timed out after the POST reached the vendor".
 */
import type { Prng } from './prng.js';

/** An injected outcome, as recorded in the request log's `fault` field. */
export type InjectedFault = 'error' | 'hang' | 'reset' | 'reset_after' | 'drop';

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
  /**
   * 0..1: probability that the handler runs (its state change happens) and then no response is sent: the
   * socket stays open until the client gives up or the server closes. Logged as fault 'drop'.
   */
  readonly dropResponseRate: number;
  /** 0..1: probability that the handler runs and then the socket is reset (ECONNRESET). Logged as 'reset_after'. */
  readonly resetAfterRate: number;
  /**
   * At most this many requests get an injected outcome (any of the five); later ones are served normally.
   * Latency and jitter are not counted and keep applying. null = unlimited. The count starts again whenever
   * the setting is written (PUT or DELETE /__sim/faults, or a PATCH / setFaults that names faultBudget).
   */
  readonly faultBudget: number | null;
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
  dropResponseRate: 0,
  resetAfterRate: 0,
  faultBudget: null,
  routes: null,
  methods: null,
});

/** Every setting name, in NO_FAULTS order (so a new setting cannot be forgotten here). */
export const FAULT_KEYS: readonly (keyof FaultSettings)[] = Object.freeze(Object.keys(NO_FAULTS) as (keyof FaultSettings)[]);

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
 * For a replacement (PUT semantics) merge over NO_FAULTS.
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
      case 'dropResponseRate':
      case 'resetAfterRate':
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
      case 'faultBudget':
        if (value !== null && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
          throw new FaultConfigError('faultBudget must be an integer >= 0 or null');
        }
        out.faultBudget = value;
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

/**
 * Only the fault settings of a larger options object. Vendor simulators whose options extend FaultOptions pass
 * this to createSimulatorServer instead of copying fields one by one, so a new fault setting is never dropped.
 */
export function pickFaultOptions(options: FaultOptions): FaultOptions {
  const out: Record<string, unknown> = {};
  for (const key of FAULT_KEYS) {
    const value = options[key];
    if (value !== undefined) out[key] = value;
  }
  return out as FaultOptions;
}

export interface FaultDecision {
  /** null when the request proceeds normally (possibly after `delayMs`). */
  readonly outcome: InjectedFault | null;
  readonly delayMs: number;
}

const NO_DECISION: FaultDecision = Object.freeze({ outcome: null, delayMs: 0 });

function injectsAnything(s: FaultSettings): boolean {
  return (
    s.latencyMs > 0 ||
    s.jitterMs > 0 ||
    s.errorRate > 0 ||
    s.hangRate > 0 ||
    s.resetRate > 0 ||
    s.dropResponseRate > 0 ||
    s.resetAfterRate > 0
  );
}

/**
 * Roll the dice for one request. Rates of exactly 0 or 1 never consume a draw, so they are deterministic
 * whatever the seed. Precedence: reset, hang, error (the handler never runs), then reset_after, drop.
 * The after-handler draws come last so seeded sequences of the older settings are unchanged.
 * `faultBudget` is not applied here (it is state): see FaultBudget.
 */
export function decideFault(
  settings: FaultSettings,
  routeRe: RegExp | null,
  path: string,
  prng: Prng,
  method = 'GET',
): FaultDecision {
  if (!injectsAnything(settings)) return NO_DECISION;
  if (routeRe !== null && !routeRe.test(path)) return NO_DECISION;
  if (settings.methods !== null && !settings.methods.includes(method.toUpperCase())) return NO_DECISION;
  const reset = prng.chance(settings.resetRate);
  const hang = prng.chance(settings.hangRate);
  const error = prng.chance(settings.errorRate);
  const jitter = settings.jitterMs > 0 ? prng.next() * settings.jitterMs : 0;
  const resetAfter = prng.chance(settings.resetAfterRate);
  const drop = prng.chance(settings.dropResponseRate);
  const delayMs = settings.latencyMs + jitter;
  const outcome: InjectedFault | null = reset
    ? 'reset'
    : hang
      ? 'hang'
      : error
        ? 'error'
        : resetAfter
          ? 'reset_after'
          : drop
            ? 'drop'
            : null;
  return { outcome, delayMs };
}

/**
 * What is left of `faultBudget`. Decisions pass through admit() in arrival order; once the budget is spent
 * their outcome becomes null (their latency stays), which makes "fail exactly the first POST" deterministic.
 */
export class FaultBudget {
  #left: number | null;

  constructor(limit: number | null) {
    this.#left = limit;
  }

  /** Injections still allowed; null = unlimited. */
  get remaining(): number | null {
    return this.#left;
  }

  admit(decision: FaultDecision): FaultDecision {
    if (decision.outcome === null || this.#left === null) return decision;
    if (this.#left === 0) return decision.delayMs === 0 ? NO_DECISION : { outcome: null, delayMs: decision.delayMs };
    this.#left -= 1;
    return decision;
  }
}
