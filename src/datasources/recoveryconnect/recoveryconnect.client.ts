import type { Upstream } from '../http/upstream.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { WireBorrower, WireData, WirePhone, WirePhoneWrite } from './recoveryconnect.wire.js';

/** Every path hangs off this: RECOVERYCONNECT_BASE_URL is the bare origin (configuration.md). */
const API = 'api/v140';

/** Path segments are ids the service already checked (positive whole numbers); encoded anyway, for the habit. */
function seg(id: number): string {
  return encodeURIComponent(String(id));
}

function borrowersPath(orderId: number): string {
  return `${API}/orders/${seg(orderId)}/borrowers`;
}

function phonesPath(orderId: number, borrowerId: number): string {
  return `${borrowersPath(orderId)}/${seg(borrowerId)}/phones`;
}

function phonePath(orderId: number, borrowerId: number, phoneId: number): string {
  return `${phonesPath(orderId, borrowerId)}/${seg(phoneId)}`;
}

/** A 2xx whose body is not the envelope the gateway reads: the vendor answered, the gateway cannot use it. */
function badResponse(operation: string): UpstreamError {
  return UpstreamError.unreadable('RECOVERY_CONNECT', operation);
}

function list<T>(data: WireData<T[]> | undefined, operation: string): T[] {
  const items = data?.data;
  if (!Array.isArray(items)) throw badResponse(operation);
  return items;
}

function record<T>(data: WireData<T> | undefined, operation: string): T {
  const item = data?.data;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw badResponse(operation);
  return item;
}

/**
 * RecoveryConnect's borrower and phone endpoints (seed 003), one typed method each, over an upstream that carries
 * the bearer token (token-auth in connect). Speaks wire types only; mapping happens in recoveryconnect.mapper.ts,
 * error mapping in recoveryconnect.errors.ts. There is no many-borrowers phone endpoint: callers fan out.
 */
export class RecoveryConnectClient {
  readonly #upstream: Upstream;

  constructor(upstream: Upstream) {
    this.#upstream = upstream;
  }

  /** `GET orders/{order_id}/borrowers`; null when RecoveryConnect answers 404 (no such order). */
  async getBorrowers(orderId: number, signal?: AbortSignal): Promise<WireBorrower[] | null> {
    try {
      const res = await this.#upstream.requestJson<WireData<WireBorrower[]>>({
        method: 'GET',
        path: borrowersPath(orderId),
        signal,
        operation: 'borrowers.list',
      });
      return list(res.data, 'borrowers.list');
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** `GET orders/{o}/borrowers/{b}/phones`; a 404 (no such order or borrower) rejects like any failure. */
  async getPhones(orderId: number, borrowerId: number, signal?: AbortSignal): Promise<WirePhone[]> {
    const res = await this.#upstream.requestJson<WireData<WirePhone[]>>({
      method: 'GET',
      path: phonesPath(orderId, borrowerId),
      signal,
      operation: 'phones.list',
    });
    return list(res.data, 'phones.list');
  }

  /** `POST .../phones`: not idempotent, so never retried by the upstream layer (a 401 is replayed by token-auth). */
  async createPhone(orderId: number, borrowerId: number, body: WirePhoneWrite, signal?: AbortSignal): Promise<WirePhone> {
    const res = await this.#upstream.requestJson<WireData<WirePhone>>({
      method: 'POST',
      path: phonesPath(orderId, borrowerId),
      body,
      signal,
      idempotent: false,
      operation: 'phones.create',
    });
    return record(res.data, 'phones.create');
  }

  /**
   * `PUT .../phones/{p}` with only the fields that change. Idempotent (it sets values, it does not add to them),
   * so the upstream layer may repeat it after a lost answer.
   */
  async updatePhone(orderId: number, borrowerId: number, phoneId: number, body: WirePhoneWrite, signal?: AbortSignal): Promise<WirePhone> {
    const res = await this.#upstream.requestJson<WireData<WirePhone>>({
      method: 'PUT',
      path: phonePath(orderId, borrowerId, phoneId),
      body,
      signal,
      idempotent: true,
      operation: 'phones.update',
    });
    return record(res.data, 'phones.update');
  }

  /**
   * `DELETE .../phones/{p}` (a soft delete at the vendor). Not marked idempotent: a repeat after a lost answer
   * would be a 404, and the gateway could not tell "deleted by the first attempt" from "never there".
   */
  async deletePhone(orderId: number, borrowerId: number, phoneId: number, signal?: AbortSignal): Promise<void> {
    await this.#upstream.requestJson<unknown>({
      method: 'DELETE',
      path: phonePath(orderId, borrowerId, phoneId),
      signal,
      idempotent: false,
      operation: 'phones.delete',
    });
  }
}

function isNotFound(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError && err.kind === 'http' && err.status === 404;
}
