/**
 * In-memory LoanPro data: customers and their phones, with soft deletes. Records are mutable copies of the seed;
 * reset() goes back to the seed.
 */
import type { LoanProCustomerRecord, LoanProSeedData, StoredCustomer, StoredPhone } from './loanpro.model.js';

export class LoanProStore {
  private customersById = new Map<number, StoredCustomer>();
  private phonesById = new Map<number, StoredPhone>();
  private phoneIdsByCustomer = new Map<number, number[]>();
  /** Non-deleted customers in id order (customers are never created or deleted over the API here). */
  private orderedCustomers: StoredCustomer[] = [];
  private nextId = 1;

  constructor(private readonly seed: LoanProSeedData) {
    this.reset();
  }

  reset(): void {
    this.customersById = new Map();
    this.phonesById = new Map();
    this.phoneIdsByCustomer = new Map();
    for (const c of this.seed.customers) {
      if (this.customersById.has(c.id)) throw new Error(`duplicate customer id ${c.id} in seed`);
      this.customersById.set(c.id, { ...c });
    }
    let maxPhoneId = 0;
    for (const p of this.seed.phones) {
      if (this.phonesById.has(p.id)) throw new Error(`duplicate phone id ${p.id} in seed`);
      if (!this.customersById.has(p.entityId)) throw new Error(`phone ${p.id} references unknown customer ${p.entityId}`);
      this.insertPhone({ ...p });
      maxPhoneId = Math.max(maxPhoneId, p.id);
    }
    this.nextId = maxPhoneId + 1;
    this.orderedCustomers = [...this.customersById.values()].filter((c) => c.deleted === 0).sort((a, b) => a.id - b.id);
  }

  /** A non-deleted customer (the live record; mutate only through the update logic). */
  customer(id: number): StoredCustomer | undefined {
    const c = this.customersById.get(id);
    return c !== undefined && c.deleted === 0 ? c : undefined;
  }

  /** Any stored customer, deleted or not. */
  rawCustomer(id: number): StoredCustomer | undefined {
    return this.customersById.get(id);
  }

  /** Non-deleted customers, id ascending. Do not mutate the array. */
  customers(): readonly StoredCustomer[] {
    return this.orderedCustomers;
  }

  /** A non-deleted phone. */
  phone(id: number): StoredPhone | undefined {
    const p = this.phonesById.get(id);
    return p !== undefined && p.deleted === 0 ? p : undefined;
  }

  /** Any stored phone, deleted or not. */
  rawPhone(id: number): StoredPhone | undefined {
    return this.phonesById.get(id);
  }

  /** Non-deleted phones of a customer, id ascending. */
  phonesOf(customerId: number): StoredPhone[] {
    const ids = this.phoneIdsByCustomer.get(customerId);
    if (ids === undefined) return [];
    const out: StoredPhone[] = [];
    for (const id of ids) {
      const p = this.phonesById.get(id);
      if (p !== undefined && p.deleted === 0) out.push(p);
    }
    return out;
  }

  /** Non-deleted phones of non-deleted customers. */
  *livePhones(): Iterable<StoredPhone> {
    for (const p of this.phonesById.values()) {
      if (p.deleted === 0 && this.customer(p.entityId) !== undefined) yield p;
    }
  }

  allocatePhoneId(): number {
    return this.nextId++;
  }

  insertPhone(phone: StoredPhone): void {
    this.phonesById.set(phone.id, phone);
    let ids = this.phoneIdsByCustomer.get(phone.entityId);
    if (ids === undefined) {
      ids = [];
      this.phoneIdsByCustomer.set(phone.entityId, ids);
    }
    ids.push(phone.id);
    ids.sort((a, b) => a - b);
    if (phone.id >= this.nextId) this.nextId = phone.id + 1;
  }

  /** A detached copy of a customer with its non-deleted phones (for tests and tooling). */
  snapshot(id: number): LoanProCustomerRecord | undefined {
    const c = this.customersById.get(id);
    if (c === undefined) return undefined;
    return { ...c, phones: this.phonesOf(id).map((p) => ({ ...p })) };
  }
}
