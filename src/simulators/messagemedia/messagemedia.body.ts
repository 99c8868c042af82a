/**
 * Bodies of POST and PATCH .../{numberId}/assignment: `{"label": string, "metadata": {string: string}}`.
 *
 * Limits (sourced: gateway MutableAssignment.java / UpdateAssignment.java): metadata at most 5 entries, keys at
 * most 100 characters, values at most 256; label at most 100 (inferred from a fixture; `@ValidLabel` is not
 * visible). Both fields are optional on create (the seed article assigns first and labels later); PATCH is
 * tri-state: an absent field is unchanged, an explicit null clears it, and a body that names neither field is a
 * 400 (sourced: numbers-service AssignmentUpdateRequestEmptyException). Unknown fields are ignored (Jackson's
 * Spring default).
 *
 * (inferred) A body that is not an object, a non-string label, or metadata that is not an object of strings is a
 * parse failure, like any body Jackson cannot bind. The vendor would coerce a number to a string; the simulator
 * is stricter so a client that sends one notices.
 */
import { isPlainObject } from '../framework/http.js';
import {
  LABEL_MAX_LENGTH,
  METADATA_KEY_MAX_LENGTH,
  METADATA_MAX_ENTRIES,
  METADATA_VALUE_MAX_LENGTH,
} from './messagemedia.model.js';
import type { AssignmentChanges } from './messagemedia.store.js';

/** 400 with the vendor's "Failed to parse message body." detail. */
export class BodyParseError extends Error {
  override readonly name = 'BodyParseError';
}

/** 400 with field-level details. */
export class BodyValidationError extends Error {
  override readonly name = 'BodyValidationError';
  constructor(readonly details: readonly string[]) {
    super(details.join('; '));
  }
}

export interface CreateAssignmentBody {
  readonly label: string | null;
  readonly metadata: Readonly<Record<string, string>> | null;
}

function readLabel(body: Record<string, unknown>): string | null | undefined {
  const v = body['label'];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string') throw new BodyParseError('label is not a string');
  return v;
}

function readMetadata(body: Record<string, unknown>): Record<string, string> | null | undefined {
  const v = body['metadata'];
  if (v === undefined || v === null) return v;
  if (!isPlainObject(v)) throw new BodyParseError('metadata is not an object');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw new BodyParseError('metadata values must be strings');
    // defineProperty, not assignment: a "__proto__" key must stay an ordinary entry.
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function validate(label: string | null | undefined, metadata: Record<string, string> | null | undefined): void {
  const details: string[] = [];
  if (metadata !== undefined && metadata !== null) {
    const entries = Object.entries(metadata);
    // Messages in Bean Validation's style: "<field>: <constraint message>" (the annotations' own defaults).
    if (entries.length > METADATA_MAX_ENTRIES) details.push(`metadata: size must be between 0 and ${METADATA_MAX_ENTRIES}`);
    if (entries.some(([k]) => k.length > METADATA_KEY_MAX_LENGTH)) details.push('metadata: Invalid map keys');
    if (entries.some(([, v]) => v.length > METADATA_VALUE_MAX_LENGTH)) details.push('metadata: Invalid map values');
  }
  if (typeof label === 'string' && label.length > LABEL_MAX_LENGTH) {
    details.push(`label: size must be between 0 and ${LABEL_MAX_LENGTH}`);
  }
  if (details.length > 0) throw new BodyValidationError(details);
}

function asObject(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw new BodyParseError('body is not a JSON object');
  return body;
}

export function parseCreateAssignment(body: unknown): CreateAssignmentBody {
  const obj = asObject(body);
  const label = readLabel(obj);
  const metadata = readMetadata(obj);
  validate(label, metadata);
  return { label: label ?? null, metadata: metadata ?? null };
}

export function parseUpdateAssignment(body: unknown): AssignmentChanges {
  const obj = asObject(body);
  const label = readLabel(obj);
  const metadata = readMetadata(obj);
  validate(label, metadata);
  if (label === undefined && metadata === undefined) {
    throw new BodyValidationError(['request body is invalid: neither label nor metadata given']);
  }
  return {
    ...(label === undefined ? {} : { label }),
    ...(metadata === undefined ? {} : { metadata }),
  };
}
