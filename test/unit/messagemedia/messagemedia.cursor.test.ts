import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, filterKey, pageAfter } from '../../../src/datasources/messagemedia/messagemedia.cursor.js';
import { readConnection } from '../../../src/datasources/messagemedia/messagemedia.connection.js';
import type { WirePage } from '../../../src/datasources/messagemedia/messagemedia.client.js';
import type { DedicatedNumber } from '../../../src/schema/number/number.type.js';
import { NumberType } from '../../../src/schema/number/number.enums.js';
import { GatewayError } from '../../../src/errors/errors.js';

const TOKEN = '074b8bfd-f420-4168-a9f0-530cf1ba2523';
const KEY = filterKey({ country: 'AU' });

function refused(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(GatewayError);
  expect((caught as GatewayError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
}

describe('cursors', () => {
  it('round-trip, opaque (base64url) and bound to their connection and filter', () => {
    for (const cursor of [
      { pageToken: undefined, index: 0, nextToken: undefined },
      { pageToken: TOKEN, index: 99, nextToken: undefined },
      { pageToken: TOKEN, index: 2, nextToken: '0c000000-0000-4000-8000-000000000000' },
    ]) {
      const encoded = encodeCursor('a', KEY, cursor);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor('a', KEY, encoded)).toEqual(cursor);
      refused(() => decodeCursor('d', KEY, encoded));
      refused(() => decodeCursor('a', filterKey({ country: 'GB' }), encoded));
    }
  });

  it('the filter key ignores key order and tells filters apart', () => {
    expect(filterKey({ a: 1, b: [1, 2] })).toBe(filterKey({ b: [1, 2], a: 1 }));
    expect(filterKey({ label: 'x' })).not.toBe(filterKey({ label: 'y' }));
    expect(filterKey({ label: undefined })).toBe(filterKey({}));
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['an object', Buffer.from('{"v":1}').toString('base64url')],
    ['another version', Buffer.from(`[2,"a","${KEY}",null,0]`).toString('base64url')],
    ['an index past a page', Buffer.from(`[1,"a","${KEY}",null,100]`).toString('base64url')],
    ['a fractional index', Buffer.from(`[1,"a","${KEY}",null,1.5]`).toString('base64url')],
    ['a token with spaces', Buffer.from(`[1,"a","${KEY}","a b",0]`).toString('base64url')],
    ['a next token that is no string', Buffer.from(`[1,"a","${KEY}",null,0,7]`).toString('base64url')],
    ['too long', 'A'.repeat(2000)],
  ])('refuses a cursor that is %s', (_name, value) => {
    refused(() => decodeCursor('a', KEY, value));
  });

  it('plans the page after a cursor: first page, the next token, or the same page re-read and skipped', () => {
    expect(pageAfter(undefined, 3)).toEqual({ token: undefined, pageSize: 3, skip: 0 });
    expect(pageAfter({ pageToken: undefined, index: 2, nextToken: TOKEN }, 3)).toEqual({ token: TOKEN, pageSize: 3, skip: 0 });
    expect(pageAfter({ pageToken: TOKEN, index: 0, nextToken: undefined }, 3)).toEqual({ token: TOKEN, pageSize: 4, skip: 1 });
    // Near the vendor's largest page the read is capped; the answer is then shorter than `first`.
    expect(pageAfter({ pageToken: TOKEN, index: 60, nextToken: undefined }, 50)).toEqual({ token: TOKEN, pageSize: 100, skip: 61 });
  });
});

describe('readConnection', () => {
  const ids = Array.from({ length: 10 }, (_, i) => `0000000${i}-0000-4000-8000-000000000000`);
  const node = (id: string): DedicatedNumber => ({
    id,
    phoneNumber: null,
    raw: id,
    country: 'AU',
    type: NumberType.MOBILE,
    classification: null,
    availableAfter: null,
    capabilities: [],
  });
  /** A vendor over `ids` with keyset pages: a token is the id of a page's first row. */
  function vendor(reads: Array<{ token: string | undefined; pageSize: number }>) {
    return async ({ token, pageSize }: { token: string | undefined; pageSize: number }): Promise<WirePage<string>> => {
      reads.push({ token, pageSize });
      const start = token === undefined ? 0 : ids.indexOf(token);
      const data = ids.slice(start, start + pageSize);
      return { data, nextToken: ids[start + pageSize] };
    };
  }
  const read = (reads: Array<{ token: string | undefined; pageSize: number }>, first: number, after?: string | null) =>
    readConnection<string>({ kind: 'a', key: KEY, first, after, read: vendor(reads), node });

  it('walks the pages with one read each and ends when the vendor has no next token', async () => {
    const reads: Array<{ token: string | undefined; pageSize: number }> = [];
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await read(reads, 4, after);
      seen.push(...page.edges.map((e) => (e.node as DedicatedNumber).id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);
    expect(reads).toEqual([
      { token: undefined, pageSize: 4 },
      { token: ids[4], pageSize: 4 },
      { token: ids[8], pageSize: 4 },
    ]);
  });

  it('after a mid-page edge: one read of that page, skipping to the row after the edge', async () => {
    const reads: Array<{ token: string | undefined; pageSize: number }> = [];
    const page = await read(reads, 4);
    const next = await read(reads, 3, page.edges[1]!.cursor);
    expect(next.edges.map((e) => (e.node as DedicatedNumber).id)).toEqual(ids.slice(2, 5));
    expect(reads[1]).toEqual({ token: undefined, pageSize: 5 });
    expect(next.pageInfo.hasNextPage).toBe(true);
  });

  it('lets an unreadable row fail only its own edge', async () => {
    const conn = await readConnection<string>({
      kind: 'a',
      key: KEY,
      first: 3,
      after: undefined,
      read: vendor([]),
      node: (id) => (id === ids[1] ? new Error('unreadable') : node(id)),
    });
    expect(conn.edges.map((e) => e.node instanceof Error)).toEqual([false, true, false]);
    expect(conn.edges[1]!.cursor).toBeTypeOf('string');
  });

  it('an empty page after a mid-page cursor whose rows are gone goes on with the vendor token', async () => {
    const reads: Array<{ token: string | undefined; pageSize: number }> = [];
    const shrinking = async ({ token, pageSize }: { token: string | undefined; pageSize: number }): Promise<WirePage<string>> => {
      reads.push({ token, pageSize });
      // The first page lost its rows (numbers were bought) but the vendor has more after it.
      if (token === undefined) return { data: [ids[0]!], nextToken: ids[5] };
      return { data: ids.slice(5, 5 + pageSize), nextToken: undefined };
    };
    const after = encodeCursor('a', KEY, { pageToken: undefined, index: 2, nextToken: undefined });
    const conn = await readConnection<string>({ kind: 'a', key: KEY, first: 2, after, read: shrinking, node });
    expect(conn.edges.map((e) => (e.node as DedicatedNumber).id)).toEqual(ids.slice(5, 7));
    expect(reads).toEqual([
      { token: undefined, pageSize: 5 },
      { token: ids[5], pageSize: 2 },
    ]);
  });
});
