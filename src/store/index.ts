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
export {
  createConsentLedger,
  DEFAULT_HISTORY_LIMIT,
  LEDGER_RETENTION_MS,
  LedgerValidationError,
  MAX_HISTORY_LIMIT,
  type AppendResult,
  type ConsentLedger,
  type ConsentLedgerOptions,
  type HistoryOptions,
} from './consent-ledger.js';
export {
  createWebhookInbox,
  DEFAULT_INBOX_LEASE_MS,
  INBOX_STATES,
  MAX_INBOX_CLAIM,
  MIN_INBOX_LEASE_MS,
  type ClaimedInboxRow,
  type ClaimOptions,
  type InboxReceipt,
  type InboxRow,
  type InboxState,
  type ReceiveInput,
  type WebhookInbox,
  type WebhookInboxOptions,
} from './webhook-inbox.js';
export {
  createPinAttempts,
  DEFAULT_PIN_POLICY,
  MAX_PIN_ATTEMPTS_LIMIT,
  MAX_PIN_LOCKOUT_SECONDS,
  PIN_PURPOSES,
  type PinAttempt,
  type PinAttempts,
  type PinAttemptsOptions,
  type PinLockState,
  type PinPolicy,
  type PinPurpose,
  type PinReservation,
  type PinTarget,
} from './pin-attempts.js';
