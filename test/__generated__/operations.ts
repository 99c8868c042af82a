/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** A RecoveryConnect borrower phone. Create needs number and typeId. Update sends only the fields present: an absent field is unchanged; null clears extension, memo and mobileCarrierId, and is BAD_USER_INPUT for the others. */
export type BorrowerPhoneInput = {
  /** RecoveryConnect no_contact: true means do not contact this number. */
  doNotContact?: boolean | null | undefined;
  /** Digits only, at most 10. */
  extension?: string | null | undefined;
  /** At most 255 characters. */
  memo?: string | null | undefined;
  /** RecoveryConnect mobile carrier id (a positive whole number). */
  mobileCarrierId?: number | null | undefined;
  /** E.164 with country code +1: RecoveryConnect stores 10-digit North American numbers. */
  number?: string | null | undefined;
  /** RecoveryConnect phone type id (a positive whole number; 5 and 6 are the ones seen), read back as Phone.type through RECOVERYCONNECT_PHONE_TYPES. */
  typeId?: number | null | undefined;
  /** RecoveryConnect valid: whether the number is good. */
  valid?: boolean | null | undefined;
};

/** Evidence of consent gathered outside SBT (who, how, when), required to skip the customer's own PIN confirmation. Every field is required and validated; an invalid one is BAD_USER_INPUT naming its path (bypass.method, bypass.capturedAt, bypass.reference). It is kept in the consent ledger's detail of every event the bypass records. */
export type BypassAttestationInput = {
  /** When the customer gave the consent (ISO-8601 with offset). Not in the future. It becomes the ledger events' occurredAt, so a revocation recorded after that time still wins over the bypass. */
  capturedAt: string;
  /** How the consent was captured, e.g. "signed paper form", "recorded call". 1-100 characters, not blank, no control characters. */
  method: string;
  /** Where the evidence can be found (a document id, a call recording id, a ticket). 1-255 characters, not blank, no control characters. */
  reference: string;
};

/** How a consent fact was established. */
export type ConsentEvidence =
  /** Consent gathered outside the PIN flow, attested through the gateway (who, how, when). */
  | 'BYPASS_ATTESTED'
  /** Recorded in the ledger by an operator. */
  | 'OPERATOR'
  /** The PIN SBT texted to the number was confirmed. */
  | 'PIN_CONFIRMED'
  /** A Vibes subscription callback (opt-in or opt-out) the gateway received and recorded. */
  | 'SUBSCRIPTION_CALLBACK'
  /** What a vendor's record says now, read live (e.g. a Vibes subscription). */
  | 'VENDOR_FLAG';

/** What a message is for; consent for one purpose never authorises another. Each Vibes list counts for the purpose VIBES_LIST_PURPOSES gives it (MARKETING when unnamed). */
export type ConsentPurpose =
  /** Account servicing: messages about an existing account (payment reminders, alerts). */
  | 'ACCOUNT'
  /** Collections: contact about a debt. */
  | 'COLLECTIONS'
  /** Marketing messages. */
  | 'MARKETING';

/** Where a consent fact comes from. */
export type ConsentSource =
  /** An entry made in the gateway's consent ledger itself (by an operator). */
  | 'LEDGER'
  /** LoanPro's dndEnabled (do not disturb) flag on a customer phone. */
  | 'LOANPRO_DND'
  /** RecoveryConnect's no_contact flag on a borrower phone. */
  | 'RECOVERY_CONNECT'
  /** LoanPro's SBT (Solutions By Text) verification of a phone: PIN confirmations and bypass attestations. */
  | 'SBT'
  /** Vibes subscription lists: callbacks recorded in the ledger, and the subscriptions Vibes holds now. */
  | 'VIBES';

/** GRANTED permits; PENDING (an opt-in not yet confirmed), NONE and REVOKED do not. */
export type ConsentStatus =
  /** Consent is held: the source permits contact for the purpose. */
  | 'GRANTED'
  /** The source says no consent is held; blocks contact. */
  | 'NONE'
  /** An opt-in not yet confirmed (a Vibes opt-in callback not yet confirmed by reading Vibes back, an SBT PIN not yet entered); blocks contact. */
  | 'PENDING'
  /** Consent was withdrawn (an opt-out, a texted STOP); blocks contact. */
  | 'REVOKED';

/** A phone in the same PUT: with `id`, update (or delete) that phone; without, create one. */
export type CustomerPhoneInput = {
  /** true deletes the phone named by id; takes no other field. */
  delete?: boolean | null | undefined;
  /** Phone.id ("loanpro:803") or the vendor id ("803") of a phone the customer has (BAD_USER_INPUT otherwise); each id once per input. */
  id?: string | number | null | undefined;
  /** true makes it the primary phone (LoanPro unsets the others); at most one per input. */
  isPrimary?: boolean | null | undefined;
  /** E.164; required for a new phone. LoanPro stores it as national digits in PHONE_DEFAULT_REGION. */
  number?: string | null | undefined;
  /** UNKNOWN cannot be written (BAD_USER_INPUT): use OTHER. */
  type?: PhoneType | null | undefined;
};

/** LoanPro customerType. */
export type CustomerType =
  /** customer.type.company: a business (see companyName and contactName). */
  | 'COMPANY'
  /** customer.type.flooringCustomer: LoanPro's floor-plan (dealer inventory) financing customer. */
  | 'FLOORING'
  /** customer.type.individual: a person. */
  | 'INDIVIDUAL';

/** What a number can do (MessageMedia capabilities; service_types in searches). */
export type NumberCapability =
  /** Multimedia messages. */
  | 'MMS'
  /** Text messages. */
  | 'SMS'
  /** Text to speech: voice calls that read a message out. */
  | 'TTS';

/** MessageMedia's price band of a number; MessageMedia sets the prices. */
export type NumberClassification =
  /** MessageMedia band BRONZE. */
  | 'BRONZE'
  /** MessageMedia band GOLD. */
  | 'GOLD'
  /** MessageMedia band SILVER. */
  | 'SILVER';

/** The kind of a dedicated number (MessageMedia type). */
export type NumberType =
  /** A 10DLC number owned elsewhere and hosted at MessageMedia for messaging. */
  | 'HOSTED_TEN_DLC'
  /** A toll-free number owned elsewhere and hosted at MessageMedia for messaging. */
  | 'HOSTED_TOLL_FREE'
  /** A landline number. */
  | 'LANDLINE'
  /** A mobile number. */
  | 'MOBILE'
  /** A US short code (5-6 digits): DedicatedNumber.phoneNumber is null, raw holds the code. */
  | 'SHORT_CODE'
  /** A US 10-digit long code for application-to-person messaging (10DLC). */
  | 'TEN_DLC'
  /** A toll-free number. */
  | 'TOLL_FREE';

/** A person to write to Vibes. An absent field is unchanged; null clears it where Vibes can (mobile, carrierCode, one custom field) and is BAD_USER_INPUT elsewhere. At least one of externalId and mobile identifies the person. */
export type PersonInput = {
  /** Vibes carrier code, digits (e.g. "104"). Null removes it. */
  carrierCode?: string | null | undefined;
  /** Merged field by field into what Vibes holds; a field set to null is removed. At most 50 fields; each a string (up to 1000 characters), an {id, name} option, or a list of options. The fields must be configured at Vibes. */
  customFields?: Record<string, unknown> | null | undefined;
  /** Vibes' external_person_id (1-128 characters, no "/"). Given: the person with this id is updated, or added when Vibes does not know it. It cannot be cleared. */
  externalId?: string | null | undefined;
  /** The MDN, E.164. Vibes cannot change an MDN (CONFLICT), only set one where there is none or remove it with null (the carrier code goes with it). */
  mobile?: string | null | undefined;
};

/** A phone's kind in the gateway's terms, mapped from each vendor's own types. */
export type PhoneType =
  /** LoanPro fax. */
  | 'FAX'
  /** LoanPro home; RecoveryConnect type 6 unless RECOVERYCONNECT_PHONE_TYPES says otherwise. */
  | 'HOME'
  /** LoanPro cell or cellSmartPhone; RecoveryConnect type 5 unless RECOVERYCONNECT_PHONE_TYPES says otherwise. */
  | 'MOBILE'
  /** LoanPro other. */
  | 'OTHER'
  /** A vendor type the gateway does not map (e.g. a RecoveryConnect id missing from RECOVERYCONNECT_PHONE_TYPES). Writing it (CustomerPhoneInput.type) is BAD_USER_INPUT. */
  | 'UNKNOWN'
  /** LoanPro office. */
  | 'WORK';

/** Only the fields present are sent to LoanPro: an absent field is unchanged; null clears it where LoanPro can (customId, middleName, email, companyName, contactName, driverLicense, birthDate, ssn) and is BAD_USER_INPUT elsewhere. */
export type UpdateCustomerInput = {
  /** The portal password, 8-128 characters. Write-only: no query ever returns it; cannot be cleared. */
  accessPassword?: string | null | undefined;
  /** The customer's LoanPro portal login, 1-100 characters. Write-only; cannot be cleared. */
  accessUserName?: string | null | undefined;
  /** YYYY-MM-DD, not in the future; null clears it. */
  birthDate?: string | null | undefined;
  /** At most 255 characters; null clears it. */
  companyName?: string | null | undefined;
  /** At most 255 characters; null clears it. */
  contactName?: string | null | undefined;
  /** At most 100 characters; null clears it. */
  customId?: string | null | undefined;
  /** At most 50 characters; null clears it. */
  driverLicense?: string | null | undefined;
  /** An email address, at most 254 characters; null clears it. */
  email?: string | null | undefined;
  /** At most 100 characters; cannot be cleared. */
  firstName?: string | null | undefined;
  /** At most 100 characters; cannot be cleared. */
  lastName?: string | null | undefined;
  /** At most 100 characters; null clears it. */
  middleName?: string | null | undefined;
  /** Nested create / update / delete in the same PUT, at most 20 entries; null is BAD_USER_INPUT (delete phones with { id, delete: true }). */
  phones?: Array<CustomerPhoneInput> | null | undefined;
  /** Nine digits, with or without dashes; null clears it. Never echoed in errors or logs. */
  ssn?: string | null | undefined;
  /** LoanPro customer status, 1-100 characters; cannot be cleared. */
  status?: string | null | undefined;
};

/** The contact-data vendors behind the gateway; errors a vendor caused name it in extensions.vendor. */
export type Vendor =
  /** LoanPro, the lending CRM: customers and their phones. */
  | 'LOANPRO'
  /** MessageMedia: dedicated numbers to send messages from. */
  | 'MESSAGEMEDIA'
  /** RecoveryConnect, the collections platform: orders, borrowers and their phones. */
  | 'RECOVERY_CONNECT'
  /** Vibes, the mobile marketing platform: persons, subscription lists and their consent callbacks. */
  | 'VIBES';

export type BorrowerPhoneFieldsFragment = { id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, typeId: number | null, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, mobileCarrierId: number | null, memo: string | null, valid: boolean | null, doNotContact: boolean };

export type BorrowerFieldsFragment = { id: string, orderId: string, firstName: string | null, middleInitial: string | null, lastName: string | null, role: string | null, isPrimary: boolean | null };

export type OrderQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderQuery = { order: { id: string, borrowers: Array<{ id: string, orderId: string, firstName: string | null, middleInitial: string | null, lastName: string | null, role: string | null, isPrimary: boolean | null, phones: Array<{ id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, typeId: number | null, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, mobileCarrierId: number | null, memo: string | null, valid: boolean | null, doNotContact: boolean }> | null }> } | null };

export type OrderBorrowersQueryVariables = Exact<{
  id: string | number;
}>;


export type OrderBorrowersQuery = { order: { id: string, borrowers: Array<{ id: string, orderId: string, firstName: string | null, middleInitial: string | null, lastName: string | null, role: string | null, isPrimary: boolean | null }> } | null };

export type BorrowerQueryVariables = Exact<{
  orderId: string | number;
  borrowerId: string | number;
}>;


export type BorrowerQuery = { borrower: { id: string, orderId: string, firstName: string | null, middleInitial: string | null, lastName: string | null, role: string | null, isPrimary: boolean | null, phones: Array<{ id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, typeId: number | null, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, mobileCarrierId: number | null, memo: string | null, valid: boolean | null, doNotContact: boolean }> | null } | null };

export type CreateBorrowerPhoneMutationVariables = Exact<{
  orderId: string | number;
  borrowerId: string | number;
  input: BorrowerPhoneInput;
}>;


export type CreateBorrowerPhoneMutation = { createBorrowerPhone: { id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, typeId: number | null, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, mobileCarrierId: number | null, memo: string | null, valid: boolean | null, doNotContact: boolean } };

export type UpdateBorrowerPhoneMutationVariables = Exact<{
  orderId: string | number;
  borrowerId: string | number;
  phoneId: string | number;
  input: BorrowerPhoneInput;
}>;


export type UpdateBorrowerPhoneMutation = { updateBorrowerPhone: { id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, typeId: number | null, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, mobileCarrierId: number | null, memo: string | null, valid: boolean | null, doNotContact: boolean } };

export type DeleteBorrowerPhoneMutationVariables = Exact<{
  orderId: string | number;
  borrowerId: string | number;
  phoneId: string | number;
}>;


export type DeleteBorrowerPhoneMutation = { deleteBorrowerPhone: boolean };

export type ConsentFactFieldsFragment = { number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null };

export type ConsentEventFieldsFragment = { id: string, number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence, occurredAt: string, recordedAt: string, actor: string | null, vendorEventId: string | null, listId: string | null, correctsEventId: string | null, detail: Record<string, unknown> | null };

export type ContactabilityFieldsFragment = { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> };

export type PhoneLookupQueryVariables = Exact<{
  number: string;
  purpose: ConsentPurpose;
}>;


export type PhoneLookupQuery = { phone: { number: string, history: Array<{ id: string, number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence, occurredAt: string, recordedAt: string, actor: string | null, vendorEventId: string | null, listId: string | null, correctsEventId: string | null, detail: Record<string, unknown> | null }> | null, consents: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }>, contactability: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> } } };

export type PhoneEverythingQueryVariables = Exact<{
  number: string;
}>;


export type PhoneEverythingQuery = { phone: { number: string, person: { key: string, externalId: string | null, mobile: string | null } | null, consents: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }>, history: Array<{ id: string, number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence, occurredAt: string, recordedAt: string, actor: string | null, vendorEventId: string | null, listId: string | null, correctsEventId: string | null, detail: Record<string, unknown> | null }> | null, account: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, marketing: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, collections: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> } } };

export type PhonePersonQueryVariables = Exact<{
  number: string;
}>;


export type PhonePersonQuery = { phone: { number: string, person: { key: string, externalId: string | null, mobile: string | null } | null } };

export type PhoneHistoryQueryVariables = Exact<{
  number: string;
  limit: number;
}>;


export type PhoneHistoryQuery = { phone: { history: Array<{ id: string, status: ConsentStatus }> | null } };

export type ConsentChangedSubscriptionVariables = Exact<{
  number?: string | null | undefined;
}>;


export type ConsentChangedSubscription = { consentChanged: { id: string, number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence, occurredAt: string, recordedAt: string, actor: string | null, vendorEventId: string | null, listId: string | null, correctsEventId: string | null, detail: Record<string, unknown> | null } };

export type PhoneConsentFieldsFragment = { id: string, number: string | null, doNotContact: boolean, consents: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }>, account: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, marketing: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, collections: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> } };

export type CustomerPhoneConsentsQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerPhoneConsentsQuery = { customer: { id: string, phones: Array<{ id: string, number: string | null, doNotContact: boolean, consents: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }>, account: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, marketing: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, collections: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> } }> } | null };

export type BorrowerPhoneConsentsQueryVariables = Exact<{
  orderId: string | number;
  borrowerId: string | number;
}>;


export type BorrowerPhoneConsentsQuery = { borrower: { id: string, phones: Array<{ id: string, number: string | null, doNotContact: boolean, consents: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }>, account: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, marketing: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, collections: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> } }> | null } | null };

export type PhoneCustomersQueryVariables = Exact<{
  number: string;
}>;


export type PhoneCustomersQuery = { phone: { number: string, customers: Array<{ id: string, firstName: string | null, lastName: string | null }> | null, consents: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }>, collections: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> }, marketing: { allowed: boolean, purpose: ConsentPurpose, reasons: Array<string>, unavailableSources: Array<Vendor>, blockedBy: Array<{ number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null, reason: string | null, listId: string | null }> } } };

export type PhoneFieldsFragment = { id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, doNotContact: boolean };

export type CustomerFieldsFragment = { id: string, customId: string | null, type: CustomerType | null, status: string | null, firstName: string | null, middleName: string | null, lastName: string | null, companyName: string | null, contactName: string | null, email: string | null, ssnLast4: string | null, creditLimit: number | null, ofacMatch: boolean | null, ofacTested: boolean | null, phones: Array<{ id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, doNotContact: boolean }> };

export type CustomerQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerQuery = { customer: { id: string, customId: string | null, type: CustomerType | null, status: string | null, firstName: string | null, middleName: string | null, lastName: string | null, companyName: string | null, contactName: string | null, email: string | null, ssnLast4: string | null, creditLimit: number | null, ofacMatch: boolean | null, ofacTested: boolean | null, phones: Array<{ id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, doNotContact: boolean }> } | null };

export type CustomerPiiQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerPiiQuery = { customer: { id: string, ssn: string | null, ssnLast4: string | null, birthDate: string | null, driverLicense: string | null } | null };

export type CustomersQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type CustomersQuery = { customers: Array<{ id: string, customId: string | null, type: CustomerType | null, status: string | null, firstName: string | null, middleName: string | null, lastName: string | null, companyName: string | null, contactName: string | null, email: string | null, ssnLast4: string | null, creditLimit: number | null, ofacMatch: boolean | null, ofacTested: boolean | null, phones: Array<{ id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, doNotContact: boolean }> } | null> };

export type UpdateCustomerMutationVariables = Exact<{
  id: string | number;
  input: UpdateCustomerInput;
}>;


export type UpdateCustomerMutation = { updateCustomer: { id: string, customId: string | null, type: CustomerType | null, status: string | null, firstName: string | null, middleName: string | null, lastName: string | null, companyName: string | null, contactName: string | null, email: string | null, ssnLast4: string | null, creditLimit: number | null, ofacMatch: boolean | null, ofacTested: boolean | null, phones: Array<{ id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, extension: string | null, type: PhoneType, isPrimary: boolean | null, isLandline: boolean | null, carrier: string | null, doNotContact: boolean }> } };

export type NumberFieldsFragment = { id: string, phoneNumber: string | null, raw: string, country: string, type: NumberType, classification: NumberClassification | null, availableAfter: string | null, capabilities: Array<NumberCapability> };

export type AssignmentFieldsFragment = { id: string, numberId: string, label: string | null, metadata: Record<string, unknown> | null };

export type AvailableNumbersQueryVariables = Exact<{
  country: string;
  capabilities?: Array<NumberCapability> | NumberCapability | null | undefined;
  types?: Array<NumberType> | NumberType | null | undefined;
  matching?: string | null | undefined;
  classification?: NumberClassification | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AvailableNumbersQuery = { availableNumbers: { edges: Array<{ cursor: string, node: { id: string, phoneNumber: string | null, raw: string, country: string, type: NumberType, classification: NumberClassification | null, availableAfter: string | null, capabilities: Array<NumberCapability>, assignment: { id: string, numberId: string, label: string | null, metadata: Record<string, unknown> | null } | null } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type DedicatedNumbersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  label?: string | null | undefined;
}>;


export type DedicatedNumbersQuery = { dedicatedNumbers: { edges: Array<{ cursor: string, node: { id: string, phoneNumber: string | null, raw: string, country: string, type: NumberType, classification: NumberClassification | null, availableAfter: string | null, capabilities: Array<NumberCapability>, assignment: { id: string, numberId: string, label: string | null, metadata: Record<string, unknown> | null } | null } | null }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null };

export type DedicatedNumberQueryVariables = Exact<{
  id: string | number;
}>;


export type DedicatedNumberQuery = { dedicatedNumber: { id: string, phoneNumber: string | null, raw: string, country: string, type: NumberType, classification: NumberClassification | null, availableAfter: string | null, capabilities: Array<NumberCapability>, assignment: { id: string, numberId: string, label: string | null, metadata: Record<string, unknown> | null } | null } | null };

export type DedicatedNumberOnlyQueryVariables = Exact<{
  id: string | number;
}>;


export type DedicatedNumberOnlyQuery = { dedicatedNumber: { id: string, phoneNumber: string | null, raw: string, country: string, type: NumberType, classification: NumberClassification | null, availableAfter: string | null, capabilities: Array<NumberCapability> } | null };

export type AssignDedicatedNumberMutationVariables = Exact<{
  numberId: string | number;
  label?: string | null | undefined;
  metadata?: Record<string, unknown> | null | undefined;
  idempotencyKey: string;
}>;


export type AssignDedicatedNumberMutation = { assignDedicatedNumber: { id: string, phoneNumber: string | null, raw: string, country: string, type: NumberType, classification: NumberClassification | null, availableAfter: string | null, capabilities: Array<NumberCapability>, assignment: { id: string, numberId: string, label: string | null, metadata: Record<string, unknown> | null } | null } };

export type UpdateNumberAssignmentMutationVariables = Exact<{
  numberId: string | number;
  label?: string | null | undefined;
  metadata?: Record<string, unknown> | null | undefined;
}>;


export type UpdateNumberAssignmentMutation = { updateNumberAssignment: { id: string, phoneNumber: string | null, raw: string, country: string, type: NumberType, classification: NumberClassification | null, availableAfter: string | null, capabilities: Array<NumberCapability>, assignment: { id: string, numberId: string, label: string | null, metadata: Record<string, unknown> | null } | null } };

export type ReleaseDedicatedNumberMutationVariables = Exact<{
  numberId: string | number;
  idempotencyKey: string;
}>;


export type ReleaseDedicatedNumberMutation = { releaseDedicatedNumber: boolean };

export type PersonFieldsFragment = { key: string, externalId: string | null, mobile: string | null, carrierCode: string | null, customFields: Record<string, unknown> | null, createdAt: string | null, updatedAt: string | null };

export type SubscriptionFieldsFragment = { listId: string, optInDate: string | null, optOutDate: string | null, optOutReason: string | null, active: boolean };

export type PersonByKeyQueryVariables = Exact<{
  key: string | number;
}>;


export type PersonByKeyQuery = { person: { key: string, externalId: string | null, mobile: string | null, carrierCode: string | null, customFields: Record<string, unknown> | null, createdAt: string | null, updatedAt: string | null, subscriptions: Array<{ listId: string, optInDate: string | null, optOutDate: string | null, optOutReason: string | null, active: boolean }> | null } | null };

export type PersonByExternalIdQueryVariables = Exact<{
  externalId: string;
}>;


export type PersonByExternalIdQuery = { person: { key: string, externalId: string | null, mobile: string | null, carrierCode: string | null, customFields: Record<string, unknown> | null, createdAt: string | null, updatedAt: string | null, subscriptions: Array<{ listId: string, optInDate: string | null, optOutDate: string | null, optOutReason: string | null, active: boolean }> | null, active: Array<{ listId: string }> | null } | null };

export type PersonByMobileQueryVariables = Exact<{
  mobile: string;
}>;


export type PersonByMobileQuery = { person: { key: string, externalId: string | null, mobile: string | null, carrierCode: string | null, customFields: Record<string, unknown> | null, createdAt: string | null, updatedAt: string | null } | null };

export type PersonLookupQueryVariables = Exact<{
  key?: string | number | null | undefined;
  externalId?: string | null | undefined;
  mobile?: string | null | undefined;
}>;


export type PersonLookupQuery = { person: { key: string } | null };

export type CustomersWithPersonsQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type CustomersWithPersonsQuery = { customers: Array<{ id: string, person: { key: string, externalId: string | null, mobile: string | null } | null } | null> };

export type CustomerPersonSubscriptionsQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerPersonSubscriptionsQuery = { customer: { id: string, firstName: string | null, person: { key: string, subscriptions: Array<{ listId: string, optInDate: string | null, optOutDate: string | null, optOutReason: string | null, active: boolean }> | null } | null } | null };

export type UpsertPersonMutationVariables = Exact<{
  input: PersonInput;
}>;


export type UpsertPersonMutation = { upsertPerson: { key: string, externalId: string | null, mobile: string | null, carrierCode: string | null, customFields: Record<string, unknown> | null, createdAt: string | null, updatedAt: string | null } };

export type UpsertPersonWithSubscriptionsMutationVariables = Exact<{
  input: PersonInput;
}>;


export type UpsertPersonWithSubscriptionsMutation = { upsertPerson: { key: string, externalId: string | null, mobile: string | null, carrierCode: string | null, customFields: Record<string, unknown> | null, createdAt: string | null, updatedAt: string | null, subscriptions: Array<{ listId: string, optInDate: string | null, optOutDate: string | null, optOutReason: string | null, active: boolean }> | null } };

export type UpsertTwoPersonsMutationVariables = Exact<{
  first: PersonInput;
  second: PersonInput;
}>;


export type UpsertTwoPersonsMutation = { first: { key: string, externalId: string | null, mobile: string | null, carrierCode: string | null, customFields: Record<string, unknown> | null, createdAt: string | null, updatedAt: string | null }, second: { key: string, externalId: string | null, mobile: string | null, carrierCode: string | null, customFields: Record<string, unknown> | null, createdAt: string | null, updatedAt: string | null } };

export type OptOutPersonMutationVariables = Exact<{
  personKey: string | number;
  listId: string | number;
}>;


export type OptOutPersonMutation = { optOutPerson: { listId: string, optInDate: string | null, optOutDate: string | null, optOutReason: string | null, active: boolean } };

export type VerificationPhoneFieldsFragment = { id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, type: PhoneType, isPrimary: boolean | null, doNotContact: boolean };

export type RequestPhoneVerificationMutationVariables = Exact<{
  customerPhoneId: string | number;
  idempotencyKey: string;
}>;


export type RequestPhoneVerificationMutation = { requestPhoneVerification: { pending: Array<ConsentPurpose>, phone: { id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, type: PhoneType, isPrimary: boolean | null, doNotContact: boolean } } };

export type ConfirmPhoneVerificationMutationVariables = Exact<{
  customerPhoneId: string | number;
  purpose: ConsentPurpose;
  pin: string;
}>;


export type ConfirmPhoneVerificationMutation = { confirmPhoneVerification: { number: string, purpose: ConsentPurpose, status: ConsentStatus, source: ConsentSource, evidence: ConsentEvidence | null, since: string | null } };

export type VerifyCustomerPhonesMutationVariables = Exact<{
  customerId: string | number;
  bypass?: BypassAttestationInput | null | undefined;
  idempotencyKey: string;
}>;


export type VerifyCustomerPhonesMutation = { verifyCustomerPhones: Array<{ id: string, vendor: Vendor, vendorId: string, number: string | null, raw: string, type: PhoneType, isPrimary: boolean | null, doNotContact: boolean }> };
