import type { ConsentEvent } from '../../src/consent/consent.types.js';

let sequence = 0;

/**
 * A ledger event as the recorder publishes it: a Vibes opt-out of list 1234. Ids and vendor event ids are unique
 * per process; `idPrefix` keeps ids of different suites apart where they meet (a shared Redis channel).
 */
export function ledgerEvent(number: string, overrides: Partial<ConsentEvent> = {}, idPrefix = '01TEST'): ConsentEvent {
  sequence += 1;
  return {
    id: `${idPrefix}${String(sequence).padStart(26 - idPrefix.length, '0')}`,
    number,
    purpose: 'MARKETING',
    status: 'REVOKED',
    source: 'VIBES',
    evidence: 'SUBSCRIPTION_CALLBACK',
    occurredAt: new Date('2017-03-15T15:42:23Z'),
    recordedAt: new Date('2030-01-01T00:00:00Z'),
    actor: null,
    vendorEventId: `evt-${sequence}`,
    listId: '1234',
    detail: { reason: 'user_opt_out' },
    correctsEventId: null,
    retainUntil: new Date('2034-01-01T00:00:00Z'),
    ...overrides,
  };
}
