export { openStore, SQLITE_FILE_NAME, type OpenStoreOptions, type Store, type StoreKind } from './store.js';
export {
  createIdempotencyStore,
  DEFAULT_IDEMPOTENCY_LOCK_MS,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MIN_IDEMPOTENCY_TTL_MS,
  runIdempotent,
  validateIdempotencyKey,
  type BeginOptions,
  type BeginResult,
  type IdempotencyScope,
  type IdempotencyStore,
} from './idempotency.js';
export { IdempotencyError, isIdempotencyError, type IdempotencyErrorCode } from './errors.js';
export { canonicalJson, fingerprint } from './fingerprint.js';
export { StoreClosedError } from './sql.js';
