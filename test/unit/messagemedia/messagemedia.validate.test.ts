import { describe, expect, it } from 'vitest';
import {
  checkCountry,
  checkFirst,
  checkMatching,
  checkMetadata,
  checkNumberId,
  validateAssign,
  validateAssignmentUpdate,
} from '../../../src/datasources/messagemedia/messagemedia.validate.js';
import { GatewayError } from '../../../src/errors/errors.js';

const ID = '073fb6bd-f054-4644-aada-8fb204145d77';

function problem(fn: () => unknown): { message: string; argument: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError && err.code === 'BAD_USER_INPUT') return { message: err.message, argument: err.extensions.argument };
    throw err;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('number inputs', () => {
  it('answers ids in lower case and countries in upper case', () => {
    expect(checkNumberId(ID.toUpperCase())).toBe(ID);
    expect(checkCountry(' au ')).toBe('AU');
    expect(problem(() => checkNumberId(`${ID}0`)).argument).toBe('numberId');
    expect(problem(() => checkCountry('EU')).argument).toBe('country');
  });

  it('bounds first to 1..100, null and absent being the default', () => {
    expect(checkFirst(undefined)).toBe(50);
    expect(checkFirst(null)).toBe(50);
    expect(checkFirst(1)).toBe(1);
    expect(checkFirst(100)).toBe(100);
    for (const bad of [0, 101, 2.5]) expect(problem(() => checkFirst(bad)).message).toBe('first must be between 1 and 100.');
  });

  it('takes digits only as a match (MessageMedia reads it as a pattern)', () => {
    expect(checkMatching('+6143')).toBe('+6143');
    for (const bad of ['', '6+1', '9'.repeat(16), '.*', '[0-9]']) expect(problem(() => checkMatching(bad)).argument).toBe('matching');
  });

  it("holds metadata to MessageMedia's limits, counting as Java does (UTF-16 units)", () => {
    const five = { a: '1', b: '2', c: '3', d: '4', e: '5' };
    expect(checkMetadata(five)).toEqual(five);
    expect(checkMetadata({ ['k'.repeat(100)]: 'v'.repeat(256) })).toEqual({ ['k'.repeat(100)]: 'v'.repeat(256) });
    expect(problem(() => checkMetadata({ ...five, f: '6' })).message).toBe('metadata takes at most 5 entries.');
    expect(problem(() => checkMetadata({ '': 'v' })).message).toBe('metadata keys must be 1 to 100 characters.');
    expect(problem(() => checkMetadata({ k: '😀'.repeat(129) })).message).toBe('metadata values must be at most 256 characters.');
    expect(problem(() => checkMetadata({ k: { nested: 'x' } })).message).toBe('metadata values must be strings.');
    expect(problem(() => checkMetadata({ k: 'bell\u0007' })).message).toBe('metadata values must not contain control characters.');
  });

  it('keeps a "__proto__" key as an ordinary entry', () => {
    const metadata = checkMetadata(JSON.parse('{"__proto__":"x"}') as Record<string, unknown>);
    expect(Object.keys(metadata)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
  });

  it('assign: absent and null are the same (no label, no metadata); the key is checked too', () => {
    expect(validateAssign({ numberId: ID, idempotencyKey: 'k' })).toEqual({ numberId: ID, label: null, metadata: null });
    expect(validateAssign({ numberId: ID, label: null, metadata: null, idempotencyKey: 'k' })).toEqual({ numberId: ID, label: null, metadata: null });
    expect(problem(() => validateAssign({ numberId: ID, idempotencyKey: 'x'.repeat(256) })).argument).toBe('idempotencyKey');
    expect(problem(() => validateAssign({ numberId: ID, label: '📞'.repeat(51), idempotencyKey: 'k' })).message).toBe('label must be at most 100 characters.');
  });

  it('update: absent is unchanged, null clears, and it must name something', () => {
    expect(validateAssignmentUpdate({ label: null })).toEqual({ label: null });
    expect(validateAssignmentUpdate({ metadata: { a: 'b' } })).toEqual({ metadata: { a: 'b' } });
    expect(validateAssignmentUpdate({ label: 'L', metadata: null })).toEqual({ label: 'L', metadata: null });
    expect(problem(() => validateAssignmentUpdate({})).message).toBe('Name label or metadata to change (null clears one).');
  });

  it('never echoes a value', () => {
    const secret = '+61438851616';
    for (const fn of [
      () => checkNumberId(secret),
      () => checkMatching(`${secret}x`),
      () => checkCountry(secret),
      () => checkMetadata({ [secret]: secret.repeat(30) }),
    ]) {
      expect(problem(fn).message).not.toContain('61438851616');
    }
  });
});
