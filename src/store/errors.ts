import type { ErrorCode } from '../errors/codes.js';

/** The codes the store raises; `satisfies` keeps each one in the shared catalogue (src/errors/codes.ts). */
export const IDEMPOTENCY_ERROR_CODES = [
  'BAD_USER_INPUT',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_REQUEST_IN_PROGRESS',
  'OUTCOME_UNKNOWN',
] as const satisfies readonly ErrorCode[];

export type IdempotencyErrorCode = (typeof IDEMPOTENCY_ERROR_CODES)[number];

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

/**
 * Not caller-facing: the claim a call holds on a key is gone (the lease expired and another caller marked the
 * key unknown or took it over, or the key was purged). Thrown by IdempotencyStore.complete(); runIdempotent
 * turns it into OUTCOME_UNKNOWN.
 */
export class ClaimLostError extends Error {
  constructor() {
    super('idempotency: the claim on this key was lost before the outcome was recorded');
    this.name = 'ClaimLostError';
  }
}
