import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors/errors.js';
import { UpstreamError, type UpstreamErrorInit } from '../../../src/datasources/http/upstream.errors.js';
import { optOutError, personWriteError, vibesMessages, vibesReadError } from '../../../src/datasources/vibes/vibes.errors.js';

function upstream(init: Partial<UpstreamErrorInit> & { body?: unknown }): UpstreamError {
  return new UpstreamError({ vendor: 'VIBES', kind: 'http', operation: 'persons.add', attempts: 1, ...init });
}

const errors = (...messages: unknown[]) => ({ errors: messages.map((message, i) => ({ message, code: i + 1 })) });

function asGateway(value: unknown): GatewayError {
  expect(value).toBeInstanceOf(GatewayError);
  return value as GatewayError;
}

describe('vibesMessages', () => {
  it("takes Vibes' messages only: strings, trimmed, control characters out, phone numbers masked", () => {
    const err = upstream({ status: 422, body: { ...errors('  The MDN field is required ', 7, 'MDN +1 (651) 473-7960\nis blocked', ''), trace: 'x' } });
    expect(vibesMessages(err)).toEqual(['The MDN field is required', 'MDN [redacted…7960] is blocked']);
  });

  it('keeps at most five, each cut short', () => {
    const err = upstream({ status: 422, body: errors(...Array.from({ length: 8 }, (_, i) => `${'m'.repeat(400)}${i}`)) });
    const messages = vibesMessages(err);
    expect(messages).toHaveLength(5);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(301);
  });

  it('reads nothing from a body that is not the documented envelope', () => {
    for (const body of [undefined, 'Bad Gateway', { errors: 'x' }, { message: 'flat' }, { errors: [null, { code: 1 }] }]) {
      expect(vibesMessages(upstream({ status: 400, body }))).toEqual([]);
    }
  });
});

describe('personWriteError', () => {
  it("reads the PUT's bodiless 409 as the MDN that cannot be changed, and a POST's 409 by Vibes' message", () => {
    const put = asGateway(personWriteError(upstream({ status: 409 }), 'update'));
    expect(put.extensions).toMatchObject({ code: 'CONFLICT', vendor: 'VIBES' });
    expect(put.message).toMatch(/^Vibes refused the change: MDN cannot be changed/);
    const post = asGateway(personWriteError(upstream({ status: 409, body: errors('The MDN is already associated with another person record.') }), 'add'));
    expect(post.message).toBe('Vibes refused the change: The MDN is already associated with another person record.');
    expect(asGateway(personWriteError(upstream({ status: 409 }), 'add')).message).toBe('Vibes refused the change.');
  });

  it('reads 400 and 422 as BAD_USER_INPUT and 404 as NOT_FOUND, each with Vibes messages', () => {
    expect(asGateway(personWriteError(upstream({ status: 422, body: errors('Unknown custom field: x.') }), 'add'))).toMatchObject({
      message: 'Vibes refused the person: Unknown custom field: x.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(asGateway(personWriteError(upstream({ status: 400 }), 'update')).extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(asGateway(personWriteError(upstream({ status: 404 }), 'update')).extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reads an applied write it could not read as committed, and the rest as the catalogue does', () => {
    const applied = upstream({ kind: 'bad_response', status: 201, delivery: 'applied' });
    expect(asGateway(personWriteError(applied, 'add')).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', committed: true });
    expect(asGateway(personWriteError(upstream({ status: 503 }), 'update'))).toMatchObject({ message: 'Vibes answered with a server error.', extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(asGateway(personWriteError(upstream({ kind: 'rate_limited', status: 429, retryAfterSeconds: 3 }), 'add')).extensions).toMatchObject({
      code: 'UPSTREAM_RATE_LIMITED',
      retryAfterSeconds: 3,
    });
    const other = new Error('not a vendor failure');
    expect(personWriteError(other, 'add')).toBe(other);
  });
});

describe('vibesReadError and optOutError', () => {
  it('read refusals are BAD_USER_INPUT with the messages; 404 that reaches here is NOT_FOUND', () => {
    expect(vibesReadError(upstream({ status: 400, body: errors('Invalid MDN format') }))).toMatchObject({ message: 'Vibes refused the request: Invalid MDN format', extensions: { code: 'BAD_USER_INPUT' } });
    expect(asGateway(vibesReadError(upstream({ status: 404 }))).extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(asGateway(vibesReadError(upstream({ kind: 'timeout' }))).message).toBe('Vibes did not answer in time.');
  });

  it('opt-out refusals carry the messages; the rest reads as the catalogue does', () => {
    expect(asGateway(optOutError(upstream({ status: 422, body: errors('List archived') })))).toMatchObject({ message: 'Vibes refused the opt-out: List archived', extensions: { code: 'BAD_USER_INPUT' } });
    expect(asGateway(optOutError(upstream({ status: 401 }))).message).toBe("Vibes refused the gateway's credentials.");
  });
});
