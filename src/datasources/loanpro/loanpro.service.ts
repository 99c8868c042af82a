/**
 * LoanPro as one GraphQL request sees it (`ctx.loanpro`): domain types in, domain types and catalogued errors
 * out. Resolvers call these methods and never see a wire type, the mapper or the client.
 */
import type { CountryCode } from 'libphonenumber-js';
import { committedWriteError, GatewayError, VendorError } from '../../errors/errors.js';
import type { UpdateCustomerInput } from '../../schema/customer/customer.input.js';
import type { Customer } from '../../schema/customer/customer.type.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import { checkE164, checkPositiveId } from '../../validation/input.js';
import type { RequestScope } from '../vendor.js';
import type { LoanProClient } from './loanpro.client.js';
import { customerWriteError } from './loanpro.errors.js';
import { createLoanProLoaders, mapCustomer, type LoanProLoaders, type PhonesWithNumber } from './loanpro.loaders.js';

export type { PhonesWithNumber } from './loanpro.loaders.js';
import { customerUpdateToWire, phonesAfterWrite } from './loanpro.mapper.js';
import { validateCustomerUpdate } from './loanpro.validate.js';

export class LoanProService {
  readonly #client: LoanProClient;
  readonly #region: CountryCode;
  readonly #scope: RequestScope;
  readonly #loaders: LoanProLoaders;

  constructor(client: LoanProClient, region: CountryCode, scope: RequestScope) {
    this.#client = client;
    this.#region = region;
    this.#scope = scope;
    this.#loaders = createLoanProLoaders(client, region, scope.signal);
  }

  /** Null when LoanPro does not know the id. */
  customer(id: string, argument = 'id'): Promise<Customer | null> {
    const customerId = checkPositiveId(id, argument);
    this.#scope.budget.takeIds(1, 'customer');
    return this.#loaders.customerById.load(customerId);
  }

  /**
   * One entry per id, in order: the customer, null for an id LoanPro does not know, or an Error for that entry
   * alone (an id that is not a positive whole number, a failed chunk, an unreadable record).
   */
  async customers(ids: readonly string[]): Promise<Array<Customer | null | Error>> {
    this.#scope.budget.takeIds(ids.length, 'customers');
    const parsed = ids.map((id, i) => {
      try {
        return checkPositiveId(id, `ids[${i}]`);
      } catch (err) {
        return err as GatewayError;
      }
    });
    const valid = parsed.filter((p): p is number => typeof p === 'number');
    const loaded = await this.#loaders.customerById.loadMany(valid);
    let next = 0;
    return parsed.map((p) => (typeof p === 'number' ? loaded[next++]! : p));
  }

  /** The customer's phones: from the record when it carried them, else read (once per request). */
  async phonesOf(customer: Customer): Promise<Phone[]> {
    if (customer.phones) return customer.phones;
    const fresh = await this.#loaders.customerById.load(Number(customer.id));
    return fresh?.phones ?? [];
  }

  /**
   * Validates, reads the customer, sends one PUT with only what changes (none when nothing does), then reads
   * the customer back. A committed write is never reported as failed: when the read-back fails, the answer is
   * built from what the PUT returned and the phones the gateway already knew; where it cannot be (a phone was
   * created, and its id exists only at LoanPro), the error carries `committed: true` so clients do not retry.
   */
  async updateCustomer(id: string, input: UpdateCustomerInput): Promise<Customer> {
    const customerId = checkPositiveId(id, 'id');
    const changes = validateCustomerUpdate(input);
    this.#scope.budget.takeIds(1, 'updateCustomer');
    const current = await this.#loaders.customerById.load(customerId);
    if (!current) throw new VendorError('NOT_FOUND', 'LOANPRO', 'LoanPro has no customer with that id.');
    const body = customerUpdateToWire(current, changes, this.#region);
    if (!body) return current;
    let written;
    try {
      written = await this.#client.updateCustomer(customerId, body, this.#scope.signal);
    } catch (err) {
      throw customerWriteError(err);
    }
    const loader = this.#loaders.customerById;
    loader.clear(customerId);
    try {
      const fresh = await loader.load(customerId);
      if (fresh) return fresh;
    } catch (err) {
      this.#scope.logger.warn({ vendor: 'LOANPRO', code: (err as GatewayError).extensions?.code }, 'customer read-back after a committed update failed; answering from the write');
    }
    loader.clear(customerId);
    const answer = mapCustomer(written, this.#region);
    const phones = phonesAfterWrite(current.phones ?? [], body, this.#region);
    if (answer instanceof Error || phones === undefined) {
      throw committedWriteError('LOANPRO', 'applied the update');
    }
    return { ...answer, phones };
  }

  // --- Who holds a number (phone(number), consents) -----------------------------------------------------------

  /**
   * Every LoanPro phone holding `number` (E.164), with `customerId` and `sbt` set, by phone id. All the lookups of
   * one request go out together (one `Phones?$filter=phone eq .. or ..` call per chunk). `primaryOnly` is true when
   * LoanPro refused its Phones collection and the customer search on the primary phone stood in. Throws a
   * catalogued VendorError (LOANPRO) when LoanPro cannot be read for this number, or sent a phone record of it
   * the gateway cannot read (never a partial answer: the missing record might be the one that revokes).
   */
  async phonesWithNumber(number: string, argument = 'number'): Promise<PhonesWithNumber> {
    const e164 = checkE164(number, argument);
    this.#scope.budget.takeIds(1, 'phonesWithNumber');
    return this.#loaders.phonesByNumber.load(e164);
  }

  /**
   * The distinct customers holding `number`, by id, read with their phones through the customer loader (batched
   * with every other customer read of the request). A customer LoanPro no longer knows is left out; one that
   * cannot be read fails the call, as does the phone lookup.
   */
  async customersWithNumber(number: string, argument = 'number'): Promise<Customer[]> {
    const { phones } = await this.phonesWithNumber(number, argument);
    const ids = [...new Set(phones.map((p) => Number(p.customerId)))].sort((a, b) => a - b);
    const loaded = await this.#loaders.customerById.loadMany(ids);
    const customers: Customer[] = [];
    for (const customer of loaded) {
      if (customer instanceof Error) throw customer;
      if (customer) customers.push(customer);
    }
    return customers;
  }
}
