/**
 * In-memory RecoveryConnect data: orders, their borrowers and the borrowers' phones (soft-deleted on DELETE).
 * Records are mutable copies of the seed; reset() goes back to the seed.
 */
import type { RecoveryConnectSeedData, StoredBorrower, StoredPhone } from './recoveryconnect.model.js';

export class RecoveryConnectStore {
  private orderIds = new Set<number>();
  private borrowersById = new Map<number, StoredBorrower>();
  private borrowerIdsByOrder = new Map<number, number[]>();
  private phonesById = new Map<number, StoredPhone>();
  private phoneIdsByBorrower = new Map<number, number[]>();
  private nextPhoneId = 1;

  constructor(private readonly seed: RecoveryConnectSeedData) {
    this.reset();
  }

  reset(): void {
    this.orderIds = new Set();
    this.borrowersById = new Map();
    this.borrowerIdsByOrder = new Map();
    this.phonesById = new Map();
    this.phoneIdsByBorrower = new Map();
    this.nextPhoneId = 1;
    for (const o of this.seed.orders) {
      if (this.orderIds.has(o.id)) throw new Error(`duplicate order id ${o.id} in seed`);
      this.orderIds.add(o.id);
      this.borrowerIdsByOrder.set(o.id, []);
    }
    for (const b of this.seed.borrowers) {
      if (this.borrowersById.has(b.id)) throw new Error(`duplicate borrower id ${b.id} in seed`);
      const ids = this.borrowerIdsByOrder.get(b.order_id);
      if (ids === undefined) throw new Error(`borrower ${b.id} references unknown order ${b.order_id}`);
      this.borrowersById.set(b.id, { ...b });
      ids.push(b.id);
    }
    for (const ids of this.borrowerIdsByOrder.values()) ids.sort((a, b) => a - b);
    for (const p of this.seed.phones) {
      if (this.phonesById.has(p.id)) throw new Error(`duplicate phone id ${p.id} in seed`);
      if (!this.borrowersById.has(p.borrower_id)) throw new Error(`phone ${p.id} references unknown borrower ${p.borrower_id}`);
      this.insertPhone({ ...p });
    }
  }

  hasOrder(orderId: number): boolean {
    return this.orderIds.has(orderId);
  }

  /** Order ids, ascending. */
  orders(): number[] {
    return [...this.orderIds].sort((a, b) => a - b);
  }

  /** Non-deleted borrowers of an order, id ascending (empty for an unknown order). */
  borrowersOf(orderId: number): StoredBorrower[] {
    const out: StoredBorrower[] = [];
    for (const id of this.borrowerIdsByOrder.get(orderId) ?? []) {
      const b = this.borrowersById.get(id);
      if (b !== undefined && b.deleted_at === null) out.push(b);
    }
    return out;
  }

  /** A non-deleted borrower of that order; a borrower of another order is not found. */
  borrowerIn(orderId: number, borrowerId: number): StoredBorrower | undefined {
    const b = this.borrowersById.get(borrowerId);
    return b !== undefined && b.order_id === orderId && b.deleted_at === null ? b : undefined;
  }

  /** Non-deleted phones of a borrower, id ascending. */
  phonesOf(borrowerId: number): StoredPhone[] {
    const out: StoredPhone[] = [];
    for (const id of this.phoneIdsByBorrower.get(borrowerId) ?? []) {
      const p = this.phonesById.get(id);
      if (p !== undefined && p.deleted_at === null) out.push(p);
    }
    return out;
  }

  /** A non-deleted phone of that borrower (the live record). */
  phoneOf(borrowerId: number, phoneId: number): StoredPhone | undefined {
    const p = this.phonesById.get(phoneId);
    return p !== undefined && p.borrower_id === borrowerId && p.deleted_at === null ? p : undefined;
  }

  /** Any stored phone, soft-deleted or not. */
  rawPhone(phoneId: number): StoredPhone | undefined {
    return this.phonesById.get(phoneId);
  }

  /** Ids follow the highest id ever stored, as an auto-increment column does (deleted rows keep theirs). */
  allocatePhoneId(): number {
    return this.nextPhoneId++;
  }

  insertPhone(phone: StoredPhone): void {
    this.phonesById.set(phone.id, phone);
    let ids = this.phoneIdsByBorrower.get(phone.borrower_id);
    if (ids === undefined) {
      ids = [];
      this.phoneIdsByBorrower.set(phone.borrower_id, ids);
    }
    ids.push(phone.id);
    ids.sort((a, b) => a - b);
    if (phone.id >= this.nextPhoneId) this.nextPhoneId = phone.id + 1;
  }
}
