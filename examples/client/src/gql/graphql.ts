/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** What a message is for; consent for one purpose never authorises another. Each Vibes list counts for the purpose VIBES_LIST_PURPOSES gives it (MARKETING when unnamed). */
export type ConsentPurpose =
  /** Account servicing: messages about an existing account (payment reminders, alerts). */
  | 'ACCOUNT'
  /** Collections: contact about a debt. */
  | 'COLLECTIONS'
  /** Marketing messages. */
  | 'MARKETING';

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

export type ExampleCustomerPhonesQueryVariables = Exact<{
  id: string | number;
}>;


export type ExampleCustomerPhonesQuery = { customer: { id: string, firstName: string | null, lastName: string | null, phones: Array<{ id: string, number: string | null, type: PhoneType, isPrimary: boolean | null, doNotContact: boolean }> } | null };

export type ExampleContactCheckQueryVariables = Exact<{
  number: string;
  purpose: ConsentPurpose;
}>;


export type ExampleContactCheckQuery = { phone: { number: string, person: { key: string } | null, contactability: { allowed: boolean, reasons: Array<string>, unavailableSources: Array<Vendor> } } };

export type ExampleOptOutMutationVariables = Exact<{
  personKey: string | number;
  listId: string | number;
}>;


export type ExampleOptOutMutation = { optOutPerson: { listId: string, active: boolean, optOutDate: string | null } };


export const ExampleCustomerPhonesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExampleCustomerPhones"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"phones"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"isPrimary"}},{"kind":"Field","name":{"kind":"Name","value":"doNotContact"}}]}}]}}]}}]} as unknown as DocumentNode<ExampleCustomerPhonesQuery, ExampleCustomerPhonesQueryVariables>;
export const ExampleContactCheckDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExampleContactCheck"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"number"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PhoneNumber"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"purpose"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConsentPurpose"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phone"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"number"},"value":{"kind":"Variable","name":{"kind":"Name","value":"number"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"person"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contactability"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"purpose"},"value":{"kind":"Variable","name":{"kind":"Name","value":"purpose"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"}},{"kind":"Field","name":{"kind":"Name","value":"unavailableSources"}}]}}]}}]}}]} as unknown as DocumentNode<ExampleContactCheckQuery, ExampleContactCheckQueryVariables>;
export const ExampleOptOutDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ExampleOptOut"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"personKey"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"listId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"optOutPerson"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"personKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"personKey"}}},{"kind":"Argument","name":{"kind":"Name","value":"listId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"listId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"listId"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"optOutDate"}}]}}]}}]} as unknown as DocumentNode<ExampleOptOutMutation, ExampleOptOutMutationVariables>;