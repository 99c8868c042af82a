/**
 * In-memory MessageMedia data: the number inventory and the account's assignments. Records are mutable copies
 * of the seed; reset() goes back to it. One store backs every endpoint, so search, the assigned list and the
 * per-number assignment routes always agree.
 */
import { createPrng } from '../framework/prng.js';
import type { Prng } from '../framework/prng.js';
import type { MessageMediaSeedData, NumberState, StoredAssignment, StoredNumber } from './messagemedia.model.js';
import { prngUuid } from './messagemedia.uuid.js';

const DAY_MS = 86_400_000;

export type AssignOutcome =
  | { readonly kind: 'assigned'; readonly assignment: StoredAssignment }
  | { readonly kind: 'not_found' }
  /** Already assigned (to this or another account) or available_after in the future. */
  | { readonly kind: 'unavailable' };

export interface AssignmentChanges {
  /** undefined = unchanged, null = cleared. */
  readonly label?: string | null;
  readonly metadata?: Readonly<Record<string, string>> | null;
}

function copyAssignment(a: StoredAssignment): StoredAssignment {
  return { ...a, metadata: a.metadata === null ? null : { ...a.metadata } };
}

export class MessageMediaStore {
  private numbersById = new Map<string, StoredNumber>();
  /** Every number, id ascending (the vendor's sort order); ids never change, so this is built once per reset. */
  private ordered: StoredNumber[] = [];
  /** The simulated account's assignments by number id. */
  private assignments = new Map<string, StoredAssignment>();
  private otherAccount = new Set<string>();
  private pendingIds: string[] = [];
  private idPrng: Prng;

  constructor(private readonly seed: MessageMediaSeedData) {
    this.idPrng = createPrng(seed.assignmentIdSeed);
    this.reset();
  }

  reset(): void {
    this.numbersById = new Map();
    for (const n of this.seed.numbers) {
      const id = n.id.toLowerCase();
      if (this.numbersById.has(id)) throw new Error(`duplicate number id ${id} in seed`);
      this.numbersById.set(id, { ...n, id, capabilities: [...n.capabilities] });
    }
    this.ordered = [...this.numbersById.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.otherAccount = new Set();
    for (const id of this.seed.otherAccountNumberIds) {
      const n = this.requireSeedNumber(id);
      n.availableAfter = null;
      this.otherAccount.add(n.id);
    }
    this.assignments = new Map();
    for (const a of this.seed.assignments) {
      const n = this.requireSeedNumber(a.numberId);
      if (this.otherAccount.has(n.id) || this.assignments.has(n.id)) throw new Error(`number ${n.id} is assigned twice in seed`);
      // The vendor clears available_after when it assigns a number.
      n.availableAfter = null;
      this.assignments.set(n.id, copyAssignment({ ...a, numberId: n.id }));
    }
    this.pendingIds = [...this.seed.firstAssignmentIds];
    this.idPrng = createPrng(this.seed.assignmentIdSeed);
  }

  private requireSeedNumber(id: string): StoredNumber {
    const n = this.numbersById.get(id.toLowerCase());
    if (n === undefined) throw new Error(`seed references unknown number ${id}`);
    return n;
  }

  /** The live record (mutate only through the methods below). */
  number(id: string): StoredNumber | undefined {
    return this.numbersById.get(id.toLowerCase());
  }

  /** Every number, id ascending. Do not mutate. */
  numbers(): readonly StoredNumber[] {
    return this.ordered;
  }

  size(): number {
    return this.ordered.length;
  }

  /** The account's assignment of a number (live record), if it holds one. */
  assignment(numberId: string): StoredAssignment | undefined {
    return this.assignments.get(numberId.toLowerCase());
  }

  /** Numbers assigned to the account, id ascending. */
  assignedNumbers(): StoredNumber[] {
    return this.ordered.filter((n) => this.assignments.has(n.id));
  }

  state(n: StoredNumber, now: number): NumberState {
    if (this.assignments.has(n.id)) return 'assigned';
    if (this.otherAccount.has(n.id)) return 'other_account';
    return n.availableAfter !== null && n.availableAfter > now ? 'not_yet_available' : 'available';
  }

  /** Assign to the account: the vendor's rules (unassigned and available_after <= now), then available_after = null. */
  assign(numberId: string, label: string | null, metadata: Readonly<Record<string, string>> | null, now: number): AssignOutcome {
    const n = this.number(numberId);
    if (n === undefined) return { kind: 'not_found' };
    if (this.state(n, now) !== 'available') return { kind: 'unavailable' };
    n.availableAfter = null;
    const assignment: StoredAssignment = {
      id: this.nextAssignmentId(),
      numberId: n.id,
      label,
      metadata: metadata === null ? null : { ...metadata },
    };
    this.assignments.set(n.id, assignment);
    return { kind: 'assigned', assignment };
  }

  /** Replace label and/or metadata (metadata is replaced whole, as the vendor does); undefined when not assigned. */
  update(numberId: string, changes: AssignmentChanges): StoredAssignment | undefined {
    const a = this.assignment(numberId);
    if (a === undefined) return undefined;
    if (changes.label !== undefined) a.label = changes.label;
    if (changes.metadata !== undefined) a.metadata = changes.metadata === null ? null : { ...changes.metadata };
    return a;
  }

  /**
   * Release: the assignment goes and the number becomes searchable again `graceDays` later (the vendor sets
   * available_after = now + grace period). Returns the removed assignment, undefined when not assigned.
   */
  release(numberId: string, now: number, graceDays: number): StoredAssignment | undefined {
    const a = this.assignment(numberId);
    const n = this.number(numberId);
    if (a === undefined || n === undefined) return undefined;
    this.assignments.delete(n.id);
    n.availableAfter = now + graceDays * DAY_MS;
    return a;
  }

  /** Detached copies for tests and tooling. */
  snapshotAssignment(numberId: string): StoredAssignment | undefined {
    const a = this.assignment(numberId);
    return a === undefined ? undefined : copyAssignment(a);
  }

  private nextAssignmentId(): string {
    for (;;) {
      const id = this.pendingIds.shift() ?? prngUuid(this.idPrng);
      if (![...this.assignments.values()].some((a) => a.id === id)) return id;
    }
  }
}
