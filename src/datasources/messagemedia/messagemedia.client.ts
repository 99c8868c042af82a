import type { Upstream } from '../http/upstream.js';
import { UpstreamError } from '../http/upstream.errors.js';
import {
  DEDICATED_PATH,
  type WireAssignedNumber,
  type WireAssignment,
  type WireAssignmentsQuery,
  type WireAssignmentWrite,
  type WireDedicatedNumber,
  type WireList,
  type WireSearchQuery,
} from './messagemedia.wire.js';

/** One page of a list endpoint: its rows as sent, and the vendor's token for the next page (absent on the last). */
export interface WirePage<T> {
  readonly data: readonly T[];
  readonly nextToken: string | undefined;
}

/** Longest pagination token the gateway carries in a cursor (the vendor's are UUIDs). */
export const MAX_TOKEN_LENGTH = 256;
const TOKEN = /^[\x21-\x7e]+$/;

/**
 * MessageMedia's Dedicated Numbers endpoints, one typed method each (vendor-apis.md 2.3). Speaks wire types only;
 * mapping happens in messagemedia.mapper.ts, error mapping in messagemedia.errors.ts. Ids are validated UUIDs
 * before they get here. A 404 on a read answers null; writes throw every failure as the UpstreamError it is, so
 * the idempotency layer can tell from `delivery` whether the write may have applied.
 */
export class MessageMediaClient {
  readonly #upstream: Upstream;

  constructor(upstream: Upstream) {
    this.#upstream = upstream;
  }

  /** `GET /dedicated`: available (unassigned, assignable now) numbers. */
  async searchNumbers(query: WireSearchQuery, signal?: AbortSignal): Promise<WirePage<WireDedicatedNumber>> {
    const res = await this.#upstream.requestJson<WireList<WireDedicatedNumber>>({
      method: 'GET',
      path: DEDICATED_PATH,
      query,
      signal,
      operation: 'numbers.search',
    });
    return page(res.data, 'numbers.search');
  }

  /** `GET /dedicated/assignments`: the account's numbers, each with its assignment. */
  async listAssignments(query: WireAssignmentsQuery, signal?: AbortSignal): Promise<WirePage<WireAssignedNumber>> {
    const res = await this.#upstream.requestJson<WireList<WireAssignedNumber>>({
      method: 'GET',
      path: `${DEDICATED_PATH}/assignments`,
      query,
      signal,
      operation: 'numbers.assigned',
    });
    return page(res.data, 'numbers.assigned');
  }

  /** `GET /dedicated/{id}`: any number, whoever holds it; null when MessageMedia does not know the id. */
  async getNumber(id: string, signal?: AbortSignal): Promise<WireDedicatedNumber | null> {
    return this.#readOrNull<WireDedicatedNumber>(`${DEDICATED_PATH}/${encodeURIComponent(id)}`, 'numbers.get', signal);
  }

  /** `GET /dedicated/{id}/assignment`: null when the account does not hold the number. */
  async getAssignment(numberId: string, signal?: AbortSignal): Promise<WireAssignment | null> {
    return this.#readOrNull<WireAssignment>(assignmentPath(numberId), 'assignment.get', signal);
  }

  /** `POST /dedicated/{id}/assignment` (201): assigns ("purchases") the number. `{}` assigns without label or metadata. */
  async createAssignment(numberId: string, body: WireAssignmentWrite, signal?: AbortSignal): Promise<WireAssignment> {
    const res = await this.#upstream.requestJson<WireAssignment>({
      method: 'POST',
      path: assignmentPath(numberId),
      body,
      signal,
      operation: 'assignment.create',
    });
    return object(res.data, res.status, 'assignment.create');
  }

  /**
   * `PATCH /dedicated/{id}/assignment`: the docs say 204, the vendor's code answers 200 with the assignment; null
   * for a 204. The body names absolute values (metadata is replaced whole), so a repeat sets the same state: the
   * upstream may retry it.
   */
  async updateAssignment(numberId: string, body: WireAssignmentWrite, signal?: AbortSignal): Promise<WireAssignment | null> {
    const res = await this.#upstream.requestJson<WireAssignment | undefined>({
      method: 'PATCH',
      path: assignmentPath(numberId),
      body,
      signal,
      idempotent: true,
      operation: 'assignment.update',
    });
    if (res.status === 204 || res.data === undefined) return null;
    return object(res.data, res.status, 'assignment.update');
  }

  /**
   * `DELETE /dedicated/{id}/assignment` (204): releases the number. Not retried by the upstream: a repeat after
   * a lost answer reads 404, which would look like "not held" although the release happened.
   */
  async deleteAssignment(numberId: string, signal?: AbortSignal): Promise<void> {
    await this.#upstream.requestJson({ method: 'DELETE', path: assignmentPath(numberId), signal, operation: 'assignment.delete' });
  }

  async #readOrNull<T extends object>(path: string, operation: string, signal: AbortSignal | undefined): Promise<T | null> {
    try {
      const res = await this.#upstream.requestJson<T>({ method: 'GET', path, signal, operation });
      return object(res.data, res.status, operation);
    } catch (err) {
      if (err instanceof UpstreamError && err.kind === 'http' && err.status === 404) return null;
      throw err;
    }
  }
}

function assignmentPath(numberId: string): string {
  return `${DEDICATED_PATH}/${encodeURIComponent(numberId)}/assignment`;
}

function badResponse(operation: string, status: number | undefined): UpstreamError {
  return UpstreamError.unreadable('MESSAGEMEDIA', operation, status);
}

function object<T>(data: T | undefined, status: number, operation: string): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw badResponse(operation, status);
  return data;
}

function page<T>(data: WireList<T> | undefined, operation: string): WirePage<T> {
  const rows = data?.data;
  if (!Array.isArray(rows)) throw badResponse(operation, undefined);
  const next = data?.pagination?.next_token;
  if (next === undefined || next === null || next === '') return { data: rows, nextToken: undefined };
  if (typeof next !== 'string' || next.length > MAX_TOKEN_LENGTH || !TOKEN.test(next)) throw badResponse(operation, undefined);
  return { data: rows, nextToken: next };
}
