/**
 * RecoveryConnect's wire format (vendor-apis.md section 4, seeds/003): `{"data": ...}` envelopes, 0/1 flags,
 * numeric phone type ids, numbers stored as `NNN-NNN-NNNN`, timestamps `YYYY-MM-DD HH:MM:SS` (zone unknown).
 * Everything the vendor may leave out or send as null is typed so: the mapper decides what is required.
 */
export type Bit = 0 | 1 | boolean | '0' | '1' | null;

/** `POST /api/v140/auth` answers this (section 4.2). */
export interface WireLogin {
  token_type?: string;
  expires_in?: number;
  access_token?: string;
  refresh_token?: string;
}

/** One borrower of `GET orders/{order_id}/borrowers` (section 4.4). Fields the gateway does not read are left out. */
export interface WireBorrower {
  id: number;
  order_id?: number | null;
  role?: string | null;
  is_primary?: Bit;
  firstname?: string | null;
  middle_initial?: string | null;
  lastname?: string | null;
  /** Always sent empty in the vendor's sample even when the phones endpoint lists phones: never read. */
  phones?: unknown;
}

/** A phone as the list sends it (ten fields); create, update and read-one add deleted_at, migration, address_with_number. */
export interface WirePhone {
  id: number;
  type?: number | null;
  mobile_carrier_id?: number | null;
  number?: string | null;
  extension?: string | null;
  memo?: string | null;
  valid?: Bit;
  no_contact?: Bit;
  created_at?: string | null;
  updated_at?: string | null;
  deleted_at?: string | null;
}

export interface WireData<T> {
  data?: T;
  status?: string;
  meta?: unknown;
}

/**
 * A POST body (seed, "Create Borrower Phone"): `type` and `number` mandatory. A PUT body carries only the
 * fields that change ("Fields not included will remain unchanged"); null clears memo, extension and carrier.
 */
export interface WirePhoneWrite {
  type?: number;
  mobile_carrier_id?: number | null;
  /** National digits, e.g. "6789321578": the vendor stores them as 678-932-1578. */
  number?: string;
  extension?: string | null;
  memo?: string | null;
  valid?: 0 | 1;
  no_contact?: 0 | 1;
}

/** Laravel-style errors (inferred, section 4.6): `{"message"}`, validation adds `"errors": {field: [..]}`. */
export interface WireError {
  message?: string;
  errors?: Record<string, unknown>;
}
