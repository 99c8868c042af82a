/**
 * Property: whatever invalid `updateCustomer` input a client sends, as variables or as literals, no password,
 * email, SSN or phone number it holds (nor the digits of one, however spelled) comes back in the response or
 * reaches a log line. Inputs are random but reproducible (fixed seed), and every one is invalid at the GraphQL
 * layer, so nothing reaches LoanPro.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, WRITER_KEY, type TestGateway } from '../../helpers/gateway.js';

const SEED = 20240611;
const MUTATION = 'mutation Update($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }';
/** The example number in PhoneNumber's own error message: generated numbers must not be it. */
const EXAMPLE_NUMBER = '16789321578';

interface Secret {
  /** As sent. */
  readonly text: string;
  /** The digits that identify a phone number or SSN, whatever the spelling; undefined for text secrets. */
  readonly core?: string;
}

const digit = fc.integer({ min: 0, max: 9 });
const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));

/** US numbers in the spellings people write, none of them E.164 (so each is an invalid PhoneNumber). */
const usPhone: fc.Arbitrary<Secret> = fc
  .tuple(fc.integer({ min: 2, max: 9 }), digits(2), digits(3), digits(4), fc.integer({ min: 0, max: 5 }))
  .map(([first, rest, exchange, line, spelling]) => {
    const area = `${first}${rest}`;
    const text = [
      `+1 (${area}) ${exchange}-${line}`,
      `${area}.${exchange}.${line}`,
      `${area}${exchange}${line}`,
      `(${area}) ${exchange} ${line}`,
      `1-${area}-${exchange}-${line}`,
      `${area}-${exchange}-${line}`,
    ][spelling]!;
    return { text, core: `${area}${exchange}${line}` };
  })
  .filter((secret) => !EXAMPLE_NUMBER.includes(secret.core!));

/** Australian mobiles as written locally or internationally with spaces: "+61 439 742 682", "0439 742 682". */
const auPhone: fc.Arbitrary<Secret> = fc
  .tuple(digits(2), digits(3), digits(3), fc.boolean())
  .map(([a, b, c, international]) => ({ text: international ? `+61 4${a} ${b} ${c}` : `04${a} ${b} ${c}`, core: `4${a}${b}${c}` }));

const ssn: fc.Arbitrary<Secret> = fc
  .tuple(fc.integer({ min: 100, max: 899 }), digits(2), digits(4), fc.constantFrom('-', '', ' '))
  .map(([area, group, serial, sep]) => ({ text: `${area}${sep}${group}${sep}${serial}`, core: `${area}${group}${serial}` }));

const password: fc.Arbitrary<Secret> = fc.stringMatching(/^[A-Za-z0-9!#%*_+=-]{12,24}$/).map((text) => ({ text }));

// ASCII addresses, so literals and JSON spell them the same way.
const email: fc.Arbitrary<Secret> = fc
  .emailAddress()
  .filter((address) => /^[\x21-\x7e]+$/.test(address) && address.length >= 8)
  .map((text) => ({ text }));

/** Where an input carries a secret so that graphql-js refuses it (or, for `valid`, accepts that field). */
type Carrier = 'unknownField' | 'objectForString' | 'listForString' | 'phoneNumber' | 'phoneType' | 'phoneId' | 'tooLong' | 'valid';
const INVALID_CARRIERS: readonly Carrier[] = ['unknownField', 'objectForString', 'listForString', 'phoneNumber', 'phoneType', 'phoneId', 'tooLong'];
const UNKNOWN_FIELDS = ['password', 'ssnFull', 'emailAddress', 'homePhone', 'pin', 'secretAnswer'];

interface Case {
  readonly secrets: readonly Secret[];
  readonly input: Record<string, unknown>;
  readonly literal: boolean;
}

function buildInput(placed: ReadonlyArray<{ secret: Secret; carrier: Carrier; field: string }>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const phones: Array<Record<string, unknown>> = [];
  placed.forEach(({ secret, carrier, field }, index) => {
    switch (carrier) {
      case 'unknownField':
        input[`${field}${index}`] = secret.text;
        break;
      case 'objectForString':
        input.firstName = { value: secret.text, note: 'not a string' };
        break;
      case 'listForString':
        input.companyName = [secret.text];
        break;
      case 'phoneNumber':
        phones.push({ number: secret.text, type: 'MOBILE' });
        break;
      case 'phoneType':
        phones.push({ type: secret.text });
        break;
      case 'phoneId':
        phones.push({ id: { ref: secret.text } });
        break;
      case 'tooLong':
        input[`${field}${index}`] = `${'x'.repeat(3000)} ${secret.text} ${'y'.repeat(3000)}`;
        break;
      case 'valid':
        input[['accessPassword', 'email', 'contactName', 'driverLicense'][index % 4]!] = secret.text;
        break;
    }
  });
  if (phones.length > 0) input.phones = phones;
  return input;
}

const invalidCase: fc.Arbitrary<Case> = fc
  .record({
    secrets: fc.tuple(password, email, ssn, fc.oneof(usPhone, auPhone)),
    carriers: fc.tuple(...Array.from({ length: 4 }, () => fc.constantFrom<Carrier>(...INVALID_CARRIERS, 'valid'))),
    forced: fc.constantFrom(...INVALID_CARRIERS),
    fields: fc.tuple(...Array.from({ length: 4 }, () => fc.constantFrom(...UNKNOWN_FIELDS))),
    literal: fc.boolean(),
  })
  .map(({ secrets, carriers, forced, fields, literal }) => {
    // At least one secret sits where graphql-js refuses it, so the input as a whole is invalid.
    const chosen = carriers.every((c) => c === 'valid') ? [forced, ...carriers.slice(1)] : carriers;
    const placed = secrets.map((secret, i) => ({ secret, carrier: chosen[i]!, field: fields[i]! }));
    return { secrets, input: buildInput(placed), literal };
  });

/** A GraphQL literal for a JSON value: strings stay strings (so a string where an enum goes is invalid too). */
function toLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{ ${Object.entries(value as Record<string, unknown>)
      .map(([key, field]) => `${key}: ${key === 'type' && field === 'MOBILE' ? 'MOBILE' : toLiteral(field)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** Every run of digits (with the separators people put in numbers), as digits only. */
function digitRuns(text: string): string[] {
  return (text.match(/\d[\d\s().+-]*\d/g) ?? []).map((run) => run.replace(/\D/g, ''));
}

function expectNoSecret(text: string, secrets: readonly Secret[], where: string) {
  const runs = digitRuns(text);
  for (const secret of secrets) {
    expect(text, `${where} holds ${secret.text}`).not.toContain(secret.text);
    expect(text, `${where} holds ${secret.text} (JSON-escaped)`).not.toContain(JSON.stringify(secret.text).slice(1, -1));
    if (secret.core) {
      const core = secret.core;
      expect(runs.find((run) => run.includes(core)), `${where} holds the digits of ${secret.text}`).toBeUndefined();
    }
  }
}

describe('no PII from invalid input reaches a response or a log line (property)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  async function send(testCase: Case) {
    const before = gw.logs.length;
    gw.resetRequestLog();
    const res = testCase.literal
      ? await gw.gql(`mutation { updateCustomer(id: "1178", input: ${toLiteral(testCase.input)}) { id } }`, undefined, { key: WRITER_KEY })
      : await gw.gql(MUTATION, { id: '1178', input: testCase.input }, { key: WRITER_KEY });
    return { res, logs: gw.logs.slice(before).join('') };
  }

  it('for passwords, emails, SSNs and phone numbers in unknown fields, wrong types, phone lists and too-long strings', async () => {
    await fc.assert(
      fc.asyncProperty(invalidCase, async (testCase) => {
        const { res, logs } = await send(testCase);
        expect(res.errors?.length, JSON.stringify(res)).toBeGreaterThan(0);
        for (const error of res.errors!) expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
        // Refused before any vendor call.
        expect(gw.loanproRequests()).toEqual([]);
        expect(logs.length).toBeGreaterThan(0); // the refusal is logged, so the log side is really checked
        expectNoSecret(JSON.stringify({ data: res.data, errors: res.errors }), testCase.secrets, 'the response');
        expectNoSecret(logs, testCase.secrets, 'the log');
      }),
      { numRuns: 80, seed: SEED },
    );
  });

  it('names every invalid phone of a list by its index, and no valid one', async () => {
    const VALID = ['+16514737960', '+61439742682', '+442079460958'];
    const entry = fc.oneof(
      fc.constantFrom(...VALID).map((number) => ({ number, valid: true })),
      fc.oneof(usPhone, auPhone).map((secret) => ({ number: secret.text, valid: false, secret })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: 1, maxLength: 8 }).filter((list) => list.some((e) => !e.valid)),
        fc.boolean(),
        async (list, literal) => {
          const input = { phones: list.map(({ number }) => ({ number, type: 'MOBILE' })) };
          const { res, logs } = await send({ input, literal, secrets: [] });
          const expected = list.flatMap((e, i) => (e.valid ? [] : [`input.phones[${i}].number`]));
          const named = (res.errors ?? []).flatMap((e) => (e.extensions?.inputPaths as string[] | undefined) ?? []);
          expect(named).toEqual(expected);
          for (const error of res.errors!) expect(error.extensions?.code).toBe('BAD_USER_INPUT');
          const secrets = list.flatMap((e) => ('secret' in e && e.secret ? [e.secret] : []));
          expectNoSecret(JSON.stringify(res.errors), secrets, 'the response');
          expectNoSecret(logs, secrets, 'the log');
        },
      ),
      { numRuns: 50, seed: SEED },
    );
  });
});
