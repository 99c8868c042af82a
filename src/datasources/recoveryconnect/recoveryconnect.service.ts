/**
 * RecoveryConnect as one GraphQL request sees it (`ctx.recoveryconnect`): domain types in, domain types and
 * catalogued errors out. Resolvers call these methods and never see a wire type, the mapper or the client.
 */
import type { CountryCode } from 'libphonenumber-js';
import { parsePhoneId } from '../../phone/phone-id.js';
import type { BorrowerPhoneInput } from '../../schema/borrower/borrower.input.js';
import type { Borrower, Order } from '../../schema/borrower/borrower.type.js';
import type { PhoneType } from '../../schema/phone/phone.enums.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import { checkPositiveId } from '../../validation/input.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { RequestScope } from '../vendor.js';
import type { RecoveryConnectClient } from './recoveryconnect.client.js';
import { committedError, phoneWriteError, unreadableError, type PhoneWrite } from './recoveryconnect.errors.js';
import {
  borrowerKey,
  createRecoveryConnectLoaders,
  type BorrowerKey,
  type OrderBorrowers,
  type RecoveryConnectLoaders,
} from './recoveryconnect.loaders.js';
import { phoneChangesToWire, phoneFromWire } from './recoveryconnect.mapper.js';
import { validatePhoneCreate, validatePhoneUpdate } from './recoveryconnect.validate.js';
import type { WirePhone } from './recoveryconnect.wire.js';

export interface RecoveryConnectSettings {
  readonly region: CountryCode;
  readonly phoneTypes: ReadonlyMap<number, PhoneType>;
  /** Calls of one loader batch in flight at once: RECOVERYCONNECT_MAX_CONCURRENCY or _CONNECTIONS, the smaller. */
  readonly concurrency: number;
}

/** What a delete answers: the phone as it was (null when it could not be read first). */
export interface DeletedPhone {
  readonly before: Phone | null;
}

export class RecoveryConnectService {
  readonly #client: RecoveryConnectClient;
  readonly #settings: RecoveryConnectSettings;
  readonly #scope: RequestScope;
  readonly #loaders: RecoveryConnectLoaders;
  /** Records already taken from the operation budget: asking for the same one twice costs (and calls) once. */
  readonly #taken = new Set<string>();

  constructor(client: RecoveryConnectClient, settings: RecoveryConnectSettings, scope: RequestScope) {
    this.#client = client;
    this.#settings = settings;
    this.#scope = scope;
    this.#loaders = createRecoveryConnectLoaders(client, { ...settings, signal: scope.signal });
  }

  /** The order with its borrowers (one call); null when RecoveryConnect does not know it. */
  async order(id: string): Promise<Order | null> {
    const orderId = checkPositiveId(id, 'id');
    const list = await this.#borrowersOf(orderId, 'order');
    if (list === null) return null;
    // `borrowers` is a non-null list of non-null borrowers: one that cannot be read fails the order.
    if (list.unreadable > 0) throw unreadableError('a borrower record');
    return { id: String(orderId), borrowers: list.borrowers };
  }

  /**
   * One borrower, from its order's borrower list (RecoveryConnect documents no single-borrower read): shares that
   * call with `order(id)` for the same order in the same request. Null when the order or the borrower is unknown.
   */
  async borrower(orderId: string, borrowerId: string, paths = { orderId: 'orderId', borrowerId: 'borrowerId' }): Promise<Borrower | null> {
    const order = checkPositiveId(orderId, paths.orderId);
    const borrower = String(checkPositiveId(borrowerId, paths.borrowerId));
    const list = await this.#borrowersOf(order, 'borrower');
    const found = list?.borrowers.find((b) => b.id === borrower);
    if (found) return found;
    // Not among the readable records: it may be one the gateway could not read, so "unknown" would be a guess.
    if (list && list.unreadable > 0) throw unreadableError('a borrower record');
    return null;
  }

  /** The borrower's phones: one call per borrower per request, batched with every other borrower of the tick. */
  phonesOf(borrower: Borrower): Promise<Phone[]> {
    const key = { orderId: Number(borrower.orderId), borrowerId: Number(borrower.id) };
    this.#take(`phones:${borrowerKey(key)}`, 'Borrower.phones');
    return this.#loaders.phonesByBorrower.load(key);
  }

  /** `POST` the new phone; answers it as RecoveryConnect stored it. */
  async createPhone(orderId: string, borrowerId: string, input: BorrowerPhoneInput): Promise<Phone> {
    const key = this.#borrowerKey(orderId, borrowerId);
    const body = phoneChangesToWire(validatePhoneCreate(input, this.#settings.region));
    this.#scope.budget.takeIds(1, 'createBorrowerPhone');
    const written = await this.#write('create', key, () => this.#client.createPhone(key.orderId, key.borrowerId, body, this.#scope.signal));
    return this.#answer(written, 'create');
  }

  /** `PUT` only the fields given (absent ones stay as they are at the vendor); answers the phone after it. */
  async updatePhone(orderId: string, borrowerId: string, phoneId: string, input: BorrowerPhoneInput): Promise<Phone> {
    const key = this.#borrowerKey(orderId, borrowerId);
    const id = parsePhoneId(phoneId, 'RECOVERY_CONNECT', 'phoneId');
    const body = phoneChangesToWire(validatePhoneUpdate(input, this.#settings.region));
    this.#scope.budget.takeIds(1, 'updateBorrowerPhone');
    const written = await this.#write('update', key, () => this.#client.updatePhone(key.orderId, key.borrowerId, id, body, this.#scope.signal));
    return this.#answer(written, 'update');
  }

  /**
   * `DELETE`; true once RecoveryConnect confirmed it (any 2xx, even with a body the gateway cannot read). The DELETE
   * is never repeated (a repeat's 404 could not be told from "never there"); when its answer was lost, the
   * borrower's phones are read instead: a phone no longer listed is gone, which is all the answer says.
   */
  async deletePhone(orderId: string, borrowerId: string, phoneId: string): Promise<DeletedPhone> {
    const key = this.#borrowerKey(orderId, borrowerId);
    const id = parsePhoneId(phoneId, 'RECOVERY_CONNECT', 'phoneId');
    this.#scope.budget.takeIds(1, 'deleteBorrowerPhone');
    const before = await this.#phoneBefore(key, id);
    try {
      await this.#client.deletePhone(key.orderId, key.borrowerId, id, this.#scope.signal);
    } catch (err) {
      // The vendor said 2xx: the phone is gone.
      if (err instanceof UpstreamError && err.delivery === 'applied') return { before };
      if (err instanceof UpstreamError && err.mayHaveApplied && (await this.#isGone(key, id))) return { before };
      throw phoneWriteError(err, 'delete');
    } finally {
      this.#loaders.phonesByBorrower.clear(key);
    }
    return { before };
  }

  /**
   * The phone as it stands before a delete (the request's phones read, shared with Borrower.phones), so the consent
   * ledger's copy of its flags can be closed once it is gone; null when it cannot be read. The DELETE goes ahead
   * either way: this read informs the ledger, it does not guard the write.
   */
  async #phoneBefore(key: BorrowerKey, id: number): Promise<Phone | null> {
    try {
      const phones = await this.#loaders.phonesByBorrower.load(key);
      return phones.find((p) => p.vendorId === String(id)) ?? null;
    } catch {
      return null;
    }
  }

  async #borrowersOf(orderId: number, field: string): Promise<OrderBorrowers | null> {
    this.#take(`order:${orderId}`, field);
    return this.#loaders.borrowersByOrder.load(orderId);
  }

  /** True when the borrower's phones are read and `phoneId` is not among them; false when it is, or the read fails. */
  async #isGone(key: BorrowerKey, phoneId: number): Promise<boolean> {
    try {
      const phones = await this.#client.getPhones(key.orderId, key.borrowerId, this.#scope.signal);
      return !phones.some((p) => p?.id === phoneId);
    } catch {
      return false;
    }
  }

  #borrowerKey(orderId: string, borrowerId: string): BorrowerKey {
    return { orderId: checkPositiveId(orderId, 'orderId'), borrowerId: checkPositiveId(borrowerId, 'borrowerId') };
  }

  #take(record: string, field: string): void {
    if (this.#taken.has(record)) return;
    this.#scope.budget.takeIds(1, field);
    this.#taken.add(record);
  }

  /** Runs a write; whatever its outcome, this request's cached phones of that borrower are stale. */
  async #write<T>(write: PhoneWrite, key: BorrowerKey, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw phoneWriteError(err, write);
    } finally {
      this.#loaders.phonesByBorrower.clear(key);
    }
  }

  /** The phone the write answered with. The write is committed: a record the gateway cannot read says so. */
  #answer(wire: WirePhone, write: PhoneWrite): Phone {
    try {
      return phoneFromWire(wire, this.#settings.region, this.#settings.phoneTypes);
    } catch {
      this.#scope.logger.warn({ vendor: 'RECOVERY_CONNECT', operation: `phones.${write}` }, 'committed phone write answered a record the gateway cannot read');
      throw committedError(write);
    }
  }
}
