/**
 * The one error-code catalogue. Every code a client can see in `errors[].extensions.code` is listed here
 * with its meaning; docs/errors.md documents the same set (a test keeps the two in step).
 */
export const ErrorCodes = {
  BAD_USER_INPUT: 'An argument is invalid (bad id, bad phone number, conflicting fields, ...).',
  UNAUTHENTICATED: 'No valid credentials were sent (API key or JWT).',
  FORBIDDEN: 'The caller lacks the scope this field or mutation needs.',
  NOT_FOUND: 'The vendor says the record does not exist.',
  CONFLICT: 'The vendor refused a state change (duplicate phone, MDN cannot change, ...).',
  IDEMPOTENCY_KEY_REUSED: 'The idempotency key was already used with different arguments.',
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 'A request with the same idempotency key is still running; retry later.',
  OUTCOME_UNKNOWN:
    'A side-effecting vendor call may or may not have happened; retry later with the same idempotency key (the gateway reconciles where the vendor lets it read the outcome).',
  CONSENT_REQUIRED: 'The action needs consent that the ledger does not hold.',
  RATE_LIMITED: "The gateway's own limit (e.g. PIN attempts) refused the call; extensions.retryAfterSeconds says when to retry.",
  UPSTREAM_UNAVAILABLE: 'The vendor timed out, refused, answered 5xx, or its circuit is open.',
  UPSTREAM_RATE_LIMITED: 'The vendor answered 429; extensions.retryAfterSeconds when known.',
  QUERY_TOO_COMPLEX: 'The operation exceeds the depth, alias or token limits.',
  GRAPHQL_PARSE_FAILED: 'The operation is not valid GraphQL syntax.',
  GRAPHQL_VALIDATION_FAILED: 'The operation does not validate against the schema (unknown field, wrong type, ...).',
  BAD_REQUEST:
    'The HTTP request itself is malformed or uses the wrong transport (missing query, bad JSON, CSRF header missing, a subscription over POST).',
  PERSISTED_QUERY_NOT_FOUND: 'An automatic persisted query hash is unknown; resend with the full query.',
  PERSISTED_QUERY_NOT_SUPPORTED: 'Automatic persisted queries are disabled.',
  OPERATION_RESOLUTION_FAILURE: 'The named operation is not in the document.',
  INTERNAL_SERVER_ERROR: 'An unexpected failure; details are in the server log under extensions.requestId.',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export const ERROR_CODES = Object.keys(ErrorCodes) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ErrorCodes, value);
}
