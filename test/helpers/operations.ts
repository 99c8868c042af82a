import { readFileSync } from 'node:fs';

/** The typed operations of test/operations (codegen types them into test/__generated__/operations.ts). */
export const CUSTOMER_OPERATIONS = readFileSync(new URL('../operations/customer.graphql', import.meta.url), 'utf8');

/** The document with only the named operation's selection used (fragments come along). */
export function operation(name: string): { query: string; operationName: string } {
  return { query: CUSTOMER_OPERATIONS, operationName: name };
}

/** test/operations/borrower.graphql: the RecoveryConnect operations. */
export const BORROWER_OPERATIONS = readFileSync(new URL('../operations/borrower.graphql', import.meta.url), 'utf8');

export function borrowerOperation(name: string): { query: string; operationName: string } {
  return { query: BORROWER_OPERATIONS, operationName: name };
}
