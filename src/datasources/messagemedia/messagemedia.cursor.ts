/**
 * Connection cursors over MessageMedia's token pages. The vendor pages with a token (`next_token`, sent back as
 * `token`); a client pages with an edge's cursor. A cursor names:
 *   - the page its edge came from (the token that page was read with; none for the first page),
 *   - the edge's place in that page,
 *   - for the last edge of a page, the vendor's `next_token`, so `after` it is one call with that token;
 *   - which connection and filter it belongs to (a short hash), so a cursor of one search is refused by another.
 * `after` a mid-page edge re-reads its page (same token, enough rows) and skips past the edge.
 *
 * The encoding is base64url JSON: opaque to clients (the schema says so), readable when debugging, and never
 * trusted: every field is checked on the way in.
 */
import { createHash } from 'node:crypto';
import { BadUserInputError } from '../../errors/errors.js';
import { canonicalJson } from '../../store/index.js';
import { MAX_NUMBERS_PAGE } from '../../schema/number/number.limits.js';
import { MAX_TOKEN_LENGTH } from './messagemedia.client.js';

/** `a`: availableNumbers; `d`: dedicatedNumbers. */
export type ConnectionKind = 'a' | 'd';

export interface NumberCursor {
  /** The token the edge's page was read with; undefined for the first page. */
  readonly pageToken: string | undefined;
  /** The edge's place in that page, from 0. */
  readonly index: number;
  /** Set on the last edge of a page when the vendor said another page follows. */
  readonly nextToken: string | undefined;
}

const VERSION = 1;
/** Longer input is not one of ours: refused before decoding. */
const MAX_CURSOR_LENGTH = 1024;
const TOKEN = /^[\x21-\x7e]+$/;

/** 12 hex digits of the filter's canonical JSON: enough to tell two searches apart, short enough to carry. */
export function filterKey(filter: unknown): string {
  return createHash('sha256').update(canonicalJson(filter)).digest('hex').slice(0, 12);
}

export function encodeCursor(kind: ConnectionKind, key: string, cursor: NumberCursor): string {
  const parts = [VERSION, kind, key, cursor.pageToken ?? null, cursor.index, ...(cursor.nextToken === undefined ? [] : [cursor.nextToken])];
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

function isToken(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TOKEN_LENGTH && TOKEN.test(value);
}

function refuse(): never {
  throw new BadUserInputError('after must be a cursor this field returned for the same filter arguments.', { argument: 'after' });
}

export function decodeCursor(kind: ConnectionKind, key: string, value: string): NumberCursor {
  if (value.length === 0 || value.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(value)) refuse();
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    refuse();
  }
  if (!Array.isArray(parts) || (parts.length !== 5 && parts.length !== 6)) refuse();
  const [version, k, q, pageToken, index, nextToken] = parts as unknown[];
  if (version !== VERSION || k !== kind || q !== key) refuse();
  if (pageToken !== null && !isToken(pageToken)) refuse();
  // A page holds at most MAX_NUMBERS_PAGE rows, so no edge sits further in.
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= MAX_NUMBERS_PAGE) refuse();
  if (parts.length === 6 && !isToken(nextToken)) refuse();
  return { pageToken: pageToken ?? undefined, index, nextToken: parts.length === 6 ? (nextToken as string) : undefined };
}

/** How to read the page that follows `after`: which token, how many rows, how many of them to skip. */
export interface PageRead {
  readonly token: string | undefined;
  readonly pageSize: number;
  readonly skip: number;
}

export function pageAfter(cursor: NumberCursor | undefined, first: number): PageRead {
  if (cursor === undefined) return { token: undefined, pageSize: first, skip: 0 };
  if (cursor.nextToken !== undefined) return { token: cursor.nextToken, pageSize: first, skip: 0 };
  const skip = cursor.index + 1;
  // One call: the rows up to the edge plus a page's worth, within the vendor's page size. Near the bound the
  // page comes back shorter than `first`, its last edge carrying the vendor's next token.
  return { token: cursor.pageToken, pageSize: Math.min(MAX_NUMBERS_PAGE, skip + first), skip };
}
