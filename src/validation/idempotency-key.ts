/** The store's idempotency-key rule as an argument check: BAD_USER_INPUT naming the path, never the key. */
import { BadUserInputError } from '../errors/errors.js';
import { isIdempotencyError, validateIdempotencyKey } from '../store/index.js';

export function checkIdempotencyKey(value: string, path = 'idempotencyKey'): string {
  try {
    validateIdempotencyKey(value);
  } catch (err) {
    if (isIdempotencyError(err)) throw new BadUserInputError(err.message, { argument: path });
    throw err;
  }
  return value;
}
