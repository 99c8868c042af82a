/**
 * The examples, end to end through Apollo: what the client gets and what the log says for input that
 * graphql-js refuses. The random counterpart is pii-property.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, WRITER_KEY, type TestGateway } from '../../helpers/gateway.js';

const MUTATION = 'mutation Update($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { id } }';

interface LogLine {
  level: number;
  reqId?: string;
  msg: string;
  code?: string;
  inputPaths?: string[];
  count?: number;
}

describe('input errors name the path, never the value', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.resetRequestLog());

  function linesOf(requestId: unknown): LogLine[] {
    return gw.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.reqId === requestId && line.code !== undefined);
  }

  it('an unknown field in UpdateCustomerInput: the password and email stay out of the answer and the log', async () => {
    const input = { accessPassword: 'S3cret-pass!word', email: 'bob.borrower@example.com', nickname: 'Bobby' };
    const res = await gw.gql(MUTATION, { id: '1178', input }, { key: WRITER_KEY });
    expect(res.status).toBe(400);
    expect(res.errors).toEqual([
      {
        message: 'Variable "$input" has an invalid value: Field "nickname" is not defined by type "UpdateCustomerInput".',
        locations: [{ line: 1, column: 27 }],
        extensions: { code: 'BAD_USER_INPUT', inputPaths: ['input'], requestId: res.headers['x-request-id'] },
      },
    ]);
    const logged = linesOf(res.headers['x-request-id']);
    expect(logged).toEqual([expect.objectContaining({ level: 30, code: 'BAD_USER_INPUT', msg: res.errors![0]!.message, inputPaths: ['input'] })]);
    const everything = JSON.stringify(res) + gw.logs.join('');
    for (const value of ['S3cret-pass!word', 'bob.borrower@example.com', 'Bobby']) expect(everything).not.toContain(value);
    expect(gw.loanproRequests()).toEqual([]);
  });

  it('an invalid phone in a list says which one, as a variable and as a literal', async () => {
    const phones = [{ number: '+16514737960' }, { number: '651-473-7960' }];
    const asVariable = await gw.gql(MUTATION, { id: '1178', input: { phones } }, { key: WRITER_KEY });
    const asLiteral = await gw.gql('mutation { updateCustomer(id: "1178", input: { phones: [{ number: "+16514737960" }, { number: "651-473-7960" }] }) { id } }', undefined, {
      key: WRITER_KEY,
    });
    expect(asVariable.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Variable "$input" has an invalid value at "input.phones[1].number": PhoneNumber must be a valid E.164 number such as +16789321578.', 'BAD_USER_INPUT'],
    ]);
    expect(asLiteral.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Argument "input" has an invalid value at "input.phones[1].number": PhoneNumber must be a valid E.164 number such as +16789321578.', 'BAD_USER_INPUT'],
    ]);
    expect(JSON.stringify([asVariable, asLiteral]) + gw.logs.join('')).not.toMatch(/651.?473.?7960/);
  });

  it('a wrong type names the field and the type it wants, without printing what came', async () => {
    const asVariable = await gw.gql(MUTATION, { id: '1178', input: { ssn: 462454573, firstName: { ssn: '462-45-4573' } } }, { key: WRITER_KEY });
    // Two fields refused for the same reason are one error naming both.
    expect(asVariable.errors?.map((e) => [e.message, e.extensions?.inputPaths])).toEqual([
      ['Variable "$input" has invalid values at "input.firstName" and "input.ssn": Expected a value of type "String".', ['input.firstName', 'input.ssn']],
    ]);
    const asLiteral = await gw.gql('mutation { updateCustomer(id: "1178", input: { ssn: 462454573, phones: [{ type: "462-45-4573" }] }) { id } }', undefined, {
      key: WRITER_KEY,
    });
    expect(asLiteral.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      ['Argument "input" has an invalid value at "input.ssn": Expected a value of type "String".', 'GRAPHQL_VALIDATION_FAILED'],
      ['Argument "input" has an invalid value at "input.phones[0].type": Expected one of the values of enum "PhoneType".', 'GRAPHQL_VALIDATION_FAILED'],
    ]);
    expect(JSON.stringify([asVariable, asLiteral]) + gw.logs.join('')).not.toMatch(/462.?45.?4573/);
  });

  it('sixty invalid phones answer one error listing the paths, and log one line', async () => {
    const phones = Array.from({ length: 60 }, (_, i) => ({ number: `651-473-${String(7000 + i)}` }));
    const res = await gw.gql(MUTATION, { id: '1178', input: { phones } }, { key: WRITER_KEY });
    const requestId = res.headers['x-request-id'];
    // graphql-js stops at 50 coercion errors and says so in one more error.
    expect(res.errors).toHaveLength(2);
    const [collapsed, tooMany] = res.errors!;
    expect(collapsed).toMatchObject({
      message:
        'Variable "$input" has invalid values at "input.phones[0].number", "input.phones[1].number", "input.phones[2].number" and 47 more: PhoneNumber must be a valid E.164 number such as +16789321578.',
      extensions: {
        code: 'BAD_USER_INPUT',
        inputPaths: Array.from({ length: 10 }, (_, i) => `input.phones[${i}].number`),
        inputPathCount: 50,
        requestId,
      },
    });
    expect(tooMany).toEqual({
      message: 'The variables hold too many invalid values: only the first 50 are reported.',
      extensions: { code: 'BAD_USER_INPUT', requestId },
    });
    const logged = linesOf(requestId);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ code: 'BAD_USER_INPUT', count: 50, inputPaths: Array.from({ length: 10 }, (_, i) => `input.phones[${i}].number`) });
    expect(JSON.stringify(res) + gw.logs.join('')).not.toMatch(/651.?473.?70\d\d/);
  });
});
