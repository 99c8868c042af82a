/**
 * How processing an inbox row failed, for the worker: `retry` leaves the row in the inbox, due again after a
 * backoff (the cause may pass: Vibes down, the store busy); `dead` parks it (it cannot succeed as it is: the
 * payload or the person is unusable), visible and replayable, never dropped.
 *
 * `code` is what the inbox stores and the worker reports: a lower-case word, never a message, so no phone
 * number or vendor body can travel in it.
 */
export type InboxDisposition = 'retry' | 'dead';

export class InboxProcessingError extends Error {
  readonly code: string;
  readonly disposition: InboxDisposition;

  // No `cause`: the underlying error may carry a vendor URL, body or phone number, and error serialisers follow
  // causes into logs. The code says what happened.
  constructor(code: string, disposition: InboxDisposition) {
    super(`inbox processing failed: ${code}`);
    this.name = 'InboxProcessingError';
    this.code = code;
    this.disposition = disposition;
  }
}

export function isInboxProcessingError(value: unknown): value is InboxProcessingError {
  return value instanceof InboxProcessingError;
}

export const retryLater = (code: string): InboxProcessingError => new InboxProcessingError(code, 'retry');
export const deadLetter = (code: string): InboxProcessingError => new InboxProcessingError(code, 'dead');
