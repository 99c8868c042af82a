// "Can we text this customer?": the customer's phones from LoanPro, then for each number the gateway's consent
// answer (Vibes and the consent ledger, read fresh), and optionally an opt-out of a Vibes list. Every call is typed
// from the schema through ./gql; `main` returns a typed report that the CLI (./cli.ts) prints.
import { ContactCheckDocument, CustomerPhonesDocument, OptOutDocument } from './operations.js';
import type { ConsentPurpose, ExampleCustomerPhonesQuery, ExampleContactCheckQuery, ExampleOptOutMutation } from './gql/graphql.js';
import { request, type GatewayClient, type GatewayError } from './request.js';

export interface ExampleOptions extends GatewayClient {
  readonly customerId: string;
  readonly purpose: ConsentPurpose;
  /** Opt every phone's Vibes person out of this list, then ask again (a write: off unless given). */
  readonly optOutListId?: string | undefined;
}

type Customer = NonNullable<ExampleCustomerPhonesQuery['customer']>;
type Phone = Customer['phones'][number];

export interface PhoneReport {
  readonly phoneId: Phone['id'];
  readonly number: Phone['number'];
  readonly type: Phone['type'];
  readonly isPrimary: Phone['isPrimary'];
  /** LoanPro's own do-not-contact flag on the phone record. */
  readonly doNotContact: Phone['doNotContact'];
  /** The Vibes person with this number, if any. */
  readonly personKey: string | null;
  /** The gateway's answer for the purpose; null when the number is unparseable or the lookup failed. */
  readonly contactability: ExampleContactCheckQuery['phone']['contactability'] | null;
  /** The subscription after the opt-out, when one was asked for and the number has a Vibes person. */
  readonly optOut: ExampleOptOutMutation['optOutPerson'] | null;
}

export interface ContactReport {
  readonly customer: { readonly id: string; readonly name: string } | null;
  readonly purpose: ConsentPurpose;
  readonly phones: readonly PhoneReport[];
  /** Errors of fields that failed while the rest answered (e.g. a vendor down): the report is partial. */
  readonly errors: readonly GatewayError[];
}

/** Settings from the environment and arguments, with the demo gateway's defaults (`npm start`: no auth). */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env, args: readonly string[] = []): ExampleOptions {
  const [customerId = '1178', purpose = 'MARKETING', optOutListId] = args;
  if (purpose !== 'ACCOUNT' && purpose !== 'COLLECTIONS' && purpose !== 'MARKETING') {
    throw new Error(`purpose must be ACCOUNT, COLLECTIONS or MARKETING, not ${purpose}`);
  }
  return {
    url: env.SWITCHBOARD_URL || 'http://localhost:4000/graphql',
    apiKey: env.SWITCHBOARD_API_KEY || undefined,
    customerId,
    purpose,
    optOutListId,
  };
}

export async function main(options: ExampleOptions): Promise<ContactReport> {
  const errors: GatewayError[] = [];
  const found = await request(options, CustomerPhonesDocument, { id: options.customerId });
  errors.push(...found.errors);
  const customer = found.data.customer;
  if (!customer) return { customer: null, purpose: options.purpose, phones: [], errors };

  const phones: PhoneReport[] = [];
  for (const phone of customer.phones) {
    let check = phone.number ? await contactCheck(options, phone.number, errors) : null;
    let optOut: PhoneReport['optOut'] = null;
    const personKey = check?.person?.key ?? null;
    if (options.optOutListId && personKey && phone.number) {
      const done = await request(options, OptOutDocument, { personKey, listId: options.optOutListId });
      errors.push(...done.errors);
      optOut = done.data.optOutPerson;
      check = await contactCheck(options, phone.number, errors);
    }
    phones.push({
      phoneId: phone.id,
      number: phone.number,
      type: phone.type,
      isPrimary: phone.isPrimary,
      doNotContact: phone.doNotContact,
      personKey,
      contactability: check?.contactability ?? null,
      optOut,
    });
  }
  const name = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
  return { customer: { id: customer.id, name }, purpose: options.purpose, phones, errors };
}

async function contactCheck(
  options: ExampleOptions,
  number: string,
  errors: GatewayError[],
): Promise<ExampleContactCheckQuery['phone'] | null> {
  const res = await request(options, ContactCheckDocument, { number, purpose: options.purpose });
  errors.push(...res.errors);
  return res.data.phone;
}
