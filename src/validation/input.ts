/**
 * Input rules every vendor uses, checked before any vendor call. Each check names the argument's path
 * (`input.phones[1].number`) and what was expected, never the value: inputs carry emails, SSNs and passwords.
 *
 * Bounds are what the vendors accept (vendor-apis.md; where a vendor documents no limit, a bound that keeps
 * abuse out and every real value in, noted in docs/decisions.md).
 */
import { BadUserInputError } from '../errors/errors.js';
import { isValidE164 } from '../phone/e164.js';

function fail(path: string, problem: string): never {
  throw new BadUserInputError(`${path} ${problem}`, { argument: path });
}

/** Length in characters as people count them (code points), so an emoji counts once. */
function length(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export interface TextRule {
  readonly max: number;
  /** Default 0. */
  readonly min?: number;
  /** Refuse control characters (default true): no vendor stores them meaningfully, and they break logs. */
  readonly noControl?: boolean;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function checkText(value: string, path: string, rule: TextRule): string {
  const n = length(value);
  if (n > rule.max) fail(path, `must be at most ${rule.max} characters.`);
  if (n < (rule.min ?? 0)) fail(path, rule.min === 1 ? 'must not be empty.' : `must be at least ${rule.min} characters.`);
  if (rule.noControl !== false && CONTROL.test(value)) fail(path, 'must not contain control characters.');
  return value;
}

/** A practical address check (RFC 5321 lengths, one @, a dot in the domain, no spaces). */
const EMAIL = /^[^\s@]{1,64}@[^\s@.]+(?:\.[^\s@.]+)+$/;

export function checkEmail(value: string, path: string): string {
  if (length(value) > 254 || !EMAIL.test(value)) fail(path, 'must be an email address.');
  return value;
}

/** Nine digits, with or without the dashes of 123-45-6789; answers the digits. */
export function checkSsn(value: string, path: string): string {
  if (!/^\d{3}-?\d{2}-?\d{4}$/.test(value)) fail(path, 'must be nine digits, with or without dashes.');
  return value.replace(/-/g, '');
}

/** A real calendar date written YYYY-MM-DD, optionally bounded. */
export function checkIsoDate(value: string, path: string, bounds: { notAfter?: Date } = {}): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
  // 2023-02-30 parses to an invalid date or rolls over to March: both are refused.
  if (!date || Number.isNaN(date.getTime()) || !date.toISOString().startsWith(value)) {
    fail(path, 'must be a date written YYYY-MM-DD.');
  }
  if (bounds.notAfter && date > bounds.notAfter) fail(path, 'must not be in the future.');
  return value;
}

/** A vendor's numeric id: a positive whole number that fits in a double exactly. */
export function checkPositiveId(value: string | number, path: string): number {
  const text = String(value);
  if (!/^[1-9]\d{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) fail(path, 'must be a positive whole number.');
  return Number(text);
}

/** A phone number in E.164 ("+16514737960"), valid for its country. */
export function checkE164(value: string, path: string): string {
  if (typeof value !== 'string' || !isValidE164(value)) fail(path, 'must be a valid E.164 number such as +16514737960.');
  return value;
}

/** An explicit null where the vendor cannot clear the field (the contract: null clears where it can). */
export function refuseNull(path: string, why: string): never {
  fail(path, `cannot be cleared: ${why}`);
}
