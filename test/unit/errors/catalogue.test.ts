import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../src/errors/codes.js';
import { BadUserInputError, VendorError } from '../../../src/errors/errors.js';
import { formatError } from '../../../src/server/format-error.js';

describe('error catalogue', () => {
  it('documents every code in docs/errors.md and nothing else', () => {
    const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...ERROR_CODES].sort());
  });

  // docs/schema-contract.graphql is the repo's copy of the public contract (the shared docs hold the original).
  it('covers every code of the public contract', () => {
    const contract = readFileSync(new URL('../../../docs/schema-contract.graphql', import.meta.url), 'utf8');
    const block = /enum ErrorCode \{([^}]*)\}/.exec(contract)?.[1] ?? '';
    const codes = [...block.matchAll(/^\s*([A-Z_]+)/gm)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(5);
    for (const code of codes) expect(ERROR_CODES).toContain(code);
  });
});

describe('formatError', () => {
  const base = (error: GraphQLError) => ({ message: error.message, extensions: error.extensions, path: ['customer'] });

  it('passes catalogued errors with their code and vendor, without http internals', () => {
    const error = new VendorError('CONFLICT', 'LOANPRO', 'LoanPro refused the change.');
    expect(formatError(base(error), error)).toEqual({
      message: 'LoanPro refused the change.',
      path: ['customer'],
      extensions: { code: 'CONFLICT', vendor: 'LOANPRO' },
    });
  });

  it('masks anything it does not know', () => {
    const error = new Error('connect ECONNREFUSED 10.1.2.3:5432 password=hunter2');
    const out = formatError({ message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, error);
    expect(out).toEqual({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('speaks with the code of a catalogued cause inside a validation error', () => {
    const cause = new BadUserInputError('PhoneNumber must be a valid E.164 number such as +16789321578.');
    const wrapped = new GraphQLError('Expected value of type "PhoneNumber!", found "6514737960"; ...', {
      originalError: cause,
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const out = formatError({ message: wrapped.message, extensions: wrapped.extensions }, wrapped);
    expect(out.extensions?.code).toBe('BAD_USER_INPUT');
    expect(out.message).not.toContain('6514737960');
  });

  it('scrubs echoed values from GraphQL messages', () => {
    const message = 'Variable "$ssn" got invalid value "462-45-4573"; String cannot represent a non string value';
    const out = formatError({ message, extensions: { code: 'BAD_USER_INPUT' } }, new GraphQLError(message));
    expect(out.message).not.toContain('462-45-4573');
    expect(out.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
