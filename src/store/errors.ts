import type { ErrorCode } from '../errors/codes.js';

export type IdempotencyErrorCode = Extract<
  ErrorCode,
  'BAD_USER_INPUT' | 'IDEMPOTENCY_KEY_REUSED' | 'IDEMPOTENCY_REQUEST_IN_PROGRESS'
>;

/**
 * A caller-facing idempotency failure; the edge maps `code` to a GraphQL error. Messages are safe to show:
 * they never contain the key, the arguments or a stored response.
 */
export class IdempotencyError extends Error {
  readonly code: IdempotencyErrorCode;

  constructor(code: IdempotencyErrorCode, message: string) {
    super(message);
    this.name = 'IdempotencyError';
    this.code = code;
  }
}

export function isIdempotencyError(value: unknown): value is IdempotencyError {
  return value instanceof IdempotencyError;
}
