/**
 * LoanPro's wire format (OData v2 verbose JSON): `{"d": ...}` envelopes, `__metadata`, 0/1 booleans,
 * `/Date(seconds)/` dates, money as strings. See vendor-apis.md section 1.
 */
export type Flag = 0 | 1 | '0' | '1' | boolean | null;

export interface WireMetadata {
  uri: string;
  type: string;
}

export interface WireDeferred {
  __deferred: { uri: string };
}

export interface WirePhone {
  __metadata?: WireMetadata;
  id: number;
  entityId?: number;
  entityType?: string;
  phone: string;
  type?: string | null;
  isPrimary?: Flag;
  isSecondary?: Flag;
  sbtMktVerifyPIN?: string | null;
  sbtActVerifyPIN?: string | null;
  sbtMktVerifyPending?: Flag;
  sbtActVerifyPending?: Flag;
  sbtMktVerified?: Flag;
  sbtActVerified?: Flag;
  carrierName?: string | null;
  carrierVerified?: Flag;
  isLandLine?: Flag;
  dndEnabled?: Flag;
  active?: Flag;
}

export interface WireCustomer {
  __metadata?: WireMetadata;
  id: number;
  customId?: string | null;
  customerType?: string | null;
  status?: string | null;
  firstName?: string | null;
  middleName?: string | null;
  lastName?: string | null;
  companyName?: string | null;
  contactName?: string | null;
  email?: string | null;
  birthDate?: string | null;
  ssn?: string | null;
  driverLicense?: string | null;
  creditLimit?: string | number | null;
  ofacMatch?: Flag;
  ofacTested?: Flag;
  /** Expanded: a bare array (as the SDK reads it) or `{results: [...]}`; otherwise a `__deferred` link. */
  Phones?: WirePhone[] | { results: WirePhone[] } | WireDeferred;
}

export interface WireCollection<T> {
  d: { results: T[]; summary?: { start: number; pageSize: number; total?: number } };
}

/**
 * A hit of `Customers/Autopal.Search()`: a flattened customer index document (vendor-apis.md 1.6, 1.8). Only
 * what the gateway reads is typed; the index carries more (ssn among them: never read here).
 */
export interface WireSearchDocument {
  id: number;
  customId?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** The customer's primary phone as LoanPro stores it (10 digits, no +1). */
  primaryPhone?: string | null;
  /** "0" or "1": the primary phone's dndEnabled. */
  primaryPhoneDnd?: string | null;
}

/** One `match` clause of the search DSL (Elasticsearch), on one index field. */
export interface WireSearchMatch {
  match: { primaryPhone: string };
}

/** The body of `Customers/Autopal.Search()`: the subset the gateway sends. */
export interface WireSearchQuery {
  query: { bool: { must?: WireSearchMatch | WireSearchMatch[]; should?: WireSearchMatch[] } };
}

export interface WireEntity<T> {
  d: T;
}

export interface WireError {
  error?: {
    message?: string | { value?: string };
    type?: string;
    code?: number;
    warnings?: string[];
  };
  warnings?: string[];
}

/** A nested phone in a PUT body: `__id` + `__update` edits, `__id` + `__delete` removes, no `__id` creates. */
export interface WirePhoneWrite {
  __id?: number;
  __update?: true;
  __delete?: true;
  phone?: string;
  type?: string;
  isPrimary?: 0 | 1;
}

/** A PUT body: only the fields that change; `null` clears a field (LoanPro stores it empty, or its zero date). */
export interface WireCustomerUpdate {
  __id: number;
  __update: true;
  customId?: string | null;
  status?: string | null;
  firstName?: string | null;
  middleName?: string | null;
  lastName?: string | null;
  email?: string | null;
  companyName?: string | null;
  contactName?: string | null;
  birthDate?: string | null;
  ssn?: string | null;
  driverLicense?: string | null;
  accessUserName?: string | null;
  accessPassword?: string | null;
  Phones?: { results: WirePhoneWrite[] };
}
