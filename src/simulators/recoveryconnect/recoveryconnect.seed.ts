/**
 * The RecoveryConnect simulator's default dataset: the seed article's records verbatim, hand-written edge cases,
 * a benchmark order with 20 borrowers, and small orders generated from a fixed PRNG seed (same data every run).
 *
 * Hand-written:
 *   order 57062885 (the docs' order)
 *     borrower 124927241 "A_Toney Spencer" (section 4.4 verbatim), phones 39317578 (type 5, 678-932-1578) and
 *       39317579 (type 6, 887-213-6744) exactly as the seed lists them, plus the soft-deleted 39317580, so the
 *       first phone created gets 39317581 as in the seed's create example;
 *     borrower 124927243, a co-borrower with no phones.
 *   order 57062890 (edge cases)
 *     borrower 124927300: 39317500 no_contact 1 (carrier 2), 39317501 valid 0, 39317502 unknown type 9 with
 *       extension "22" and a memo, 39317503 651-473-7960 (the number of LoanPro customer 1178: one number
 *       known to two vendors);
 *     borrower 124927301 (deceased): 39317504 "123-456-7890", dash-formatted but not a valid NANP number;
 *     borrower 124927302 (is_violent 1): no phones.
 *   order 57062900: 20 borrowers (124930001..124930020), 1-3 phones each (the "order with 20 borrowers" benchmark).
 *   order 57062950: no borrowers.
 * Generated: orders 57063001..57063024, 1-3 borrowers each (from 124940001), 0-3 phones each; phone ids from
 * 39300001, all below the documented ids so creates continue at 39317581. Numbers are NANP-valid (real area
 * codes, exchanges 2xx-9xx, never N11 or 555) and unique across the dataset.
 */
import { createPrng } from '../framework/prng.js';
import type { Prng } from '../framework/prng.js';
import { formatTimestamp } from './recoveryconnect.model.js';
import type { Bit, RecoveryConnectSeedData, StoredBorrower, StoredOrder, StoredPhone } from './recoveryconnect.model.js';

export const DEFAULT_SEED_NUMBER = 20260307;

export const DOC_ORDER_ID = 57062885;
export const DOC_BORROWER_ID = 124927241;
export const DOC_PHONE_IDS = [39317578, 39317579] as const;
/** Soft-deleted: never returned, but it holds the id before the seed's create example. */
export const DOC_DELETED_PHONE_ID = 39317580;
/** The id the first created phone gets (the seed's create example answers 39317581). */
export const FIRST_CREATED_PHONE_ID = 39317581;
export const NO_PHONES_BORROWER_ID = 124927243;

export const EDGE_ORDER_ID = 57062890;
export const EDGE_BORROWER_ID = 124927300;
export const EDGE_PHONE_IDS = {
  noContact: 39317500,
  invalid: 39317501,
  unknownType: 39317502,
  sharedWithLoanPro: 39317503,
  notNanp: 39317504,
} as const;
export const DECEASED_BORROWER_ID = 124927301;
export const VIOLENT_BORROWER_ID = 124927302;

export const BENCH_ORDER_ID = 57062900;
export const BENCH_BORROWER_FIRST = 124930001;
export const BENCH_BORROWER_COUNT = 20;

export const EMPTY_ORDER_ID = 57062950;

export const GENERATED_ORDER_FIRST = 57063001;
export const GENERATED_ORDER_COUNT = 24;
const GENERATED_BORROWER_FIRST = 124940001;
const GENERATED_PHONE_FIRST = 39300001;

/** Phone type ids seen in the vendor's samples; the meaning of each is not public. */
const OBSERVED_TYPES = [5, 6] as const;

const FIRST = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Darnell', 'Keisha', 'Luis', 'Guadalupe', 'Wei', 'Mei', 'Andre', 'Aaliyah', 'Hiroshi', 'Priya',
] as const;
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee',
  'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'King', 'Nguyen',
  "O'Neal", 'Washington', 'Okafor', 'Castillo', 'Patel', 'Kowalski',
] as const;
const INITIALS = ['', '', '', 'A', 'B', 'C', 'D', 'E', 'J', 'L', 'M', 'R', 'T'] as const;
const MEMOS = ['home', 'cell', 'work', 'Personal', "mother's phone", 'from skip trace', 'neighbor'] as const;
const STATES = ['GA', 'AL', 'FL', 'TN', 'SC', 'NC', 'TX', 'OH'] as const;
/** Real, assigned NANP area codes (the docs' numbers are Georgian: 678). */
const AREA_CODES = [
  '678', '404', '470', '770', '706', '762', '912', '229', '205', '256', '334', '305', '407', '813', '904',
  '615', '901', '865', '803', '843', '704', '919', '214', '713', '512', '216', '614', '513',
] as const;
const BAD_EXCHANGES: ReadonlySet<number> = new Set([211, 311, 411, 511, 611, 711, 811, 911, 555, 950, 958, 959, 976]);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function baseBorrower(id: number, orderId: number, createdAt: string): StoredBorrower {
  return {
    id,
    parent_id: id - 1, // (inferred) the sample's parent_id is its id minus one
    order_id: orderId,
    person_id: id + 11_854_041, // the sample's person_id offset, kept for every borrower
    role: 'borrower',
    is_violent: 0,
    is_primary: 1,
    active_military: 0,
    is_deceased: 0,
    is_fraud: 0,
    created_at: createdAt,
    updated_at: createdAt,
    deleted_at: null,
    bankruptcy: null,
    firstname: '',
    middle_initial: '',
    lastname: '',
    birthday: null,
    license_no: null,
    license_state: null,
    validated: 1,
    migration: null,
    ssn: null,
  };
}

function basePhone(id: number, borrowerId: number, type: number, number: string, createdAt: string): StoredPhone {
  return {
    id,
    borrower_id: borrowerId,
    type,
    mobile_carrier_id: null,
    number,
    extension: null,
    memo: null,
    valid: 1,
    no_contact: 0,
    created_at: createdAt,
    updated_at: createdAt,
    deleted_at: null,
    migration: null,
  };
}

/** Co-borrowers: (inferred) role "co-borrower" and is_primary 0; only "borrower" appears in the docs. */
function coBorrower(b: StoredBorrower): StoredBorrower {
  return { ...b, role: 'co-borrower', is_primary: 0 };
}

function handWritten(): { orders: StoredOrder[]; borrowers: StoredBorrower[]; phones: StoredPhone[] } {
  const docPhonesAt = '2026-03-07 14:03:51';
  const borrowers: StoredBorrower[] = [
    // Section 4.4 verbatim.
    {
      ...baseBorrower(DOC_BORROWER_ID, DOC_ORDER_ID, '2026-02-17 10:45:03'),
      parent_id: 124927240,
      person_id: 136781282,
      firstname: 'A_Toney',
      lastname: 'Spencer',
    },
    coBorrower({
      ...baseBorrower(NO_PHONES_BORROWER_ID, DOC_ORDER_ID, '2026-02-17 10:45:03'),
      firstname: 'Maria',
      middle_initial: 'L',
      lastname: 'Spencer',
      birthday: '1981-06-02',
    }),
    {
      ...baseBorrower(EDGE_BORROWER_ID, EDGE_ORDER_ID, '2026-01-12 09:30:00'),
      firstname: 'Dolores',
      middle_initial: 'K',
      lastname: 'Whitfield',
      license_no: 'GA055123456',
      license_state: 'GA',
    },
    coBorrower({
      ...baseBorrower(DECEASED_BORROWER_ID, EDGE_ORDER_ID, '2026-01-12 09:30:00'),
      firstname: 'Harold',
      lastname: 'Whitfield',
      is_deceased: 1,
      updated_at: '2026-02-02 16:20:45',
    }),
    coBorrower({
      ...baseBorrower(VIOLENT_BORROWER_ID, EDGE_ORDER_ID, '2026-01-12 09:30:00'),
      firstname: 'Travis',
      lastname: 'Whitfield',
      is_violent: 1,
      validated: 0,
    }),
  ];
  const phones: StoredPhone[] = [
    // The seed article's phone list, verbatim.
    basePhone(DOC_PHONE_IDS[0], DOC_BORROWER_ID, 5, '678-932-1578', docPhonesAt),
    basePhone(DOC_PHONE_IDS[1], DOC_BORROWER_ID, 6, '887-213-6744', docPhonesAt),
    { ...basePhone(DOC_DELETED_PHONE_ID, DOC_BORROWER_ID, 5, '470-555-0199', docPhonesAt), deleted_at: '2026-03-07 14:10:12' },
    {
      ...basePhone(EDGE_PHONE_IDS.noContact, EDGE_BORROWER_ID, 5, '470-238-1946', '2026-01-12 09:31:10'),
      mobile_carrier_id: 2,
      no_contact: 1,
      memo: 'Cease and desist received',
      updated_at: '2026-02-20 11:02:37',
    },
    {
      ...basePhone(EDGE_PHONE_IDS.invalid, EDGE_BORROWER_ID, 6, '404-872-3310', '2026-01-12 09:31:10'),
      valid: 0,
      memo: 'disconnected',
      updated_at: '2026-01-29 08:15:00',
    },
    {
      ...basePhone(EDGE_PHONE_IDS.unknownType, EDGE_BORROWER_ID, 9, '678-414-2290', '2026-01-12 09:31:10'),
      extension: '22',
      memo: 'work - ask for Dolores',
    },
    basePhone(EDGE_PHONE_IDS.sharedWithLoanPro, EDGE_BORROWER_ID, 5, '651-473-7960', '2026-01-15 13:45:02'),
    {
      ...basePhone(EDGE_PHONE_IDS.notNanp, DECEASED_BORROWER_ID, 6, '123-456-7890', '2026-01-12 09:31:10'),
      memo: 'legacy import',
    },
  ];
  return { orders: [{ id: DOC_ORDER_ID }, { id: EDGE_ORDER_ID }, { id: BENCH_ORDER_ID }, { id: EMPTY_ORDER_ID }], borrowers, phones };
}

/** The phone numbers a dataset holds, as 10 digits. */
function digitsOf(number: string): string {
  return number.replace(/\D/g, '');
}

function uniqueNumber(prng: Prng, used: Set<string>): string {
  for (;;) {
    const area = prng.pick(AREA_CODES);
    let exchange = prng.int(200, 999);
    while (BAD_EXCHANGES.has(exchange)) exchange = prng.int(200, 999);
    const line = String(prng.int(0, 9999)).padStart(4, '0');
    const digits = `${area}${exchange}${line}`;
    if (used.has(digits)) continue;
    used.add(digits);
    return `${area}-${exchange}-${line}`;
  }
}

function bit(prng: Prng, p: number): Bit {
  return prng.chance(p) ? 1 : 0;
}

class Generator {
  private borrowerId = GENERATED_BORROWER_FIRST;
  private phoneId = GENERATED_PHONE_FIRST;

  constructor(
    private readonly prng: Prng,
    private readonly usedNumbers: Set<string>,
    private readonly borrowers: StoredBorrower[],
    private readonly phones: StoredPhone[],
  ) {}

  /** A borrower with realistic names and flags, created at `createdMs`. */
  borrower(id: number, orderId: number, primary: boolean, createdMs: number): StoredBorrower {
    const { prng } = this;
    const created = formatTimestamp(createdMs);
    const base = baseBorrower(id, orderId, created);
    const b: StoredBorrower = {
      ...(primary ? base : coBorrower(base)),
      firstname: prng.pick(FIRST),
      middle_initial: prng.pick(INITIALS),
      lastname: prng.pick(LAST),
      birthday: prng.chance(0.5)
        ? `${prng.int(1950, 2000)}-${String(prng.int(1, 12)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}`
        : null,
      active_military: bit(prng, 0.03),
      is_violent: bit(prng, 0.02),
      validated: bit(prng, 0.9),
    };
    if (prng.chance(0.3)) {
      b.license_state = prng.pick(STATES);
      b.license_no = `${b.license_state}${String(prng.int(10_000_000, 99_999_999))}`;
    }
    if (prng.chance(0.2)) b.updated_at = formatTimestamp(createdMs + prng.int(1, 20) * DAY_MS);
    this.borrowers.push(b);
    return b;
  }

  /** `count` phones for a borrower, the first one mostly type 5 (as in the docs' list). */
  phonesFor(borrowerId: number, count: number, afterMs: number): void {
    const { prng } = this;
    for (let n = 0; n < count; n++) {
      const createdMs = afterMs + prng.int(1, 30) * DAY_MS + prng.int(0, DAY_MS / 1000 - 1) * 1000;
      const type = n === 0 && prng.chance(0.7) ? 5 : prng.pick(OBSERVED_TYPES);
      const p = basePhone(this.phoneId++, borrowerId, type, uniqueNumber(prng, this.usedNumbers), formatTimestamp(createdMs));
      // Only null carriers appear in the docs; some mobiles get one so the field is exercised.
      if (type === 5 && prng.chance(0.2)) p.mobile_carrier_id = prng.int(1, 4);
      if (type === 6 && prng.chance(0.1)) p.extension = String(prng.int(10, 999));
      if (prng.chance(0.25)) p.memo = prng.pick(MEMOS);
      p.valid = prng.chance(0.05) ? 0 : 1;
      p.no_contact = bit(prng, 0.08);
      if (prng.chance(0.3)) p.updated_at = formatTimestamp(createdMs + prng.int(1, 40) * DAY_MS);
      this.phones.push(p);
    }
  }

  nextBorrowerId(): number {
    return this.borrowerId++;
  }
}

/** Build the dataset for a PRNG seed (the default seed gives the documented dataset). */
export function generateRecoveryConnectSeed(seed: number = DEFAULT_SEED_NUMBER): RecoveryConnectSeedData {
  const prng = createPrng(seed);
  const { orders, borrowers, phones } = handWritten();
  const used = new Set(phones.map((p) => digitsOf(p.number)));
  const gen = new Generator(prng, used, borrowers, phones);
  const start = Date.UTC(2026, 0, 5, 8, 0, 0);

  // The benchmark order: 20 borrowers, every one with 1-3 phones.
  for (let i = 0; i < BENCH_BORROWER_COUNT; i++) {
    const createdMs = start + prng.int(0, 30) * DAY_MS + prng.int(0, 23) * HOUR_MS;
    const b = gen.borrower(BENCH_BORROWER_FIRST + i, BENCH_ORDER_ID, i === 0, createdMs);
    gen.phonesFor(b.id, prng.int(1, 3), createdMs);
  }

  for (let o = 0; o < GENERATED_ORDER_COUNT; o++) {
    const orderId = GENERATED_ORDER_FIRST + o;
    orders.push({ id: orderId });
    const createdMs = start + prng.int(0, 60) * DAY_MS + prng.int(0, 23) * HOUR_MS;
    const count = prng.int(1, 3);
    for (let i = 0; i < count; i++) {
      const b = gen.borrower(gen.nextBorrowerId(), orderId, i === 0, createdMs);
      gen.phonesFor(b.id, prng.int(0, 3), createdMs);
    }
  }

  orders.sort((a, b) => a.id - b.id);
  borrowers.sort((a, b) => a.id - b.id);
  phones.sort((a, b) => a.id - b.id);
  return { orders, borrowers, phones };
}

let cached: RecoveryConnectSeedData | undefined;

/** The default dataset (generated once per process, then shared read-only; stores copy it). */
export function defaultRecoveryConnectSeed(): RecoveryConnectSeedData {
  cached ??= deepFreeze(generateRecoveryConnectSeed(DEFAULT_SEED_NUMBER));
  return cached;
}

function deepFreeze(seed: RecoveryConnectSeedData): RecoveryConnectSeedData {
  for (const o of seed.orders) Object.freeze(o);
  for (const b of seed.borrowers) Object.freeze(b);
  for (const p of seed.phones) Object.freeze(p);
  return Object.freeze({
    orders: Object.freeze([...seed.orders]),
    borrowers: Object.freeze([...seed.borrowers]),
    phones: Object.freeze([...seed.phones]),
  });
}
