/**
 * The RecoveryConnect (MBSi) simulator's stored records and the constants of its wire format
 * (vendor-apis.md section 4 and seeds/003_c0057283a7c329bb.txt; the seed wins where they disagree).
 * Stored records use the wire field names: 0/1 flags, `YYYY-MM-DD HH:MM:SS` timestamps, numbers `NNN-NNN-NNNN`.
 */

export type Bit = 0 | 1;

/** Every vendor path the simulator serves starts with this (the gateway's base URL is the bare origin). */
export const API_PREFIX = '/api/v140';

/** The login lifetime the vendor's sample answer shows (`expires_in: 3600`, section 4.2). */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

export interface StoredOrder {
  id: number;
}

/** A borrower as the borrower list returns it (section 4.4), minus `phones`, which the list always sends empty. */
export interface StoredBorrower {
  id: number;
  parent_id: number | null;
  order_id: number;
  person_id: number;
  role: string;
  is_violent: Bit;
  is_primary: Bit;
  active_military: Bit;
  is_deceased: Bit;
  is_fraud: Bit;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  bankruptcy: string | null;
  firstname: string;
  middle_initial: string;
  lastname: string;
  birthday: string | null;
  license_no: string | null;
  license_state: string | null;
  validated: Bit;
  migration: string | null;
  /** Always null in the simulator: it never holds SSNs (the sample shows null too). */
  ssn: null;
}

export interface StoredPhone {
  id: number;
  /** Owner (not a wire field of the phone record: the path carries it). */
  borrower_id: number;
  /** RecoveryConnect phone type id; the reference table is not public (5 and 6 observed). */
  type: number;
  mobile_carrier_id: number | null;
  /** Always `NNN-NNN-NNNN`: the vendor stores numbers with dashes whatever the input spelling. */
  number: string;
  extension: string | null;
  memo: string | null;
  valid: Bit;
  no_contact: Bit;
  created_at: string;
  updated_at: string;
  /** Soft delete: a deleted phone answers 404 and disappears from lists. */
  deleted_at: string | null;
  migration: string | null;
}

/** The data a simulator starts from (and returns to on resetData()). */
export interface RecoveryConnectSeedData {
  readonly orders: readonly StoredOrder[];
  readonly borrowers: readonly StoredBorrower[];
  readonly phones: readonly StoredPhone[];
}

/** What the phone list returns per phone: ten fields (the list omits deleted_at, migration, address_with_number). */
export interface PhoneListItem {
  id: number;
  type: number;
  mobile_carrier_id: number | null;
  number: string;
  extension: string | null;
  memo: string | null;
  valid: Bit;
  no_contact: Bit;
  created_at: string;
  updated_at: string;
}

/** What create, read-one and update return: the list fields plus three more. */
export interface PhoneDetail extends PhoneListItem {
  deleted_at: string | null;
  migration: string | null;
  address_with_number: string;
}

export interface BorrowerRecord extends Omit<StoredBorrower, 'ssn'> {
  phones: never[];
  ssn: null;
}

/** The `address_with_number` value of every phone in the seed article. */
export const ADDRESS_WITH_NUMBER = 'No address';

/**
 * The `meta.fixme` block the vendor leaks on single-phone reads (seed, "Retrieve Borrower Phone Details"),
 * reproduced verbatim: clients must tolerate and ignore it.
 */
export const SHOW_PHONE_META = Object.freeze({
  fixme: Object.freeze({
    message: 'GenericResource: create specific resource object',
    source: Object.freeze({
      file: '/var/www/mobile_dev/releases/20210210171746/versions/v140/app/Http/Controllers/Api/Mixins/Actions/Get/ShowSingleOrderBorrowerPhoneInfo.php',
      line: 35,
      function: '__construct',
      class: 'App\\Http\\Resources\\GenericResource',
      type: '->',
    }),
  }),
});

/** The `meta.fixme` block of the delete answer (seed, "Delete Borrower Phone"; note the v130 path). */
export const DELETE_PHONE_META = Object.freeze({
  fixme: Object.freeze({
    message: 'GenericResource: create specific resource object',
    source: Object.freeze({
      file: '/var/www/mobile_dev/releases/20210210171746/versions/v130/app/Http/Controllers/Api/Mixins/Actions/Delete/DeleteOrderBorrowerInfo.php',
      line: 51,
      function: '__construct',
      class: 'App\\Http\\Resources\\GenericResource',
      type: '->',
    }),
  }),
});

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Epoch ms -> `YYYY-MM-DD HH:MM:SS`. The vendor's timezone is UNKNOWN (vendor-apis.md 4.4); the simulator uses
 * UTC (inferred), which is also what the change feed documents for its window parameters.
 */
export function formatTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  );
}

export function phoneListItem(p: StoredPhone): PhoneListItem {
  return {
    id: p.id,
    type: p.type,
    mobile_carrier_id: p.mobile_carrier_id,
    number: p.number,
    extension: p.extension,
    memo: p.memo,
    valid: p.valid,
    no_contact: p.no_contact,
    created_at: p.created_at,
    updated_at: p.updated_at,
  };
}

export function phoneDetail(p: StoredPhone): PhoneDetail {
  return { ...phoneListItem(p), deleted_at: p.deleted_at, migration: p.migration, address_with_number: ADDRESS_WITH_NUMBER };
}

/**
 * A borrower as the list returns it, fields in the sample's order. `phones` is always `[]`: the sample shows an
 * empty embedded list for a borrower that has phones on the phones endpoint, so clients must not rely on it.
 */
export function borrowerRecord(b: StoredBorrower): BorrowerRecord {
  return {
    id: b.id,
    parent_id: b.parent_id,
    order_id: b.order_id,
    person_id: b.person_id,
    role: b.role,
    is_violent: b.is_violent,
    is_primary: b.is_primary,
    active_military: b.active_military,
    is_deceased: b.is_deceased,
    is_fraud: b.is_fraud,
    created_at: b.created_at,
    updated_at: b.updated_at,
    deleted_at: b.deleted_at,
    bankruptcy: b.bankruptcy,
    firstname: b.firstname,
    middle_initial: b.middle_initial,
    lastname: b.lastname,
    birthday: b.birthday,
    license_no: b.license_no,
    license_state: b.license_state,
    validated: b.validated,
    migration: b.migration,
    phones: [],
    ssn: null,
  };
}
