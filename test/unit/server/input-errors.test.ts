import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  buildSchema,
  execute,
  parse,
  specifiedRules,
  validate,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors/errors.js';
import { inputProblem, inputProblemMessage, locateLiteralErrors } from '../../../src/logging/input-errors.js';
import { collapseErrors, formatError, MAX_LISTED_PATHS } from '../../../src/server/format-error.js';

/** Like the gateway's PhoneNumber: a catalogued error, thrown without nodes, whose message never holds the value. */
const PHONE_MESSAGE = 'Phone must be a valid E.164 number.';
const Phone = new GraphQLScalarType({
  name: 'Phone',
  parseValue(value) {
    if (typeof value !== 'string' || !/^\+[1-9]\d{7,14}$/.test(value)) throw new BadUserInputError(PHONE_MESSAGE);
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || !/^\+[1-9]\d{7,14}$/.test(ast.value)) throw new BadUserInputError(PHONE_MESSAGE);
    return ast.value;
  },
});

const schema = buildSchema(`
  scalar Phone
  enum Kind { MOBILE HOME }
  input PhoneIn { number: Phone kind: Kind primary: Boolean }
  input CustomerIn { name: String age: Float ssn: String password: String phones: [PhoneIn!] tags: [String!]! }
  type Query { ok: Boolean }
  type Mutation { update(id: ID!, input: CustomerIn!): Boolean }
`);
Object.assign(schema.getType('Phone')!, { parseValue: Phone.parseValue, parseLiteral: Phone.parseLiteral });

const MUTATION = 'mutation ($id: ID!, $input: CustomerIn!) { update(id: $id, input: $input) }';

/** What graphql-js answers for these variables: errors only, nothing executes. */
function coercionErrors(variables: Record<string, unknown>): readonly GraphQLError[] {
  const result = execute({ schema, document: parse(MUTATION), variableValues: variables });
  if (result instanceof Promise) throw new Error('unexpected async result');
  return result.errors ?? [];
}

function literalErrors(query: string): readonly GraphQLError[] {
  const document = parse(query);
  const errors = validate(schema, document, specifiedRules);
  locateLiteralErrors(errors, document, schema);
  return errors;
}

function formatAll(errors: readonly GraphQLError[], code = 'BAD_USER_INPUT'): GraphQLFormattedError[] {
  // As Apollo hands them over: the error's JSON (message, locations) with a code.
  return errors.map((error) => formatError({ ...error.toJSON(), extensions: { code, ...error.extensions } }, error));
}

const SECRETS = ['hunter2-secret', 'bob@example.com', '462-45-4573', '6514737960', '651-473-7960', '123'];

function expectNoValue(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('input-value errors from variables', () => {
  it('names the path and what was expected, never the value (before/after of each graphql-js message)', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [
        { input: { tags: [], password: 'hunter2-secret', name: 'bob@example.com', bogus: 1 } },
        'Variable "$input" got invalid value { tags: [], password: "hunter2-secret", name: "bob@example.com", bogus: 1 }; Field "bogus" is not defined by type "CustomerIn". Did you mean "tags"?',
        'Variable "$input" has an invalid value: Field "bogus" is not defined by type "CustomerIn".',
      ],
      [
        { input: { tags: [], name: 123 } },
        'Variable "$input" got invalid value 123 at "input.name"; String cannot represent a non string value: 123',
        'Variable "$input" has an invalid value at "input.name": Expected a value of type "String".',
      ],
      [
        { input: { tags: [], age: '462-45-4573' } },
        'Variable "$input" got invalid value "462-45-4573" at "input.age"; Float cannot represent non numeric value: "462-45-4573"',
        'Variable "$input" has an invalid value at "input.age": Expected a value of type "Float".',
      ],
      [
        { input: { tags: [], phones: [{ number: '+16514737960' }, { number: '651-473-7960' }] } },
        'Variable "$input" got invalid value "651-473-7960" at "input.phones[1].number"; Phone must be a valid E.164 number.',
        'Variable "$input" has an invalid value at "input.phones[1].number": Phone must be a valid E.164 number.',
      ],
      [
        { input: { tags: [], phones: [{ kind: 'bob@example.com' }] } },
        'Variable "$input" got invalid value "bob@example.com" at "input.phones[0].kind"; Value "bob@example.com" does not exist in "Kind" enum.',
        'Variable "$input" has an invalid value at "input.phones[0].kind": Expected one of the values of enum "Kind".',
      ],
      [
        { input: { tags: [null] } },
        'Variable "$input" got invalid value null at "input.tags[0]"; Expected non-nullable type "String!" not to be null.',
        'Variable "$input" has an invalid value at "input.tags[0]": Expected a non-null value of type "String!".',
      ],
      [
        { input: 'ssn 462-45-4573' },
        'Variable "$input" got invalid value "ssn 462-45-4573"; Expected type "CustomerIn" to be an object.',
        'Variable "$input" has an invalid value: Expected an object of type "CustomerIn".',
      ],
      [
        { input: { name: 'x' } },
        'Variable "$input" got invalid value { name: "x" }; Field "tags" of required type "[String!]!" was not provided.',
        'Variable "$input" has an invalid value: Field "tags" of required type "[String!]!" was not provided.',
      ],
    ];
    for (const [variables, before, after] of cases) {
      const [error, ...more] = coercionErrors({ id: '1', ...variables });
      expect(more).toEqual([]);
      expect(error!.message).toBe(before); // graphql-js as it is: the value is in there
      const problem = inputProblem(error);
      expect(problem && inputProblemMessage(problem)).toBe(after);
      expectNoValue(after);
    }
  });

  it('keeps a catalogued cause\'s code and wording, and says which item of a list it was', () => {
    const [error] = coercionErrors({ id: '1', input: { tags: [], phones: [{ number: '+16514737960' }, { number: '6514737960' }] } });
    const out = formatAll([error!])[0]!;
    expect(out).toEqual({
      message: 'Variable "$input" has an invalid value at "input.phones[1].number": Phone must be a valid E.164 number.',
      locations: [{ line: 1, column: 21 }],
      extensions: { code: 'BAD_USER_INPUT', inputPaths: ['input.phones[1].number'] },
    });
  });

  it('does not take a path from the value, even one that imitates the suffix graphql-js writes', () => {
    const [error] = coercionErrors({ id: '1', input: { tags: [], name: 5, bogus: 'x" at "input.password' } });
    const problems = coercionErrors({ id: '1', input: 'x" at "input.password' }).map((e) => inputProblem(e)!);
    expect(problems.map((p) => p.path)).toEqual(['input']);
    expect(inputProblem(error)!.path).not.toContain('password');
  });

  it('drops a client-chosen field name that is not a plain GraphQL name (a JSON key can be an email)', () => {
    const [error] = coercionErrors({ id: '1', input: { tags: [], 'bob@example.com': 1 } });
    expect(error!.message).toContain('bob@example.com');
    expect(inputProblemMessage(inputProblem(error)!)).toBe('Variable "$input" has an invalid value: A field is not defined by type "CustomerIn".');
  });

  it('falls back to a generic reason for a message it does not know', () => {
    const cause = new GraphQLError('Custom scalar says 462-45-4573 is wrong');
    const operation = parse(MUTATION).definitions[0] as OperationDefinitionNode;
    const error = new GraphQLError('Variable "$input" got invalid value "462-45-4573"; Custom scalar says 462-45-4573 is wrong', {
      nodes: operation.variableDefinitions![1],
      originalError: cause,
    });
    expect(inputProblemMessage(inputProblem(error)!)).toBe('Variable "$input" has an invalid value: The value is not valid here.');
  });
});

describe('input-value errors from literals', () => {
  it('names the argument path of a bad literal, including a scalar that threw without a location', () => {
    const errors = literalErrors(`mutation {
      update(id: "1", input: { tags: [], name: 123, password: "hunter2-secret", phones: [{ number: "+16514737960" }, { number: "651-473-7960" }, { kind: HOUSE }], bogus: "bob@example.com" })
    }`);
    const messages = errors.map((e) => inputProblemMessage(inputProblem(e)!));
    expect(messages).toEqual([
      'Argument "input" has an invalid value at "input.name": Expected a value of type "String".',
      'Argument "input" has an invalid value at "input.phones[1].number": Phone must be a valid E.164 number.',
      'Argument "input" has an invalid value at "input.phones[2].kind": Expected one of the values of enum "Kind".',
      'Argument "input" has an invalid value: Field "bogus" is not defined by type "CustomerIn".',
    ]);
    expect(errors[1]!.nodes).toBeUndefined(); // the scalar's own error: placed by replaying parseLiteral
    expectNoValue(messages.join('\n'));
  });

  it('places two failing literals of one scalar in document order', () => {
    const errors = literalErrors('mutation { update(id: "1", input: { tags: [], phones: [{ number: "1" }, { number: "+16514737960" }, { number: "2" }] }) }');
    expect(errors.map((e) => inputProblem(e)?.path)).toEqual(['input.phones[0].number', 'input.phones[2].number']);
  });

  it('says what an object or list in the wrong place should be, without printing it', () => {
    const errors = literalErrors('mutation { update(id: "1", input: { tags: [], name: { ssn: "462-45-4573" } }) }');
    expect(errors[0]!.message).toContain('462-45-4573');
    expect(inputProblemMessage(inputProblem(errors[0])!)).toBe('Argument "input" has an invalid value at "input.name": Expected a value of type "String".');
  });

  it('leaves errors that are not about a literal value alone', () => {
    const errors = literalErrors('mutation ($x: String) { update(id: "1", input: { tags: [$y] }) }');
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(inputProblem(error), error.message).toBeUndefined();
  });
});

describe('collapseErrors', () => {
  it('collapses copies of one input error into one that lists the paths, capped', () => {
    const phones = Array.from({ length: 30 }, (_, i) => ({ number: `651-473-${String(7900 + i)}` }));
    const errors = coercionErrors({ id: '1', input: { tags: [], phones: [...phones, { kind: 'NOPE' }] } });
    expect(errors).toHaveLength(31);
    const collapsed = collapseErrors(formatAll(errors));
    expect(collapsed).toHaveLength(2);
    const paths = phones.map((_, i) => `input.phones[${i}].number`);
    expect(collapsed[0]).toEqual({
      message:
        'Variable "$input" has invalid values at "input.phones[0].number", "input.phones[1].number", "input.phones[2].number" and 27 more: Phone must be a valid E.164 number.',
      locations: [{ line: 1, column: 21 }],
      extensions: { code: 'BAD_USER_INPUT', inputPaths: paths.slice(0, MAX_LISTED_PATHS), inputPathCount: 30 },
    });
    expect(collapsed[1]!.message).toBe('Variable "$input" has an invalid value at "input.phones[30].kind": Expected one of the values of enum "Kind".');
    expectNoValue(JSON.stringify(collapsed));
  });

  it('collapses identical request errors with a count, and never merges errors that carry a response path', () => {
    const same = { message: 'Something safe.', extensions: { code: 'BAD_REQUEST' } };
    const atPath = (i: number) => ({ message: 'A customer id is a positive whole number.', path: ['customers', i], extensions: { code: 'BAD_USER_INPUT' } });
    const out = collapseErrors([atPath(0), same, { ...same }, atPath(1), { ...same }]);
    expect(out).toEqual([atPath(0), { ...same, extensions: { code: 'BAD_REQUEST', count: 3 } }, atPath(1)]);
  });

  it('leaves a single error as it was', () => {
    const errors = formatAll(coercionErrors({ id: '1', input: { tags: [], name: 1 } }));
    expect(collapseErrors(errors)).toEqual(errors);
  });
});
