import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactText } from '../../../src/logging/redact.js';

const digitsOf = (text: string) => text.replace(/\D/g, '');

describe('redactText', () => {
  it.each([
    ['+1 (678) 932-1578', '6789321578'],
    ['678.932.1578', '6789321578'],
    ['6789321578', '6789321578'],
    ['+16789321578', '16789321578'],
    ['678-932-1578', '6789321578'],
    ['+61 439 742 682', '61439742682'],
    ['0439 742 682', '0439742682'],
    ['123-45-6789', '123456789'],
    ['123456789', '123456789'],
  ])('masks the phone number or SSN %s to its last four digits', (value, digits) => {
    const out = redactText(`call ${value} now`);
    expect(out).not.toContain(value);
    expect(digitsOf(out)).not.toContain(digits);
    expect(out).toContain(`[redacted…${digits.slice(-4)}]`);
    expect(out).toMatch(/^call .* now$/);
  });

  it('masks email addresses', () => {
    for (const email of ['bob@example.com', 'first.last+tag@mail.example.co.uk', "o'brien@example.ie"]) {
      const out = redactText(`wrote to ${email}.`);
      expect(out).not.toContain(email);
      expect(out).not.toContain(email.split('@')[0]);
      expect(out).toContain('[redacted]');
    }
  });

  it.each([
    ['password=hunter2-very-secret', 'hunter2-very-secret'],
    ['accessPassword: "s3cret value"', 's3cret value'],
    ['{"accessPassword":"s3cr\\"et"}', 's3cr\\"et'],
    ["LOANPRO_API_TOKEN='abc.def'", 'abc.def'],
    ['https://api.example.com/x?token=tok_live_1&x=1', 'tok_live_1'],
    ['{ accessPassword: "hunter2", email: "x" }', 'hunter2'],
    ['client_secret=shh', 'shh'],
    ['x-api-key: writer-key', 'writer-key'],
  ])('masks the value in the secret-looking pair %s', (text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('masks bearer and basic credentials, JWTs, URL credentials and long hex or base64 secrets', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXBhcnQ';
    const cases = [
      ['Authorization: Bearer abc.def-ghi', 'abc.def-ghi'],
      ['Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
      [`token is ${jwt}`, jwt],
      ['postgres://app:hunter2@db.internal:5432/main', 'app:hunter2'],
      ['key 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', '9f86d081884c7d659a2feaa0c55ad015'],
      ['secret k8sZ2xvYmFsLXNlY3JldC12YWx1ZS0xMjM0NTY3', 'k8sZ2xvYmFsLXNlY3JldC12YWx1ZS0xMjM0NTY3'],
    ] as const;
    for (const [text, secret] of cases) {
      const out = redactText(text);
      expect(out, text).not.toContain(secret);
    }
    expect(redactText('postgres://app:hunter2@db.internal:5432/main')).toBe('postgres://[redacted]@db.internal:5432/main');
  });

  it('leaves ordinary text, short numbers, IPv4 addresses and long plain words alone', () => {
    for (const text of [
      'Variable "$input" has an invalid value at "input.phones[1].number": Expected a value of type "String".',
      'listening at http://127.0.0.1:4000 after 3 retries on line 12, column 7',
      'ApolloServerPluginCacheControlDisabled passed: 3',
      'GET /healthz 200',
    ]) {
      expect(redactText(text)).toBe(text);
    }
  });

  it('is idempotent', () => {
    const once = redactText('ssn 123-45-6789, mail bob@example.com, password=x, Bearer y');
    expect(redactText(once)).toBe(once);
  });

  describe('properties', () => {
    const separator = fc.constantFrom('', ' ', '-', '.', ' - ');
    const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
    /** US numbers in the spellings people write: 6789321578, (678) 932-1578, +1 678.932.1578, ... */
    const usPhone = fc
      .tuple(fc.constantFrom('', '+1 ', '1-', '+1'), fc.boolean(), digits(3), digits(3), digits(4), separator)
      .map(([prefix, parens, area, exchange, line, sep]) => `${prefix}${parens ? `(${area}) ` : `${area}${sep}`}${exchange}${sep}${line}`);
    const auPhone = fc.tuple(digits(3), digits(3), digits(3), separator).map(([a, b, c, sep]) => `+61${sep}${a}${sep}${b}${sep}${c}`);
    const ssn = fc.tuple(digits(3), digits(2), digits(4), fc.constantFrom('', '-', ' ')).map(([a, b, c, sep]) => `${a}${sep}${b}${sep}${c}`);
    const words = fc.array(fc.constantFrom('the', 'value', 'at', 'failed', 'customer', 'input'), { maxLength: 4 }).map((w) => w.join(' '));

    it('no phone number or SSN keeps more than its last four digits, whatever surrounds it', () => {
      fc.assert(
        fc.property(words, fc.oneof(usPhone, auPhone, ssn), words, (before, number, after) => {
          const out = redactText(`${before} ${number} ${after}`);
          expect(out).not.toContain(number);
          // No run of the number's digits longer than the kept last four survives.
          const core = digitsOf(number);
          expect(digitsOf(out)).not.toContain(core.slice(0, -4) || core);
        }),
        { numRuns: 300, seed: 20240611 },
      );
    });

    it('no email address survives', () => {
      fc.assert(
        fc.property(words, fc.emailAddress(), words, (before, email, after) => {
          expect(redactText(`${before} <${email}> ${after}`)).not.toContain(email);
          expect(redactText(`${before} "${email}" ${after}`)).not.toContain(email);
        }),
        { numRuns: 300, seed: 20240611 },
      );
    });

    it('no password survives in key=value, key: "value" or JSON shapes', () => {
      const password = fc.string({ unit: fc.constantFrom(...'abcdefXYZ0123456789!#$%^*_+-'.split('')), minLength: 8, maxLength: 24 });
      const key = fc.constantFrom('password', 'accessPassword', 'PASSWORD', 'db_password', 'api_token', 'secret');
      fc.assert(
        fc.property(key, password, (k, p) => {
          for (const text of [`${k}=${p}`, `${k}: "${p}"`, JSON.stringify({ [k]: p }), `{ ${k}: ${JSON.stringify(p)} }`]) {
            expect(redactText(text), text).not.toContain(p);
          }
        }),
        { numRuns: 300, seed: 20240611 },
      );
    });
  });
});

describe('redactText keeps identifiers that merely contain digit runs', () => {
  it('leaves ULIDs and UUIDs whole, and still redacts a number next to them', () => {
    const ulid = '01M8STTVYVYKQF8GAPQ9615750';
    const uuid = 'e6b0e7a1-5856-4317-b1f7-0123456789ab';
    expect(redactText(`row ${ulid} done`)).toBe(`row ${ulid} done`);
    expect(redactText(`number ${uuid}`)).toBe(`number ${uuid}`);
    expect(redactText(`${ulid} +1 678-932-1578`)).toBe(`${ulid} [redacted…1578]`);
    expect(redactText('mdn_6789321578 and x6789321578')).not.toMatch(/6789321578/);
  });
});
