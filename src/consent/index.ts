/** The consent domain: ledger rules, Vibes callback ingestion, the inbox worker, live events. See docs in /work/notes. */
export * from './consent.types.js';
export { combineByPurpose, compareLatestFirst, currentConsents, effectiveEvents, RESTRICTIVENESS } from './consent.rules.js';
export { consentsFromLedger, type LedgerConsents } from './consent.read.js';
export { createConsentRecorder, type ConsentRecorder, type ConsentRecorderOptions } from './consent.recorder.js';
export {
  ConsentEventsClosedError,
  ConsentEventsOverflowError,
  createInProcessConsentEvents,
  DEFAULT_SUBSCRIBER_QUEUE,
  openConsentEvents,
  type ConsentEvents,
  type InProcessConsentEventsOptions,
  type OpenConsentEventsOptions,
} from './consent-events.js';
export type { RedisConsentEventsError, RedisConsentEventsOptions } from './consent-events.redis.js';
export { CONSENT_CHANGED_TOPIC, consentPubSub } from './consent-events.pubsub.js';
export { decodeConsentEvent, encodeConsentEvent, isConsentEvent, type ConsentEventJson } from './consent-event.codec.js';
export { DEFAULT_LIST_PURPOSE, listPurposes, ListPurposesError, parseListPurposes, type ListPurposes } from './list-purposes.js';
export {
  interpretVibesCallback,
  parseVibesCallback,
  VIBES_CALLBACK_FAILURES,
  VIBES_SUBSCRIPTION_CALLBACK_TYPES,
  type VibesCallbackFailure,
  type VibesCallbackParse,
  type VibesPersonRef,
  type VibesSubscriptionCallback,
  type VibesSubscriptionCallbackType,
} from './vibes-callback.parser.js';
export { parseVendorDate } from './vendor-date.js';
export { InboxProcessingError, isInboxProcessingError, type InboxDisposition } from './inbox.errors.js';
export {
  DEFAULT_MAX_CONFIRM_ATTEMPTS,
  inboxProcessor,
  processInboxRow,
  type InboxOutcome,
  type InboxProcessorDeps,
  type ProcessableRow,
  type ProcessResult,
  type VibesConsentDirectory,
  type VibesPersonKey,
  type VibesSubscriberRef,
} from './inbox.processor.js';
export {
  defaultWorkerId,
  inboxBackoff,
  startInboxWorker,
  type BackoffOptions,
  type InboxWorker,
  type InboxWorkerOptions,
  type InboxWorkerReport,
} from './inbox.worker.js';
export {
  decideContactability,
  describeFact,
  NUMBER_INVALIDATING_REASONS,
  readConsentSources,
  type ConsentFacts,
  type ConsentFactSource,
  type ConsentSourceRef,
  type ContactabilityDecision,
  type SourceReading,
} from './contactability.js';
export { ledgerFacts } from './ledger-facts.js';
export { vibesSubscriptionFacts, type VibesSubscriptionRecord } from './vibes-consents.js';
export {
  ledgerCopiesAsFacts,
  vendorFlagChanges,
  vendorFlagFacts,
  type VendorFlagState,
  type VendorRecordReading,
} from './vendor-flags.js';
