/**
 * Shared by the gateway-level consent tests (test/integration/gateway/consent-*.test.ts, webhook-*.test.ts,
 * phone-lookup*.test.ts): real HTTP to a listening gateway, its log lines, and bounded waits for state. A wait's
 * bound only limits how long a broken test takes; no verdict depends on it.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { request } from 'undici';
import type { IsolatedDatabase } from '../../helpers/databases.js';
import { vibesCallback, type CallbackSpec } from '../../unit/consent/vibes-callbacks.fixtures.js';

export { vibesCallback, type CallbackSpec };

/** expect.poll's bound for state another process or the inbox worker reaches. */
export const SETTLE = { timeout: 15_000, interval: 20 } as const;

export type JsonLine = Record<string, unknown> & { msg?: string };

/** The gateway's log lines, parsed (pino writes one JSON object per line). */
export function parsedLogs(logs: readonly string[]): JsonLine[] {
  return logs.flatMap((chunk) =>
    chunk
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as JsonLine;
        } catch {
          return { msg: line, unparsed: true } as JsonLine;
        }
      }),
  );
}

/** Resolves once a line matching `match` has been logged (by an in-process gateway); returns how many match. */
export async function waitForLog(logs: readonly string[], match: (line: JsonLine) => boolean, count = 1): Promise<JsonLine[]> {
  await expect.poll(() => parsedLogs(logs).filter(match).length, SETTLE).toBeGreaterThanOrEqual(count);
  return parsedLogs(logs).filter(match);
}

export const subscriptionStarted = (line: JsonLine): boolean => line.msg === 'subscription started' && line.live === true;

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

export async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<HttpAnswer> {
  const res = await request(url, { method: 'POST', headers, body });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

export async function send(url: string, method: 'GET' | 'PUT' | 'DELETE' | 'POST', body?: string): Promise<HttpAnswer> {
  const res = await request(url, { method, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

/** A callback body as JSON text. */
export function callbackText(spec: CallbackSpec, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...vibesCallback(spec), ...extra });
}

export interface InboxRowView {
  id: string;
  event_id: string;
  callback_type: string;
  state: string;
  attempts: number | string;
  claimed_by: string | null;
  outcome: string | null;
}

/** The inbox rows of one event id, straight from the database. */
export function inboxRows(db: IsolatedDatabase, eventId: string): Promise<InboxRowView[]> {
  return db.query<InboxRowView>(
    'SELECT id, event_id, callback_type, state, attempts, claimed_by, outcome FROM webhook_inbox WHERE event_id = $1 ORDER BY id',
    [eventId],
  );
}

export interface LedgerRowView {
  id: string;
  number: string;
  status: string;
  list_id: string | null;
  vendor_event_id: string | null;
  corrects_event_id: string | null;
}

/** The ledger events of one number, straight from the database, in id (recording) order. */
export function ledgerRows(db: IsolatedDatabase, number: string): Promise<LedgerRowView[]> {
  return db.query<LedgerRowView>(
    'SELECT id, number, status, list_id, vendor_event_id, corrects_event_id FROM consent_events WHERE number = $1 ORDER BY id',
    [number],
  );
}

/** The typed operations of test/operations/consent.graphql (codegen: test/__generated__/operations.ts). */
export const CONSENT_OPERATIONS = readFileSync(new URL('../../operations/consent.graphql', import.meta.url), 'utf8');

export function consentOperation(name: string): { query: string; operationName: string } {
  return { query: CONSENT_OPERATIONS, operationName: name };
}
