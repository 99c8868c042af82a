import type { AppendResult, ConsentLedger } from '../store/consent-ledger.js';
import type { ConsentEvents } from './consent-events.js';
import type { NewConsentEvent } from './consent.types.js';

/**
 * Every ledger write goes through here: append, then (only for an event that was really written, and only after
 * its transaction committed) publish it to live subscribers. A failed publish never fails the write: the ledger
 * is the record, live updates are a convenience (a subscriber that missed one re-reads the history).
 */
export interface ConsentRecorder {
  record(event: NewConsentEvent): Promise<AppendResult>;
}

export interface ConsentRecorderOptions {
  readonly ledger: ConsentLedger;
  /** Absent: nothing is published. */
  readonly events?: ConsentEvents | undefined;
  /** A publish failed (the event is recorded). Gets no event data: log the code. Must not throw. */
  readonly onPublishError?: ((error: unknown) => void) | undefined;
}

export function createConsentRecorder(options: ConsentRecorderOptions): ConsentRecorder {
  const { ledger, events, onPublishError } = options;
  return {
    async record(event) {
      const result = await ledger.append(event);
      if (result.inserted && events) {
        try {
          await events.publish(result.event);
        } catch (error) {
          try {
            onPublishError?.(error);
          } catch {
            // a failing reporter must not turn a recorded event into a failed one
          }
        }
      }
      return result;
    },
  };
}
