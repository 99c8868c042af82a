/** The schema-diff rule (scripts/schema-diff/compare.ts) on small SDL fixtures: what fails, what names it. */
import { describe, expect, it } from 'vitest';
import { BREAKING_HEADING, REASON_PLACEHOLDER, compareSchemas, formatComparison, namedChanges } from '../../../scripts/schema-diff/compare.js';

const BASE = `
type Query {
  customer(id: ID!): Customer
  phone(number: String, region: String): Phone
  status: Status
  result: Result
}
type Customer { id: ID! name: String legacyId: String }
type Phone { number: String! }
type Other { x: Int }
enum Status { ACTIVE CLOSED }
union Result = Customer | Phone | Other
`;

/** A decisions file naming `entries` (raw list items) under the rule's heading, between other sections. */
function decisions(...entries: string[]): string {
  return [
    '# Decisions',
    '## Platform',
    '- `FIELD_REMOVED Customer.name`: not this section, so it names nothing.',
    BREAKING_HEADING,
    'CI fails on a breaking schema change not listed here (prose lines are allowed).',
    ...entries,
    '## Tests',
    '- `FIELD_REMOVED Customer.id`: after the section ended, so it names nothing.',
    '',
  ].join('\n');
}

describe('schema diff', () => {
  it('fails on a removed field and prints the exact line that would name it', async () => {
    const result = await compareSchemas(BASE, BASE.replace(' legacyId: String', ''), decisions());
    expect(result.ok).toBe(false);
    expect(result.breaking).toEqual([{ name: 'FIELD_REMOVED Customer.legacyId', message: "Field 'legacyId' was removed from object type 'Customer'" }]);
    const report = formatComparison(result);
    expect(report).toContain("BREAKING FIELD_REMOVED Customer.legacyId: Field 'legacyId' was removed from object type 'Customer'");
    expect(report).toContain(`- \`FIELD_REMOVED Customer.legacyId\`: ${REASON_PLACEHOLDER}`);
  });

  it('passes the same change once decisions.md names it with a reason', async () => {
    const result = await compareSchemas(
      BASE,
      BASE.replace(' legacyId: String', ''),
      decisions('- `FIELD_REMOVED Customer.legacyId`: deprecated since 0.3; no client operation reads it.'),
    );
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.breaking).toEqual([
      { name: 'FIELD_REMOVED Customer.legacyId', message: expect.any(String), namedBecause: 'deprecated since 0.3; no client operation reads it.' },
    ]);
    expect(formatComparison(result)[0]).toBe("BREAKING (named in docs/decisions.md) FIELD_REMOVED Customer.legacyId: Field 'legacyId' was removed from object type 'Customer'");
  });

  it('fails when an argument goes from nullable to non-null', async () => {
    const result = await compareSchemas(BASE, BASE.replace('phone(number: String,', 'phone(number: String!,'), decisions());
    expect(result.ok).toBe(false);
    expect(result.breaking.map((c) => c.name)).toEqual(['FIELD_ARGUMENT_TYPE_CHANGED Query.phone.number']);
  });

  it('passes added fields and types', async () => {
    const grown = BASE.replace(' legacyId: String', ' legacyId: String email: String').concat('type Extra { y: Int }\n');
    const result = await compareSchemas(BASE, grown, decisions());
    expect(result).toMatchObject({ ok: true, breaking: [], dangerous: [] });
    expect(result.safe.map((c) => c.name).sort()).toEqual(['FIELD_ADDED Customer.email', 'FIELD_ADDED Extra.y', 'TYPE_ADDED Extra']);
  });

  it('prints dangerous changes but passes them', async () => {
    const result = await compareSchemas(BASE, BASE.replace('enum Status { ACTIVE CLOSED }', 'enum Status { ACTIVE CLOSED PAUSED }'), decisions());
    expect(result.ok).toBe(true);
    expect(result.dangerous.map((c) => c.name)).toEqual(['ENUM_VALUE_ADDED Status.PAUSED']);
    expect(formatComparison(result)).toContain("DANGEROUS (passes; check clients) ENUM_VALUE_ADDED Status.PAUSED: Enum value 'PAUSED' was added to enum 'Status'");
  });

  it('names a change only by its type and path, inside the section, with a real reason', async () => {
    const removed = BASE.replace(' legacyId: String', '');
    // Another kind of change at the same path does not name the removal.
    expect((await compareSchemas(BASE, removed, decisions('- `FIELD_TYPE_CHANGED Customer.legacyId`: retyped.'))).ok).toBe(false);
    // Entries outside the section (see decisions()) do not count either.
    expect((await compareSchemas(BASE, BASE.replace(' name: String', ''), decisions())).ok).toBe(false);
    // A path without the change type, no reason, or the printed placeholder: malformed entries fail the check.
    for (const entry of ['- `Customer.legacyId`: gone', '- `FIELD_REMOVED Customer.legacyId`', `- \`FIELD_REMOVED Customer.legacyId\`: ${REASON_PLACEHOLDER}`]) {
      const result = await compareSchemas(BASE, removed, decisions(entry));
      expect(result.ok, entry).toBe(false);
      expect(result.problems, entry).toHaveLength(1);
    }
    // A malformed entry fails even when nothing breaks: a typo must not wait for the change it was meant for.
    expect((await compareSchemas(BASE, BASE, decisions('- FIELD_REMOVED Customer.legacyId: no code span'))).problems).toHaveLength(1);
  });

  it('names each removed union member on its own', async () => {
    const result = await compareSchemas(BASE, BASE.replace('Customer | Phone | Other', 'Customer'), decisions('- `UNION_MEMBER_REMOVED Result/Phone`: phones come from phone(number).'));
    expect(result.breaking.map((c) => [c.name, c.namedBecause !== undefined])).toEqual([
      ['UNION_MEMBER_REMOVED Result/Phone', true],
      ['UNION_MEMBER_REMOVED Result/Other', false],
    ]);
    expect(result.ok).toBe(false);
  });

  it('reads entries in the format the docs describe', () => {
    expect(namedChanges(decisions('- `FIELD_REMOVED Customer.legacyId` – replaced by customId.', '* `TYPE_REMOVED Other`: unused.'))).toEqual({
      names: new Map([
        ['FIELD_REMOVED Customer.legacyId', 'replaced by customId.'],
        ['TYPE_REMOVED Other', 'unused.'],
      ]),
      problems: [],
    });
    expect(namedChanges(`${BREAKING_HEADING}\n- \`TYPE_REMOVED A\`: x.\n${BREAKING_HEADING}\n`).problems).toEqual([`"${BREAKING_HEADING}" appears 2 times; keep one section`]);
  });

  it('names a schema that does not parse', async () => {
    await expect(compareSchemas(BASE, 'type Query {', decisions())).rejects.toThrow('the new schema.graphql does not parse');
  });
});
