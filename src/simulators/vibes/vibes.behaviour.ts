/**
 * Validation of behaviour patches (PUT /__sim/behaviour, setBehaviour(), the options).
 */
import type { VibesBehaviour } from './vibes.model.js';

export class BehaviourError extends Error {
  override readonly name = 'BehaviourError';
}

const KEYS: readonly (keyof VibesBehaviour)[] = ['putResponse', 'optOutStatus', 'repeatOptOut'];

function oneOf<T extends string | number>(key: string, value: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new BehaviourError(`${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/** `patch` over `base`, every field validated; undefined values are skipped. Throws BehaviourError. */
export function mergeBehaviour(base: Readonly<VibesBehaviour>, patch: Readonly<Record<string, unknown>>): VibesBehaviour {
  const next: VibesBehaviour = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    switch (key) {
      case 'putResponse':
        next.putResponse = oneOf(key, value, ['submitted', 'person'] as const);
        break;
      case 'optOutStatus':
        next.optOutStatus = oneOf(key, value, [200, 204] as const);
        break;
      case 'repeatOptOut':
        next.repeatOptOut = oneOf(key, value, ['not_found', 'subscription'] as const);
        break;
      default:
        throw new BehaviourError(`unknown behaviour setting '${key}' (known: ${KEYS.join(', ')})`);
    }
  }
  return next;
}
