// The schema-diff rule (`npm run schema:diff`, docs/decisions.md "Breaking schema changes"): GraphQL Inspector
// classifies every change between two schemas; a BREAKING one passes only when the decisions file names it.
import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';

/** The heading of docs/decisions.md whose list items name the breaking changes that were decided. */
export const BREAKING_HEADING = '## Breaking schema changes';
/** What the printed line to add says in place of the reason; an entry still saying it names nothing. */
export const REASON_PLACEHOLDER = '<why clients are safe: who was told, what replaces it>';

/**
 * Where Inspector's path stops at the parent, so that two changes would share a name (two members removed from
 * one union), the member it carries in `meta` is appended after a slash.
 */
const MEMBER_OF: Record<string, string> = {
  UNION_MEMBER_REMOVED: 'removedUnionMemberTypeName',
  OBJECT_TYPE_INTERFACE_REMOVED: 'removedInterfaceName',
  DIRECTIVE_LOCATION_REMOVED: 'removedDirectiveLocation',
};

/** A change's name in decisions.md: Inspector's change type and path, e.g. `FIELD_REMOVED Customer.ssn`. */
export function changeName(change: Pick<Change, 'type' | 'path' | 'meta'>): string {
  const memberKey = MEMBER_OF[change.type];
  const member = memberKey ? (change.meta as Record<string, unknown> | undefined)?.[memberKey] : undefined;
  const subject = change.path === undefined ? '' : ` ${change.path}${typeof member === 'string' ? `/${member}` : ''}`;
  return `${change.type}${subject}`;
}

export interface NamedChanges {
  /** Change name → the reason written after it. */
  readonly names: ReadonlyMap<string, string>;
  /** Lines of the section that do not follow the format (each fails the check: a typo must not pass silently). */
  readonly problems: readonly string[];
}

const ENTRY = /^[-*] `([A-Z][A-Z0-9_]*(?: [^`\s]+)?)`(.*)$/;

/**
 * Reads the section under BREAKING_HEADING (up to the next heading of level 1 or 2). Every list item there must be
 * `` - `CHANGE_TYPE path`: reason ``; prose paragraphs are allowed, other list items are problems.
 */
export function namedChanges(decisions: string): NamedChanges {
  const names = new Map<string, string>();
  const problems: string[] = [];
  const lines = decisions.split(/\r?\n/);
  const starts = lines.flatMap((line, i) => (line.trimEnd() === BREAKING_HEADING ? [i] : []));
  if (starts.length > 1) problems.push(`"${BREAKING_HEADING}" appears ${starts.length} times; keep one section`);
  for (const start of starts) {
    for (let i = start + 1; i < lines.length && !/^#{1,2}\s/.test(lines[i]!); i++) {
      const line = lines[i]!;
      if (!/^[-*]\s/.test(line)) continue;
      const entry = ENTRY.exec(line);
      const reason = entry?.[2]!.replace(/^\s*[:\-–—]?\s*/, '').trim();
      if (!entry) {
        problems.push(`line ${i + 1}: not \`- \`CHANGE_TYPE path\`: reason\`: ${line}`);
      } else if (!reason || reason === REASON_PLACEHOLDER || /^<.*>$/.test(reason)) {
        problems.push(`line ${i + 1}: \`${entry[1]}\` needs a reason after it (why clients are safe)`);
      } else {
        names.set(entry[1]!, reason);
      }
    }
  }
  return { names, problems };
}

export interface ClassifiedChange {
  readonly name: string;
  readonly message: string;
  /** For a breaking change: the reason decisions.md gives, when it names it. */
  readonly namedBecause?: string;
}

export interface SchemaComparison {
  readonly breaking: readonly ClassifiedChange[];
  readonly dangerous: readonly ClassifiedChange[];
  readonly safe: readonly ClassifiedChange[];
  readonly problems: readonly string[];
  /** No unnamed breaking change and no malformed entry. */
  readonly ok: boolean;
}

function parse(sdl: string, side: string): GraphQLSchema {
  try {
    // The emitted schema may use directives it does not define (a federation subgraph's @key): only the types matter.
    return buildSchema(sdl, { assumeValidSDL: true });
  } catch (err) {
    throw new Error(`${side} schema.graphql does not parse: ${(err as Error).message}`);
  }
}

export async function compareSchemas(oldSdl: string, newSdl: string, decisions: string): Promise<SchemaComparison> {
  const changes = await diff(parse(oldSdl, 'the base'), parse(newSdl, 'the new'));
  const { names, problems } = namedChanges(decisions);
  const classify = (change: Change): ClassifiedChange => {
    const name = changeName(change);
    const because = names.get(name);
    return { name, message: change.message, ...(because !== undefined ? { namedBecause: because } : {}) };
  };
  const of = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level).map(classify);
  const breaking = of(CriticalityLevel.Breaking);
  return {
    breaking,
    dangerous: of(CriticalityLevel.Dangerous),
    safe: of(CriticalityLevel.NonBreaking),
    problems,
    ok: problems.length === 0 && breaking.every((c) => c.namedBecause !== undefined),
  };
}

/** The report the CLI prints: every breaking and dangerous change, and for each unnamed one the line to add. */
export function formatComparison(result: SchemaComparison, decisionsPath = 'docs/decisions.md'): string[] {
  const lines: string[] = [];
  for (const c of result.breaking) {
    lines.push(c.namedBecause !== undefined ? `BREAKING (named in ${decisionsPath}) ${c.name}: ${c.message}` : `BREAKING ${c.name}: ${c.message}`);
  }
  for (const c of result.dangerous) lines.push(`DANGEROUS (passes; check clients) ${c.name}: ${c.message}`);
  lines.push(`${result.safe.length} non-breaking change(s).`);
  for (const p of result.problems) lines.push(`${decisionsPath}: ${p}`);
  const unnamed = result.breaking.filter((c) => c.namedBecause === undefined);
  if (unnamed.length > 0) {
    lines.push(
      `${unnamed.length} breaking change(s) not named in ${decisionsPath}. If each is intended, add under "${BREAKING_HEADING}":`,
      ...unnamed.map((c) => `- \`${c.name}\`: ${REASON_PLACEHOLDER}`),
      '(replace the placeholder with the reason; an entry without one does not count)',
    );
  }
  return lines;
}
