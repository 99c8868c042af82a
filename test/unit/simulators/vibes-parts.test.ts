/**
 * Vibes simulator parts without a server: MDN spelling per API version, the person body, registrations and their
 * date bounds, the callback payload, backoff, behaviour patches, and the delivery engine on a scripted transport
 * (order, retries, reset while a delivery is in flight, hold and duplicate).
 */
import { describe, expect, it } from 'vitest';

import { mergeBehaviour } from '../../../src/simulators/vibes/vibes.behaviour.js';
import { callbackPayload, subscriptionEvent } from '../../../src/simulators/vibes/vibes.callback-payload.js';
import { CallbackRegistry, parseRegistration, RegistrationError } from '../../../src/simulators/vibes/vibes.callback-registry.js';
import type { CallbackRegistration } from '../../../src/simulators/vibes/vibes.callback-registry.js';
import { backoffDelay, CallbackDispatcher, validateRetryPolicy } from '../../../src/simulators/vibes/vibes.delivery.js';
import type { CallbackRequest } from '../../../src/simulators/vibes/vibes.delivery.js';
import { VibesIds } from '../../../src/simulators/vibes/vibes.ids.js';
import { anyMdn, parseApiVersion, parseMdn, renderMdn, V1_E164_REFUSED, V2_BAD_FORMAT } from '../../../src/simulators/vibes/vibes.mdn.js';
import { DEFAULT_BEHAVIOUR, isoSeconds, isoSecondsOffset } from '../../../src/simulators/vibes/vibes.model.js';
import type { StoredPerson, StoredSubscription } from '../../../src/simulators/vibes/vibes.model.js';
import { parsePersonBody, PersonBodyError } from '../../../src/simulators/vibes/vibes.person-body.js';

const FIELDS = new Set(['first_name', 'favorite_stores']);

describe('MDN spelling', () => {
  it('version 2 needs E.164; version 1 refuses it and takes 10 digits', () => {
    expect(parseMdn('+12135551234', 2)).toEqual({ ok: true, e164: '+12135551234' });
    expect(parseMdn('+447700900123', 2)).toEqual({ ok: true, e164: '+447700900123' });
    for (const bad of ['2135551234', '+1213555123', '+1113555123', '+0123456789', ' +12135551234', '+1 213 555 1234']) {
      expect(parseMdn(bad, 2)).toEqual({ ok: false, message: V2_BAD_FORMAT });
    }
    expect(parseMdn('2135551234', 1)).toEqual({ ok: true, e164: '+12135551234' });
    expect(parseMdn('+12135551234', 1)).toEqual({ ok: false, message: V1_E164_REFUSED });
    for (const bad of ['12135551234', '1135551234', '213-555-1234', '213555123']) expect(parseMdn(bad, 1).ok).toBe(false);
  });

  it('renders per version; control input takes either spelling', () => {
    expect(renderMdn('+12135551234', 1)).toBe('2135551234');
    expect(renderMdn('+12135551234', 2)).toBe('+12135551234');
    expect(renderMdn('+447700900123', 1)).toBe('447700900123');
    expect(anyMdn(' 2135551234 ')).toBe('+12135551234');
    expect(anyMdn('+12135551234')).toBe('+12135551234');
    expect(anyMdn('call me')).toBeUndefined();
  });

  it('X-API-Version: absent or empty is 1', () => {
    expect(parseApiVersion(undefined)).toEqual({ ok: true, version: 1 });
    expect(parseApiVersion(' ')).toEqual({ ok: true, version: 1 });
    expect(parseApiVersion('2')).toEqual({ ok: true, version: 2 });
    expect(parseApiVersion('02')).toEqual({ ok: true, version: 2 });
    expect(parseApiVersion('3')).toEqual({ ok: false });
  });
});

describe('parsePersonBody', () => {
  it('reads the tri-state fields and ignores the fields Vibes ignores', () => {
    expect(
      parsePersonBody(
        {
          external_person_id: 'x1',
          mobile_phone: { mdn: '2135551234', carrier_code: null },
          custom_fields: { first_name: null, favorite_stores: [{ id: '4', name: 'Store', option_key: 'k' }] },
          person_id: 'ignored',
          updated_at: 'ignored',
        },
        1,
        FIELDS,
      ),
    ).toEqual({
      externalPersonId: 'x1',
      mdn: '+12135551234',
      carrierCode: null,
      customFields: { first_name: null, favorite_stores: [{ id: '4', name: 'Store', option_key: 'k' }] },
    });
    expect(parsePersonBody({ mobile_phone: null }, 2, FIELDS)).toEqual({ mdn: null });
    expect(parsePersonBody({ mobile_phone: { mdn: null } }, 2, FIELDS)).toEqual({ mdn: null });
    expect(parsePersonBody({ mobile_phone: {} }, 2, FIELDS)).toEqual({});
    expect(parsePersonBody({}, 2, FIELDS)).toEqual({});
  });

  it('a bad MDN is a 400 on its own; everything else is one 422 with every problem', () => {
    const thrown = (body: unknown): PersonBodyError => {
      try {
        parsePersonBody(body, 2, FIELDS);
      } catch (err) {
        if (err instanceof PersonBodyError) return err;
        throw err;
      }
      throw new Error('accepted');
    };
    expect(thrown({ external_person_id: 3, mobile_phone: { mdn: '2135551234' } })).toMatchObject({ status: 400, messages: [V2_BAD_FORMAT] });
    const many = thrown({ external_person_id: null, custom_fields: { first_name: { id: 1 }, __proto__: 'x' } });
    expect(many.status).toBe(422);
    expect(many.messages).toEqual([
      'external_person_id must be a non-empty string.',
      'custom_fields.first_name must be a string, an {id, name} option, a list of options, or null.',
    ]);
    expect(thrown(JSON.parse('{"custom_fields": {"__proto__": "x"}}'))).toMatchObject({ status: 422, messages: ['Unknown custom field: __proto__.'] });
    expect(thrown(null).status).toBe(422);
  });
});

describe('registrations', () => {
  const listExists = (id: string): boolean => id === '7001';

  it('fills the documented defaults and accepts event_type', () => {
    expect(parseRegistration({ event_type: 'subscription_added', subscription_added: { list_id: '7001' }, destination: { url: 'https://x.example/cb' } }, listExists)).toEqual({
      callbackType: 'subscription_added',
      listId: '7001',
      destination: { url: 'https://x.example/cb', method: 'POST', contentType: 'application/json' },
      startDate: null,
      endDate: null,
    });
    expect(() => parseRegistration({ callback_type: 'subscription_added', subscription_added: { list_id: '7001' }, destination: { url: `https://x.example/${'a'.repeat(1024)}` } }, listExists)).toThrow(RegistrationError);
  });

  it('matching() applies the type, the list and the dates (a date-only end date covers its whole day)', () => {
    const registry = new CallbackRegistry(new VibesIds());
    const input = parseRegistration(
      { callback_type: 'subscription_removed', subscription_removed: { list_id: '7001' }, destination: { url: 'http://h/cb' }, start_date: '2026-01-10', end_date: '2026-01-15' },
      listExists,
    );
    const outcome = registry.register(input, 2, 0);
    expect(outcome.kind).toBe('ok');
    expect(registry.register(input, 2, 0)).toEqual({ kind: 'duplicate' });
    const at = (iso: string): number => Date.parse(iso);
    expect(registry.matching('subscription_removed', '7001', at('2026-01-09T23:59:59Z'))).toHaveLength(0);
    expect(registry.matching('subscription_removed', '7001', at('2026-01-10T00:00:00Z'))).toHaveLength(1);
    expect(registry.matching('subscription_removed', '7001', at('2026-01-15T23:59:59Z'))).toHaveLength(1);
    expect(registry.matching('subscription_removed', '7001', at('2026-01-16T00:00:00Z'))).toHaveLength(0);
    expect(registry.matching('subscription_added', '7001', at('2026-01-12T00:00:00Z'))).toHaveLength(0);
    expect(registry.matching('subscription_removed', '7002', at('2026-01-12T00:00:00Z'))).toHaveLength(0);
  });
});

const PERSON: StoredPerson = {
  personId: 'P1',
  personKey: 'k-1',
  externalPersonId: null,
  mdn: '+12135551234',
  carrierCode: '104',
  customFields: { first_name: 'Jo' },
  createdAt: 0,
  updatedAt: 0,
};
const RECORD: StoredSubscription = {
  seq: 1,
  eventId: 'EVT000000001',
  personId: 'P1',
  listId: '7001',
  campaignId: null,
  optInDate: Date.UTC(2026, 0, 1),
  optOutDate: Date.UTC(2026, 0, 2),
  optOutReason: 'user_opt_out',
};

describe('callbackPayload', () => {
  it('omits absent ids and the campaign; only a removal carries the opt-out fields, in the seed\'s +0000 spelling', () => {
    const added = callbackPayload(subscriptionEvent('subscription_added', RECORD, PERSON, 'co'), 'CB1', 1, 2);
    expect(added).toEqual({
      callback_id: 'CB1',
      event_id: 'EVT000000001',
      callback_type: 'subscription_added',
      event_type: 'subscription_added',
      event_date: '2026-01-01T00:00:00Z',
      delivery_attempt: '2',
      subscription: {
        person: { id: 'P1', person_key: 'k-1', url: '/companies/co/mobiledb/persons/P1', mobile_phone: { mdn: '2135551234' } },
        subscription_list: { id: '7001', url: '/companies/co/mobiledb/subscription_lists/7001' },
        opt_in_date: '2026-01-01T00:00:00Z',
        url: '/companies/co/mobiledb/persons/P1/subscriptions/7001',
      },
    });
    const removed = callbackPayload(subscriptionEvent('subscription_removed', RECORD, PERSON, 'co'), 'CB2', 2, 1);
    expect(removed.event_date).toBe('2026-01-02T00:00:00Z');
    expect(removed.subscription).toMatchObject({ opt_out_date: '2026-01-02T00:00:00+0000', opt_out_reason: 'user_opt_out' });
    expect(removed.subscription.person.mobile_phone).toEqual({ mdn: '+12135551234' });
  });

  it('the date spellings parse back to the same instant', () => {
    const ms = Date.UTC(2017, 1, 18, 15, 34, 52);
    expect(isoSeconds(ms)).toBe('2017-02-18T15:34:52Z');
    expect(isoSecondsOffset(ms)).toBe('2017-02-18T15:34:52+0000');
    expect(Date.parse(isoSecondsOffset(ms))).toBe(ms);
  });
});

describe('backoff and behaviour', () => {
  it('doubles from the base up to the cap', () => {
    const policy = validateRetryPolicy({ baseDelayMs: 500, maxDelayMs: 3000, maxAttempts: 6 });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(() => validateRetryPolicy({ baseDelayMs: 10, maxDelayMs: 5, maxAttempts: 2 })).toThrow(RangeError);
    expect(() => validateRetryPolicy({ baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 0 })).toThrow(RangeError);
  });

  it('behaviour patches are validated', () => {
    expect(mergeBehaviour(DEFAULT_BEHAVIOUR, { putResponse: 'person' })).toEqual({ ...DEFAULT_BEHAVIOUR, putResponse: 'person' });
    expect(() => mergeBehaviour(DEFAULT_BEHAVIOUR, { optOutStatus: '204' })).toThrow(/optOutStatus/);
    expect(() => mergeBehaviour(DEFAULT_BEHAVIOUR, { retries: 3 })).toThrow(/unknown behaviour setting/);
  });
});

/** A transport whose answers the test hands out one by one; nextRequest() resolves when an attempt arrives. */
function scriptedTransport(): {
  send: (req: CallbackRequest) => Promise<{ status: number }>;
  requests: CallbackRequest[];
  nextRequest(): Promise<CallbackRequest>;
  answer(status: number): void;
} {
  const requests: CallbackRequest[] = [];
  const unclaimed: CallbackRequest[] = [];
  const claimers: ((req: CallbackRequest) => void)[] = [];
  const pending: ((status: number) => void)[] = [];
  return {
    requests,
    send(req) {
      requests.push(req);
      const claim = claimers.shift();
      if (claim === undefined) unclaimed.push(req);
      else claim(req);
      return new Promise<{ status: number }>((resolve, reject) => {
        const settle = (status: number): void => resolve({ status });
        pending.push(settle);
        // An aborted attempt leaves the queue, so the next answer goes to a live one.
        req.signal.addEventListener(
          'abort',
          () => {
            pending.splice(pending.indexOf(settle), 1);
            reject(new Error('aborted'));
          },
          { once: true },
        );
      });
    },
    nextRequest() {
      const req = unclaimed.shift();
      return req === undefined ? new Promise<CallbackRequest>((resolve) => claimers.push(resolve)) : Promise.resolve(req);
    },
    answer(status) {
      const next = pending.shift();
      if (next === undefined) throw new Error('no request is waiting');
      next(status);
    },
  };
}

function registrationFor(callbackId: string): CallbackRegistration {
  return {
    callbackId,
    callbackType: 'subscription_added',
    listId: '7001',
    destination: { url: 'http://receiver.invalid/cb', method: 'POST', contentType: 'application/json' },
    startDate: null,
    endDate: null,
    apiVersion: 2,
    createdAt: 0,
    updatedAt: 0,
  };
}

const event = (eventId: string) => subscriptionEvent('subscription_added', { ...RECORD, eventId, optOutDate: null, optOutReason: null }, PERSON, 'co');

describe('CallbackDispatcher', () => {
  it('sends one delivery at a time, in order, the next only after the previous finished', async () => {
    const t = scriptedTransport();
    const d = new CallbackDispatcher({ transport: t.send, retry: validateRetryPolicy({ baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 3 }), timeoutMs: 100, now: () => 0, sleep: () => Promise.resolve() });
    d.enqueue(registrationFor('A'), event('E1'));
    d.enqueue(registrationFor('B'), event('E2'));
    await t.nextRequest();
    expect(t.requests.map((r) => JSON.parse(r.body).event_id)).toEqual(['E1']);
    t.answer(503);
    await t.nextRequest();
    expect(t.requests.map((r) => JSON.parse(r.body).delivery_attempt)).toEqual(['1', '2']);
    // E2 waits for E1 to finish.
    expect(t.requests).toHaveLength(2);
    t.answer(204);
    expect(JSON.parse((await t.nextRequest()).body).event_id).toBe('E2');
    t.answer(200);
    await d.idle();
    expect(d.deliveries().map((e) => [e.eventId, e.attempt, e.outcome])).toEqual([
      ['E1', 1, 'retry'],
      ['E1', 2, 'delivered'],
      ['E2', 1, 'delivered'],
    ]);
    expect(t.requests[0]).toMatchObject({ method: 'POST', contentType: 'application/json', timeoutMs: 100 });
  });

  it('reset() stops the delivery in flight (nothing logged, no retry) and drops the queue', async () => {
    const t = scriptedTransport();
    const d = new CallbackDispatcher({ transport: t.send, retry: validateRetryPolicy({ baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 3 }), timeoutMs: 100, now: () => 0, sleep: () => Promise.resolve() });
    d.enqueue(registrationFor('A'), event('E1'));
    d.enqueue(registrationFor('A'), event('E2'));
    await t.nextRequest();
    d.reset();
    await d.idle();
    expect(t.requests).toHaveLength(1);
    expect(d.deliveries()).toEqual([]);
    d.enqueue(registrationFor('A'), event('E3'));
    await t.nextRequest();
    t.answer(200);
    expect((await d.waitForDeliveries(1)).map((e) => e.eventId)).toEqual(['E3']);
  });

  it('hold + release fifo keeps the order; duplicate copies count down', async () => {
    const t = scriptedTransport();
    const d = new CallbackDispatcher({ transport: t.send, retry: validateRetryPolicy({ baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 1 }), timeoutMs: 100, now: () => 0 });
    d.hold();
    d.duplicateNext(1, 2);
    d.enqueue(registrationFor('A'), event('E1'));
    d.enqueue(registrationFor('A'), event('E2'));
    expect(d.heldCount()).toBe(3);
    expect(d.duplicateSetting()).toEqual({ remaining: 0, copies: 2 });
    expect(d.release('fifo')).toBe(3);
    for (let i = 0; i < 3; i++) {
      await t.nextRequest();
      t.answer(200);
    }
    const log = await d.waitForDeliveries(3);
    expect(log.map((e) => [e.eventId, e.copy])).toEqual([
      ['E1', 1],
      ['E1', 2],
      ['E2', 1],
    ]);
    expect(() => d.duplicateNext(1, 4)).toThrow(RangeError);
  });

  it('waitForDeliveries ends with the signal', async () => {
    const d = new CallbackDispatcher({ transport: () => Promise.resolve({ status: 200 }), retry: validateRetryPolicy({ baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 1 }), timeoutMs: 100, now: () => 0 });
    const ctl = new AbortController();
    const waiting = d.waitForDeliveries(1, {}, ctl.signal);
    ctl.abort(new Error('gave up waiting'));
    await expect(waiting).rejects.toThrow('gave up waiting');
  });
});
