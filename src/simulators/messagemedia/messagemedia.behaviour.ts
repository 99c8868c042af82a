/**
 * Validation of behaviour patches (PUT /__sim/behaviour, setBehaviour(), the launcher's env).
 */
import type { MessageMediaBehaviour } from './messagemedia.model.js';

export class BehaviourError extends Error {
  override readonly name = 'BehaviourError';
}

const KEYS: readonly (keyof MessageMediaBehaviour)[] = [
  'patchAssignmentStatus',
  'unknownToken',
  'phoneNumberFormat',
  'releaseGraceDays',
  'dedicatedNumbersEnabled',
];

function oneOf<T extends string | number>(key: string, value: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new BehaviourError(`${key} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/** `patch` over `base`, every field validated; undefined values are skipped. Throws BehaviourError. */
export function mergeBehaviour(base: Readonly<MessageMediaBehaviour>, patch: Readonly<Record<string, unknown>>): MessageMediaBehaviour {
  const next: MessageMediaBehaviour = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    switch (key) {
      case 'patchAssignmentStatus':
        next.patchAssignmentStatus = oneOf(key, value, [200, 204] as const);
        break;
      case 'unknownToken':
        next.unknownToken = oneOf(key, value, ['continue', 'reject'] as const);
        break;
      case 'phoneNumberFormat':
        next.phoneNumberFormat = oneOf(key, value, ['e164', 'digits'] as const);
        break;
      case 'releaseGraceDays':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new BehaviourError('releaseGraceDays must be a number >= 0');
        }
        next.releaseGraceDays = value;
        break;
      case 'dedicatedNumbersEnabled':
        if (typeof value !== 'boolean') throw new BehaviourError('dedicatedNumbersEnabled must be true or false');
        next.dedicatedNumbersEnabled = value;
        break;
      default:
        throw new BehaviourError(`unknown behaviour setting '${key}' (known: ${KEYS.join(', ')})`);
    }
  }
  return next;
}
