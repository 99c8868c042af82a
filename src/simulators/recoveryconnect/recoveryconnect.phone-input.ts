/**
 * Validation of the create / update phone bodies (seed: "Create Borrower Phone", "Update Borrower Phone").
 *
 * The seed gives the fields and which are mandatory on create (`type`, `number`); it gives no rules or error
 * texts. Everything below beyond that is inferred from the vendor's Laravel 8 stack and marked so:
 *  - (inferred) Laravel's global middleware trims strings and turns "" into null before validation, so
 *    `"memo": "  "` clears the memo and `"number": ""` is "required";
 *  - (inferred) rules: type `required|integer|min:1`, mobile_carrier_id `nullable|integer|min:1`,
 *    number `required|string` plus a 10-digit NANP shape, extension `nullable|string|max:10`,
 *    memo `nullable|string|max:255`, valid / no_contact `boolean` (true, false, 0, 1, "0", "1");
 *  - (inferred) integers may arrive as integer strings ("6"), as Laravel's `integer` rule accepts them;
 *  - (inferred) any phone type id is accepted: the Phone Type IDs table is not public (5 and 6 observed);
 *  - (inferred) one message per field (as with `bail`), Laravel 8 wording, attribute names with spaces;
 *  - (inferred) unknown and read-only fields (`id`, `created_at`, ...) are ignored, as `$request->validated()`
 *    drops them;
 *  - (inferred) a body that is JSON but not an object is a 422 on `body` (Laravel would read it as no fields).
 */
import { isPlainObject } from '../framework/http.js';
import type { Bit } from './recoveryconnect.model.js';

export interface PhoneFields {
  type: number;
  mobile_carrier_id: number | null;
  number: string;
  extension: string | null;
  memo: string | null;
  valid: Bit;
  no_contact: Bit;
}

export type PhonePatch = Partial<PhoneFields>;

export type FieldErrors = Record<string, string[]>;

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldErrors };

const FIELD_ORDER = ['type', 'mobile_carrier_id', 'number', 'extension', 'memo', 'valid', 'no_contact'] as const;
type FieldName = (typeof FIELD_ORDER)[number];

const EXTENSION_MAX = 10;
const MEMO_MAX = 255;

/** Characters people type around a phone number; anything else (letters, `#`, `*`) is a format error. */
const NUMBER_SHAPE = /^\+?[\d\s().-]+$/;

/**
 * Any common US spelling -> the vendor's stored `NNN-NNN-NNNN` ("6789321578", "(678) 932-1578",
 * "+1 678.932.1578" -> "678-932-1578"); null when it is not 10 digits (11 with a leading country code 1).
 * (inferred) The vendor stores every sample with dashes; it is a US collections platform, so a number
 * that is not 10 national digits is a validation error rather than stored as typed.
 */
export function normalizeNumber(raw: string): string | null {
  const text = raw.trim();
  if (!NUMBER_SHAPE.test(text)) return null;
  let digits = text.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  else if (text.startsWith('+')) return null; // "+44..." or "+" followed by 10 digits: not a US number
  if (digits.length !== 10) return null;
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
}

function label(field: FieldName): string {
  return field.replace(/_/g, ' ');
}

/** Laravel's TrimStrings + ConvertEmptyStringsToNull middleware (inferred to be on, as by default). */
function preprocess(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

class FieldError extends Error {}

function toInteger(field: FieldName, value: unknown): number {
  let n: number | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) n = value;
  else if (typeof value === 'string' && /^[+-]?\d{1,15}$/.test(value)) n = Number(value);
  if (n === undefined) throw new FieldError(`The ${label(field)} must be an integer.`);
  if (n < 1) throw new FieldError(`The ${label(field)} must be at least 1.`);
  return n;
}

function toBit(field: FieldName, value: unknown): Bit {
  if (value === true || value === 1 || value === '1') return 1;
  if (value === false || value === 0 || value === '0') return 0;
  throw new FieldError(`The ${label(field)} field must be true or false.`);
}

function toText(field: FieldName, value: unknown, max: number): string {
  if (typeof value !== 'string') throw new FieldError(`The ${label(field)} must be a string.`);
  if (value.length > max) throw new FieldError(`The ${label(field)} must not be greater than ${max} characters.`);
  return value;
}

function required(field: FieldName): never {
  throw new FieldError(`The ${label(field)} field is required.`);
}

/** Validate one present field; `value` is already trimmed and empty strings are null. */
function parseField(patch: PhonePatch, field: FieldName, value: unknown): void {
  switch (field) {
    case 'type':
      if (value === null) required(field);
      patch.type = toInteger(field, value);
      return;
    case 'mobile_carrier_id':
      patch.mobile_carrier_id = value === null ? null : toInteger(field, value);
      return;
    case 'number': {
      if (value === null) required(field);
      if (typeof value !== 'string') throw new FieldError(`The ${label(field)} must be a string.`);
      const normalized = normalizeNumber(value);
      if (normalized === null) throw new FieldError(`The ${label(field)} format is invalid.`);
      patch.number = normalized;
      return;
    }
    case 'extension':
      patch.extension = value === null ? null : toText(field, value, EXTENSION_MAX);
      return;
    case 'memo':
      patch.memo = value === null ? null : toText(field, value, MEMO_MAX);
      return;
    case 'valid':
    case 'no_contact':
      patch[field] = toBit(field, value);
      return;
  }
}

function parsePresent(body: Readonly<Record<string, unknown>>, mandatory: readonly FieldName[]): ParseResult<PhonePatch> {
  const patch: PhonePatch = {};
  const errors: FieldErrors = {};
  for (const field of FIELD_ORDER) {
    const present = Object.prototype.hasOwnProperty.call(body, field);
    try {
      if (!present) {
        if (mandatory.includes(field)) required(field);
        continue;
      }
      parseField(patch, field, preprocess(body[field]));
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      errors[field] = [err.message];
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: patch };
}

function notAnObject(): FieldErrors {
  return { body: ['The request body must be a JSON object.'] };
}

/** POST body -> a complete phone. Absent optional fields get the vendor's apparent defaults (inferred). */
export function parsePhoneCreate(body: unknown): ParseResult<PhoneFields> {
  if (!isPlainObject(body)) return { ok: false, errors: notAnObject() };
  const parsed = parsePresent(body, ['type', 'number']);
  if (!parsed.ok) return parsed;
  const p = parsed.value;
  if (p.type === undefined || p.number === undefined) throw new Error('mandatory fields passed validation unset');
  return {
    ok: true,
    value: {
      type: p.type,
      mobile_carrier_id: p.mobile_carrier_id ?? null,
      number: p.number,
      extension: p.extension ?? null,
      memo: p.memo ?? null,
      // (inferred) A new number is valid and contactable unless the caller says otherwise.
      valid: p.valid ?? 1,
      no_contact: p.no_contact ?? 0,
    },
  };
}

/** PUT body -> only the fields present ("Fields not included will remain unchanged", seed). */
export function parsePhoneUpdate(body: unknown): ParseResult<PhonePatch> {
  if (!isPlainObject(body)) return { ok: false, errors: notAnObject() };
  return parsePresent(body, []);
}
