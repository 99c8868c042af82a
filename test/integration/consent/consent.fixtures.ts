/** Shared by the consent integration tests: a fake Vibes, processor deps over a real store, callback helpers. */
import { createConsentRecorder } from '../../../src/consent/consent.recorder.js';
import type { ConsentEvents } from '../../../src/consent/consent-events.js';
import type { InboxProcessorDeps, VibesConsentDirectory, VibesPersonKey, VibesSubscriberRef } from '../../../src/consent/inbox.processor.js';
import { parseListPurposes } from '../../../src/consent/list-purposes.js';
import type { Store } from '../../../src/store/store.js';
import type { InboxReceipt } from '../../../src/store/webhook-inbox.js';
import { vibesCallback, type CallbackSpec } from '../../unit/consent/vibes-callbacks.fixtures.js';

export { deferred, manualClock, POLL, SECOND, T0 } from '../store/idempotency.fixtures.js';

export class VibesUnavailable extends Error {
  constructor() {
    super('Vibes is down (fake)');
    this.name = 'VibesUnavailable';
  }
}

/**
 * Vibes as the processor sees it. Persons map person_key -> MDN; subscriptions are active per person and list.
 * `down` makes every call throw; `confirmGate` (when set) is awaited inside confirmSubscription, to stop a
 * worker mid-row.
 */
export class FakeVibes implements VibesConsentDirectory {
  readonly persons = new Map<string, string | null>();
  readonly active = new Set<string>();
  down = false;
  confirmGate: Promise<void> | undefined;
  resolveCalls = 0;
  confirmCalls = 0;

  person(personKey: string, mdn: string | null): this {
    this.persons.set(personKey, mdn);
    return this;
  }

  subscribe(personKey: string, listId: string): this {
    this.active.add(`${personKey}|${listId}`);
    return this;
  }

  async resolvePerson(person: VibesPersonKey): Promise<{ mdn: string | null } | null> {
    this.resolveCalls += 1;
    if (this.down) throw new VibesUnavailable();
    const key = person.personKey ?? '';
    return this.persons.has(key) ? { mdn: this.persons.get(key) ?? null } : null;
  }

  async confirmSubscription(subscriber: VibesSubscriberRef, listId: string): Promise<boolean> {
    this.confirmCalls += 1;
    if (this.confirmGate) await this.confirmGate;
    if (this.down) throw new VibesUnavailable();
    return this.active.has(`${subscriber.personKey ?? ''}|${listId}`);
  }
}

export function processorDeps(
  store: Store,
  vibes: VibesConsentDirectory,
  extra: { events?: ConsentEvents; listPurposes?: string; maxConfirmAttempts?: number } = {},
): InboxProcessorDeps {
  return {
    recorder: createConsentRecorder({ ledger: store.ledger, events: extra.events }),
    vibes,
    listPurposes: parseListPurposes(extra.listPurposes),
    defaultRegion: 'US',
    maxConfirmAttempts: extra.maxConfirmAttempts,
  };
}

/** What the webhook route does with a callback body: parse for the dedupe key, then store. */
export function receiveCallback(store: Store, spec: CallbackSpec): Promise<InboxReceipt> {
  const body = vibesCallback(spec);
  return store.inbox.receive({
    source: 'vibes',
    eventId: spec.eventId,
    callbackType: spec.type,
    payload: JSON.stringify(body),
  });
}
