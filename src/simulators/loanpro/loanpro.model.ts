/**
 * The LoanPro simulator's stored records and the constants of LoanPro's wire format (vendor-apis.md 1.3-1.7).
 * Stored records use wire field names; dates are epoch seconds, booleans 0/1, money a "0.00" string.
 */

export type Bit = 0 | 1;

export interface StoredCustomer {
  id: number;
  customId: string | null;
  mcId: number;
  customerType: string;
  status: string;
  firstName: string;
  lastName: string;
  middleName: string;
  /** Epoch seconds (UTC midnight); ZERO_DATE when unset. */
  birthDate: number;
  gender: string;
  generationCode: string;
  email: string;
  /** 9 digits, no dashes ('' when none). */
  ssn: string;
  driverLicense: string;
  companyName: string;
  contactName: string;
  customerIdType: string;
  customerId: string;
  /** Money string, e.g. "0.00". */
  creditLimit: string;
  accessUserName: string;
  /** Write-only: never returned by the API. */
  accessPassword: string | null;
  active: Bit;
  ofacMatch: Bit;
  ofacTested: Bit;
  hasAvatar: Bit;
  /** Epoch seconds. */
  created: number;
  /** Epoch seconds. */
  lastUpdate: number;
  creditScoreId: number | null;
  /** Soft delete: a deleted customer answers 409 like a missing one. Not an API field. */
  deleted: Bit;
}

export interface StoredPhone {
  id: number;
  entityId: number;
  entityType: 'Entity.Customer';
  /** As stored by LoanPro (char(20)); normally 10 bare digits. */
  phone: string;
  type: string;
  isPrimary: Bit;
  isSecondary: Bit;
  sbtMktVerifyPIN: string | null;
  sbtActVerifyPIN: string | null;
  sbtMktVerifyPending: Bit;
  sbtActVerifyPending: Bit;
  sbtMktVerified: Bit;
  sbtActVerified: Bit;
  carrierName: string | null;
  carrierVerified: Bit;
  isLandLine: Bit;
  dndEnabled: Bit;
  active: Bit;
  /** Soft delete (DB column `deleted`): a deleted phone disappears from reads. Not an API field. */
  deleted: Bit;
}

/** The seed a simulator starts from (and returns to on resetData()). */
export interface LoanProSeedData {
  readonly customers: readonly StoredCustomer[];
  readonly phones: readonly StoredPhone[];
}

/** What getCustomer() returns: the stored record plus its non-deleted phones (copies). */
export interface LoanProCustomerRecord extends StoredCustomer {
  phones: StoredPhone[];
}

export const BASE_PATH = '/api/public/api/1';
/** LoanPro's canonical host, used verbatim in `__metadata.uri` whatever host the simulator runs on. */
export const METADATA_ROOT = 'http://loanpro.simnang.com/api/public/api/1/odata.svc';
/** `/Date(-62169984000)/` is LoanPro's "unset" date. */
export const ZERO_DATE = -62169984000;
export const DEFAULT_PAGE_SIZE = 50;

export const CUSTOMER_TYPES = ['customer.type.individual', 'customer.type.company', 'customer.type.flooringCustomer'] as const;
export const GENDERS = ['customer.gender.male', 'customer.gender.female', 'customer.gender.unknown'] as const;
export const GENERATION_CODES = [
  'customer.generationCode.none',
  'customer.generationCode.jr',
  'customer.generationCode.sr',
  'customer.generationCode.ii',
  'customer.generationCode.iii',
  'customer.generationCode.iv',
  'customer.generationCode.v',
  'customer.generationCode.vi',
  'customer.generationCode.vii',
  'customer.generationCode.viii',
  'customer.generationCode.ix',
] as const;
export const CUSTOMER_ID_TYPES = ['customer.idType.ssn', 'customer.idType.sin', 'customer.idType.employerNumber'] as const;
export const PHONE_TYPES = [
  'customer.phoneType.cell',
  'customer.phoneType.cellSmartPhone',
  'customer.phoneType.home',
  'customer.phoneType.office',
  'customer.phoneType.fax',
  'customer.phoneType.other',
] as const;

/** Nested entities of Customer, in LoanPro's order (SDK CUSTOMERS.php). Only Phones is modelled. */
export const CUSTOMER_NAVIGATIONS = [
  'PrimaryAddress',
  'MailAddress',
  'Employer',
  'References',
  'PaymentAccounts',
  'Phones',
  'CustomFieldValues',
  'Documents',
  'CreditScore',
  'Loans',
  'SocialProfiles',
  'Notes',
] as const;
export type CustomerNavigation = (typeof CUSTOMER_NAVIGATIONS)[number];

/** Field types for $filter / $orderby. `bit` is a 0/1 integer (comparable with numbers and true/false). */
export type FieldType = 'int' | 'bit' | 'string' | 'date' | 'money';

/** Customer scalar fields in the order the API returns them (accessPassword is never returned). */
export const CUSTOMER_FIELDS: Readonly<Record<string, FieldType>> = Object.freeze({
  id: 'int',
  customId: 'string',
  mcId: 'int',
  customerType: 'string',
  status: 'string',
  firstName: 'string',
  lastName: 'string',
  middleName: 'string',
  birthDate: 'date',
  gender: 'string',
  generationCode: 'string',
  email: 'string',
  ssn: 'string',
  driverLicense: 'string',
  companyName: 'string',
  contactName: 'string',
  customerIdType: 'string',
  customerId: 'string',
  creditLimit: 'money',
  accessUserName: 'string',
  active: 'bit',
  ofacMatch: 'bit',
  ofacTested: 'bit',
  hasAvatar: 'bit',
  created: 'date',
  lastUpdate: 'date',
  creditScoreId: 'int',
});

/** Phone fields in the order the API returns them. */
export const PHONE_FIELDS: Readonly<Record<string, FieldType>> = Object.freeze({
  id: 'int',
  entityId: 'int',
  entityType: 'string',
  phone: 'string',
  type: 'string',
  isPrimary: 'bit',
  isSecondary: 'bit',
  sbtMktVerifyPIN: 'string',
  sbtActVerifyPIN: 'string',
  sbtMktVerifyPending: 'bit',
  sbtActVerifyPending: 'bit',
  sbtMktVerified: 'bit',
  sbtActVerified: 'bit',
  carrierName: 'string',
  carrierVerified: 'bit',
  isLandLine: 'bit',
  dndEnabled: 'bit',
  active: 'bit',
});

export function formatDate(seconds: number): string {
  return `/Date(${seconds})/`;
}

/** A new phone row with LoanPro's defaults (a cell, not primary, no SBT verification yet, active). */
export function newStoredPhone(id: number, entityId: number, phone: string, fields: Partial<StoredPhone> = {}): StoredPhone {
  return {
    id,
    entityId,
    entityType: 'Entity.Customer',
    phone,
    type: 'customer.phoneType.cell',
    isPrimary: 0,
    isSecondary: 0,
    sbtMktVerifyPIN: null,
    sbtActVerifyPIN: null,
    sbtMktVerifyPending: 0,
    sbtActVerifyPending: 0,
    sbtMktVerified: 0,
    sbtActVerified: 0,
    carrierName: null,
    carrierVerified: 0,
    isLandLine: 0,
    dndEnabled: 0,
    active: 1,
    deleted: 0,
    ...fields,
  };
}
