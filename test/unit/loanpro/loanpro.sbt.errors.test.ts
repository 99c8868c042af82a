/** Reading LoanPro's SBT refusals and a phone's SBT flags: pure functions over wire values. */
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { refusalCountsAsPinAttempt, sbtRefusalOf, type SbtRefusal } from '../../../src/datasources/loanpro/loanpro.sbt.errors.js';
import {
  sbtPendingTypes,
  sbtStateOf,
  sbtVerifiedTypes,
  verificationRequestEvidence,
} from '../../../src/datasources/loanpro/loanpro.sbt.state.js';
import type { WirePhone } from '../../../src/datasources/loanpro/loanpro.wire.js';

function refused(status: number, body: unknown): UpstreamError {
  return new UpstreamError({ vendor: 'LOANPRO', kind: status === 429 ? 'rate_limited' : 'http', operation: 'sbt.confirmVerificationPin', attempts: 1, status, body });
}

describe('sbtRefusalOf', () => {
  const cases: [string, unknown, SbtRefusal][] = [
    // The simulator's types (what the gateway meets in demo mode and tests).
    ['simulator wrong PIN', { error: { message: 'The verification PIN is incorrect.', type: 'SbtInvalidPinException', code: 409 } }, 'wrong_pin'],
    ['simulator not pending', { error: { message: 'No account verification is pending for this phone.', type: 'SbtNotPendingException', code: 409 } }, 'not_pending'],
    ['missing phone', { error: { message: 'No Phone entity with id 999 exists.', type: 'ODataException', code: 409 } }, 'unknown_entity'],
    ['missing customer', { error: { message: 'No Customer entity with id 5 exists.', type: 'ODataException', code: 409 } }, 'unknown_entity'],
    ['bad payload', { error: { message: 'customerPhoneId is required and must be a positive integer id.', type: 'ODataException', code: 409 } }, 'invalid_request'],
    // Wording a real vendor might use (inferred), the OData v2 {"value"} message form included.
    ['real: invalid pin', { error: { message: { value: 'Invalid PIN' }, type: 'Exception' } }, 'wrong_pin'],
    ['real: does not match', { error: { message: 'The pin provided does not match.' } }, 'wrong_pin'],
    ['real: not found', { error: { message: 'Phone not found' } }, 'unknown_entity'],
    ['real: nothing pending', { error: { message: 'This number has no pending verification.' } }, 'not_pending'],
    ['pin required is no mismatch', { error: { message: 'pin is required.' } }, 'invalid_request'],
    ['no body at all', undefined, 'invalid_request'],
    ['text body', 'Bad Request', 'invalid_request'],
  ];
  for (const [name, body, expected] of cases) {
    it(`${name} -> ${expected}`, () => {
      expect(sbtRefusalOf(refused(409, body))).toBe(expected);
    });
  }

  it('reads any 4xx but no 429, 5xx, other failure or foreign error', () => {
    const wrongPin = { error: { message: 'x', type: 'SbtInvalidPinException' } };
    expect(sbtRefusalOf(refused(400, wrongPin))).toBe('wrong_pin');
    expect(sbtRefusalOf(refused(429, wrongPin))).toBeUndefined();
    expect(sbtRefusalOf(refused(500, wrongPin))).toBeUndefined();
    expect(sbtRefusalOf(new UpstreamError({ vendor: 'LOANPRO', kind: 'timeout', operation: 'x', attempts: 1 }))).toBeUndefined();
    expect(sbtRefusalOf(new Error('The verification PIN is incorrect.'))).toBeUndefined();
  });

  it('counts every refusal as a PIN attempt except those that prove no PIN was compared', () => {
    expect(refusalCountsAsPinAttempt('wrong_pin')).toBe(true);
    expect(refusalCountsAsPinAttempt('invalid_request')).toBe(true);
    expect(refusalCountsAsPinAttempt('not_pending')).toBe(false);
    expect(refusalCountsAsPinAttempt('unknown_entity')).toBe(false);
  });
});

describe('a phone’s SBT flags', () => {
  const phone = (fields: Partial<WirePhone>): WirePhone => ({ id: 1, phone: '6514737960', ...fields });

  it('reads 0/1, "0"/"1" and booleans; anything else is unknown, not false', () => {
    expect(sbtStateOf(phone({ sbtActVerified: 1, sbtActVerifyPending: '0', sbtMktVerified: false, sbtMktVerifyPending: true }))).toEqual({
      account: { verified: true, pending: false },
      marketing: { verified: false, pending: true },
    });
    expect(sbtStateOf(phone({ sbtActVerified: null }))).toEqual({
      account: { verified: null, pending: null },
      marketing: { verified: null, pending: null },
    });
  });

  it('lists pending and verified types in account, marketing order, never from the PIN fields', () => {
    const p = phone({ sbtActVerifyPending: 1, sbtMktVerifyPending: 1, sbtMktVerified: 0, sbtActVerifyPIN: '12345', sbtMktVerifyPIN: '54321' });
    expect(sbtPendingTypes(p)).toEqual(['account', 'marketing']);
    expect(sbtVerifiedTypes(p)).toEqual([]);
    expect(sbtPendingTypes(phone({ sbtActVerifyPIN: '12345' }))).toEqual([]);
    expect(JSON.stringify(sbtStateOf(p))).not.toContain('12345');
  });

  it('reads a lost requestVerification as gone through when a PIN is pending or nothing was left to text', () => {
    expect(verificationRequestEvidence(phone({ sbtActVerifyPending: 1, sbtMktVerified: 1 }))).toEqual({ wentThrough: true, pending: ['account'] });
    expect(verificationRequestEvidence(phone({ sbtActVerified: 1, sbtMktVerified: 1 }))).toEqual({ wentThrough: true, pending: [] });
    expect(verificationRequestEvidence(phone({ sbtActVerified: 1, sbtMktVerified: 0 }))).toEqual({ wentThrough: false, pending: [] });
    expect(verificationRequestEvidence(phone({}))).toEqual({ wentThrough: false, pending: [] });
  });
});
