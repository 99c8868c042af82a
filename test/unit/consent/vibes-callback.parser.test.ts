import { describe, expect, it } from 'vitest';
import { parseVendorDate } from '../../../src/consent/vendor-date.js';
import { interpretVibesCallback, parseVibesCallback } from '../../../src/consent/vibes-callback.parser.js';
import { SEED_ADDED, SEED_ADDED_ARTICLE_TEXT, SEED_REMOVED, vibesCallback } from './vibes-callbacks.fixtures.js';

const parse = (value: unknown) => parseVibesCallback(JSON.stringify(value));
const clone = <T>(value: T): Record<string, any> => JSON.parse(JSON.stringify(value)) as Record<string, any>;

describe('parseVibesCallback', () => {
  it('reads the seed’s subscription_added callback', () => {
    expect(parse(SEED_ADDED)).toEqual({
      ok: true,
      callback: {
        eventId: 'AB234SDFD234',
        callbackType: 'subscription_added',
        eventDate: new Date('2017-02-15T15:42:23Z'),
        eventDateField: 'event_date',
        person: { personKey: 'ABC123', externalPersonId: 'ex1234', mdn: null },
        listId: '1234',
        optInDate: new Date('2017-01-15T15:34:52Z'),
        optOutDate: null,
        optOutReason: null,
        acquisitionCampaignId: '2342312',
      },
    });
  });

  it('reads the seed’s subscription_removed callback, `+0000` opt_out_date included', () => {
    const result = parse(SEED_REMOVED);
    expect(result.ok && result.callback).toMatchObject({
      eventId: 'AB234SDFD234',
      callbackType: 'subscription_removed',
      eventDate: new Date('2017-03-15T15:42:23Z'),
      optOutDate: new Date('2017-02-18T15:34:52Z'),
      optOutReason: 'user_opt_out',
      person: { personKey: 'ABC123', externalPersonId: 'ex1234', mdn: null },
    });
  });

  it('reads the documented shape with person_key, external_person_id and mobile_phone.mdn', () => {
    const body = clone(SEED_ADDED);
    body.subscription.person = {
      id: 'ABC123',
      person_key: 'c5235a1-e243',
      external_person_id: 'crm-9',
      external_id: 'ex-old',
      mobile_phone: { mdn: '+16515550123' },
    };
    const result = parse(body);
    expect(result.ok && result.callback.person).toEqual({ personKey: 'c5235a1-e243', externalPersonId: 'crm-9', mdn: '+16515550123' });
  });

  it('takes the deprecated event_type when callback_type is missing, and callback_type when both differ', () => {
    const old = clone(SEED_REMOVED);
    delete old.callback_type;
    const result = parse(old);
    expect(result.ok && result.callback.callbackType).toBe('subscription_removed');

    const both = clone(SEED_REMOVED);
    both.event_type = 'subscription_added';
    const preferred = parse(both);
    expect(preferred.ok && preferred.callback.callbackType).toBe('subscription_removed');
  });

  it('ignores fields it does not use, and numeric ids', () => {
    const body = clone(SEED_ADDED);
    body.brand_new_field = { nested: [1, 2] };
    body.event_id = 981234;
    body.subscription.subscription_list.id = 1234;
    const result = parse(body);
    expect(result.ok && [result.callback.eventId, result.callback.listId]).toEqual(['981234', '1234']);
  });

  it('falls back to the opt-in / opt-out date when event_date is absent, and says so', () => {
    const removed = clone(SEED_REMOVED);
    delete removed.event_date;
    const r = parse(removed);
    expect(r.ok && [r.callback.eventDate, r.callback.eventDateField]).toEqual([new Date('2017-02-18T15:34:52Z'), 'opt_out_date']);
    const added = clone(SEED_ADDED);
    delete added.event_date;
    const a = parse(added);
    expect(a.ok && [a.callback.eventDate, a.callback.eventDateField]).toEqual([new Date('2017-01-15T15:34:52Z'), 'opt_in_date']);
  });

  it('refuses the seed article’s text: its comments and broken pair are not JSON', () => {
    expect(parseVibesCallback(SEED_ADDED_ARTICLE_TEXT)).toEqual({ ok: false, reason: 'malformed_json' });
  });

  it('names why a body can never be processed, with the ids it could read and never the number', () => {
    const withMdn = vibesCallback({ type: 'subscription_added', eventId: 'e1', date: '2017-02-15T15:42:23Z', mdn: '+16515550123' });
    const cases: [unknown, string][] = [
      [[1, 2], 'not_an_object'],
      ['text', 'not_an_object'],
      [{ ...withMdn, event_id: undefined }, 'missing_event_id'],
      [{ ...withMdn, event_id: '  ' }, 'missing_event_id'],
      [{ ...withMdn, callback_type: undefined, event_type: undefined }, 'missing_callback_type'],
      [{ ...withMdn, callback_type: 'person_updated' }, 'unknown_callback_type'],
      [{ ...withMdn, subscription: undefined }, 'missing_subscription'],
      [{ ...withMdn, subscription: { ...(withMdn.subscription as object), subscription_list: {} } }, 'missing_list'],
      [{ ...withMdn, subscription: { ...(withMdn.subscription as object), person: {} } }, 'missing_person'],
      [{ ...withMdn, event_date: '15/02/2017' }, 'invalid_date'],
      [{ ...withMdn, event_date: undefined, subscription: { ...(withMdn.subscription as object), opt_in_date: undefined } }, 'missing_event_date'],
    ];
    for (const [body, reason] of cases) {
      const result = interpretVibesCallback(JSON.parse(JSON.stringify(body ?? null)));
      expect(result, reason).toMatchObject({ ok: false, reason });
      expect(JSON.stringify(result)).not.toContain('6515550123');
    }
    expect(interpretVibesCallback({ ...withMdn, callback_type: 'person_updated' })).toEqual({
      ok: false,
      reason: 'unknown_callback_type',
      eventId: 'e1',
      callbackType: 'person_updated',
    });
    expect(parseVibesCallback('{"event_id": "x", ')).toEqual({ ok: false, reason: 'malformed_json' });
  });
});

describe('parseVendorDate', () => {
  it.each([
    ['2017-02-15T15:42:23Z', '2017-02-15T15:42:23.000Z'],
    ['2017-02-18T15:34:52+0000', '2017-02-18T15:34:52.000Z'],
    ['2017-02-18T15:34:52+00:00', '2017-02-18T15:34:52.000Z'],
    ['2017-02-18T10:34:52-0500', '2017-02-18T15:34:52.000Z'],
    ['2017-02-18T21:04:52+05:30', '2017-02-18T15:34:52.000Z'],
    ['2017-02-18T17:34:52+02', '2017-02-18T15:34:52.000Z'],
    ['2017-01-05T14:30Z', '2017-01-05T14:30:00.000Z'],
    ['2017-01-05T14:30:00.123456Z', '2017-01-05T14:30:00.123Z'],
    ['2017-01-05 14:30:00', '2017-01-05T14:30:00.000Z'],
    ['2016-02-29T00:00:00Z', '2016-02-29T00:00:00.000Z'],
  ])('%s -> %s', (text, iso) => {
    expect(parseVendorDate(text)?.toISOString()).toBe(iso);
  });

  it.each(['2017-02-30T00:00:00Z', '2017-13-01T00:00:00Z', '2017-02-15T24:00:00Z', '2017-02-15', '15/02/2017 10:00', '', 'now', '2017-02-15T15:42:23+25:00'])(
    'refuses %j',
    (text) => {
      expect(parseVendorDate(text)).toBeUndefined();
    },
  );

  it('refuses what is not a string', () => {
    expect(parseVendorDate(1487173343000)).toBeUndefined();
    expect(parseVendorDate(null)).toBeUndefined();
  });
});
