/**
 * The consent domain as plain data: the contract's enums (schema-contract.graphql: ConsentPurpose, ConsentStatus,
 * ConsentSource, ConsentEvidence) as string unions, one ledger event, and one derived consent. No imports: the
 * store, the processor, the read side and the GraphQL types all build on this file.
 */

export const CONSENT_PURPOSES = ['ACCOUNT', 'MARKETING', 'COLLECTIONS'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_STATUSES = ['GRANTED', 'PENDING', 'REVOKED', 'NONE'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const CONSENT_SOURCES = ['SBT', 'VIBES', 'RECOVERY_CONNECT', 'LOANPRO_DND', 'LEDGER'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const CONSENT_EVIDENCE = [
  'PIN_CONFIRMED',
  'BYPASS_ATTESTED',
  'SUBSCRIPTION_CALLBACK',
  'VENDOR_FLAG',
  'OPERATOR',
] as const;
export type ConsentEvidence = (typeof CONSENT_EVIDENCE)[number];

const member =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): value is T =>
    typeof value === 'string' && (values as readonly string[]).includes(value);

export const isConsentPurpose = member(CONSENT_PURPOSES);
export const isConsentStatus = member(CONSENT_STATUSES);
export const isConsentSource = member(CONSENT_SOURCES);
export const isConsentEvidence = member(CONSENT_EVIDENCE);

/** Free-form facts kept with an event (JSON object: the GraphQL JSONObject). */
export type ConsentDetail = Readonly<Record<string, unknown>>;

/** One row of the append-only consent ledger (GraphQL ConsentEvent, plus the ledger's own bookkeeping). */
export interface ConsentEvent {
  /** ULID: unique, and roughly in recording order. */
  readonly id: string;
  /** E.164. */
  readonly number: string;
  readonly purpose: ConsentPurpose;
  readonly status: ConsentStatus;
  readonly source: ConsentSource;
  readonly evidence: ConsentEvidence;
  /** When it happened at the source (a Vibes callback's event_date). */
  readonly occurredAt: Date;
  /** When the ledger stored it (the store's clock). */
  readonly recordedAt: Date;
  /** The principal that caused it, for events made through the gateway. */
  readonly actor: string | null;
  /** The vendor's id of the event (Vibes event_id). */
  readonly vendorEventId: string | null;
  /** The Vibes subscription list, where that is the source. */
  readonly listId: string | null;
  readonly detail: ConsentDetail | null;
  /** The event this one corrects or resolves (a confirmation names the PENDING event it confirms). */
  readonly correctsEventId: string | null;
  /** Kept at least until then (at least 4 years after recordedAt). */
  readonly retainUntil: Date;
}

/** What a writer supplies; the ledger assigns id, recordedAt and (at least) the retention date. */
export interface NewConsentEvent {
  readonly number: string;
  readonly purpose: ConsentPurpose;
  readonly status: ConsentStatus;
  readonly source: ConsentSource;
  readonly evidence: ConsentEvidence;
  readonly occurredAt: Date;
  readonly actor?: string | null | undefined;
  readonly vendorEventId?: string | null | undefined;
  readonly listId?: string | null | undefined;
  readonly detail?: ConsentDetail | null | undefined;
  readonly correctsEventId?: string | null | undefined;
  /** A later retention date (a litigation hold, a longer Reg F period); never earlier than the 4-year minimum. */
  readonly retainUntil?: Date | undefined;
}

/** What one source knows about one number and purpose (GraphQL Consent). */
export interface Consent {
  readonly number: string;
  readonly purpose: ConsentPurpose;
  readonly status: ConsentStatus;
  readonly source: ConsentSource;
  readonly evidence: ConsentEvidence | null;
  /** When the current status began, where known. */
  readonly since: Date | null;
  /** e.g. a Vibes opt_out_reason. */
  readonly reason: string | null;
  /** Vibes subscription list, where that is the source. */
  readonly listId: string | null;
  /**
   * Not in the schema: the vendor record (its Phone.id, e.g. "loanpro:803") a VENDOR_FLAG fact was read from, live
   * or as the ledger last recorded it. Lets a live read of a record supersede the ledger's copy of it.
   */
  readonly record?: string | null | undefined;
}
