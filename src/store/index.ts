export { openStore, SQLITE_FILE_NAME, type OpenStoreOptions, type Store, type StoreKind } from './store.js';
export {
  createIdempotencyStore,
  DEFAULT_IDEMPOTENCY_LOCK_MS,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MIN_IDEMPOTENCY_LOCK_MS,
  MIN_IDEMPOTENCY_TTL_MS,
  UNKNOWN_CAUSES,
  validateIdempotencyKey,
  type BeginOptions,
  type BeginResult,
  type IdempotencyScope,
  type IdempotencyStore,
  type IdempotencyStoreOptions,
  type UnknownCause,
} from './idempotency.js';
export {
  outcomeUnknownError,
  runIdempotent,
  type FailureClass,
  type Reconciled,
  type RunIdempotentOptions,
  type UnknownOutcomeEvent,
} from './idempotency.run.js';
export {
  ClaimLostError,
  IDEMPOTENCY_ERROR_CODES,
  IdempotencyError,
  isIdempotencyError,
  type IdempotencyErrorCode,
} from './errors.js';
export { canonicalJson, fingerprint } from './fingerprint.js';
export { StoreClosedError } from './sql.js';
