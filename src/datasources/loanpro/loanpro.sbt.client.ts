/**
 * LoanPro's SBT opt-in calls and the phone reads that go with them, one typed method each, over the LoanPro
 * upstream (the same one LoanProClient uses). Wire types only; no GraphQL, no idempotency: the caller guards the
 * writes (requestVerification and verifyCustomer text the customer, so they must not be re-run blindly).
 *
 * The three POSTs are never retried by the upstream (POST is not idempotent) and, once dispatched, run to their
 * own deadline even if the caller goes away (`abortAfterDispatch` defaults to false for POST), so a failure's
 * `UpstreamError.delivery` says whether the vendor may have acted: `refused` (4xx) and `not_sent` did nothing.
 */
import type { Upstream } from '../http/upstream.js';
import { UpstreamError, type UpstreamDelivery } from '../http/upstream.errors.js';
import {
  isSbtType,
  type SbtType,
  type WireSbtConfirmPin,
  type WireSbtRequestVerification,
  type WireSbtResult,
} from './loanpro.sbt.wire.js';
import type { Flag, WireCollection, WireEntity, WirePhone } from './loanpro.wire.js';

export class LoanProSbtClient {
  readonly #upstream: Upstream;

  constructor(upstream: Upstream) {
    this.#upstream = upstream;
  }

  /**
   * `POST sbt/requestVerification()` `{"customerPhoneId": N}`: LoanPro texts the phone one PIN per purpose.
   * Not retried; see the class comment for reading a failure.
   */
  async requestVerification(customerPhoneId: number, signal?: AbortSignal): Promise<WireSbtResult> {
    const body: WireSbtRequestVerification = { customerPhoneId: positiveId(customerPhoneId, 'customerPhoneId') };
    return this.#action('sbt/requestVerification()', body, 'sbt.requestVerification', signal);
  }

  /**
   * `POST sbt/confirmVerificationPIN()` `{"customerPhoneId", "type", "pin"}`. A refusal (wrong PIN, nothing
   * pending, unknown phone) is an UpstreamError with a 4xx: read it with `sbtRefusalOf` (loanpro.sbt.errors.ts).
   */
  async confirmVerificationPin(customerPhoneId: number, type: SbtType, pin: string, signal?: AbortSignal): Promise<WireSbtResult> {
    if (!isSbtType(type)) throw new TypeError("confirmVerificationPin: type must be 'account' or 'marketing'");
    if (typeof pin !== 'string' || pin.length === 0) throw new TypeError('confirmVerificationPin: pin must be a non-empty string');
    const body: WireSbtConfirmPin = { customerPhoneId: positiveId(customerPhoneId, 'customerPhoneId'), type, pin };
    return this.#action('sbt/confirmVerificationPIN()', body, 'sbt.confirmVerificationPin', signal);
  }

  /**
   * `POST sbt/verifyCustomer(id)`: verification for every phone of the customer (PINs still needed); with
   * `bypass`, `?bypassVerify=true`: verified without a PIN (the caller must hold the consent evidence).
   */
  async verifyCustomer(customerId: number, options: { readonly bypass: boolean }, signal?: AbortSignal): Promise<WireSbtResult> {
    const id = positiveId(customerId, 'customerId');
    const query = options.bypass ? { bypassVerify: 'true' } : undefined;
    return this.#action(`sbt/verifyCustomer(${id})`, undefined, options.bypass ? 'sbt.verifyCustomer.bypass' : 'sbt.verifyCustomer', signal, query);
  }

  /**
   * `GET odata.svc/Phones(id)`: one phone with its `sbt*` flags, or null when LoanPro answers 409 (no such phone).
   * Inferred route (the phone's own `__metadata.uri`; see src/simulators/loanpro/loanpro.phones.ts): the SBT calls
   * name a phone by id alone. Where the customer id is known, `getCustomerPhones` is the documented read.
   */
  async getPhone(phoneId: number, signal?: AbortSignal): Promise<WirePhone | null> {
    const id = positiveId(phoneId, 'phoneId');
    try {
      const res = await this.#upstream.requestJson<WireEntity<WirePhone>>({
        method: 'GET',
        path: `odata.svc/Phones(${id})`,
        signal,
        operation: 'phones.get',
      });
      const phone = res.data?.d;
      if (!isRecord(phone) || phone.id !== id) throw unreadable('phones.get', res.status, 'applied');
      return phone;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  /**
   * `GET odata.svc/Customers(id)/Phones?nopaging=true` (the seed's way to find a phone's id): the customer's
   * phones with their `sbt*` flags, or null when LoanPro answers 409 (no such customer).
   */
  async getCustomerPhones(customerId: number, signal?: AbortSignal): Promise<WirePhone[] | null> {
    const id = positiveId(customerId, 'customerId');
    try {
      const res = await this.#upstream.requestJson<WireCollection<WirePhone>>({
        method: 'GET',
        path: `odata.svc/Customers(${id})/Phones`,
        query: { nopaging: 'true' },
        signal,
        operation: 'customers.phones',
      });
      const list = res.data?.d?.results;
      if (!Array.isArray(list)) throw unreadable('customers.phones', res.status, 'applied');
      // A row without a numeric id is no phone anyone can name: dropped rather than failing the whole read.
      return list.filter((p): p is WirePhone => isRecord(p) && typeof p.id === 'number');
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async #action(
    path: string,
    body: object | undefined,
    operation: string,
    signal: AbortSignal | undefined,
    query?: Record<string, string>,
  ): Promise<WireSbtResult> {
    const res = await this.#upstream.requestJson<{ d?: unknown }>({
      method: 'POST',
      path,
      ...(body === undefined ? {} : { body }),
      ...(query === undefined ? {} : { query }),
      signal,
      operation,
    });
    return sbtResult(res.data, operation, res.status);
  }
}

/**
 * A 200's body as an SBT result. No `d` (or not JSON: the upstream already says so): unreadable, but the vendor
 * answered 2xx, so the action was applied. `success` false: the vendor contradicts its own status, so whether it
 * acted is unknown (`maybe`); the caller reads the phone back.
 */
function sbtResult(data: { d?: unknown } | undefined, operation: string, status: number): WireSbtResult {
  const d = isRecord(data) ? data.d : undefined;
  const result: WireSbtResult | undefined = d === true ? { success: true } : isRecord(d) ? (d as WireSbtResult) : undefined;
  if (result === undefined) throw unreadable(operation, status, 'applied');
  if (result.success !== undefined && !isTrue(result.success)) throw unreadable(operation, status, 'maybe');
  return result;
}

function isTrue(flag: Flag | undefined): boolean {
  return flag === true || flag === 1 || flag === '1';
}

function isRecord(value: unknown): value is Record<string, unknown> & { id?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "Our API will typically give you a 409 response instead if a resource is missing" (vendor-apis.md 1.10). */
function isMissing(err: unknown): boolean {
  return err instanceof UpstreamError && err.kind === 'http' && err.status === 409;
}

function unreadable(operation: string, status: number, delivery: UpstreamDelivery): UpstreamError {
  return new UpstreamError({ vendor: 'LOANPRO', kind: 'bad_response', operation, attempts: 1, status, delivery });
}

/** Ids go into paths: only a positive whole number is ever put there. */
function positiveId(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`LoanPro SBT: ${name} must be a positive integer`);
  return value;
}
