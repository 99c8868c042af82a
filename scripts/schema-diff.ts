// `npm run schema:diff [-- <git ref>]`: compares schema.graphql (working tree) with the one at a git ref (default
// HEAD~1, or SCHEMA_DIFF_BASE) and exits 1 on a breaking change docs/decisions.md does not name (the rule is
// documented there under "Breaking schema changes"). Run from anywhere inside the repository.
//   No earlier commit, or no schema.graphql at the base: nothing to compare, passes with a note.
//   A base that cannot be read (a shallow clone, an unknown ref): fails when the ref was given or CI=true,
//   otherwise passes with a note, so a local shallow checkout is not blocked but CI never skips silently.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareSchemas, formatComparison } from './schema-diff/compare.js';

const SCHEMA = 'schema.graphql';
const DECISIONS = 'docs/decisions.md';

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

function finish(code: number, ...lines: string[]): never {
  for (const line of lines) (code === 0 ? console.log : console.error)(`schema:diff: ${line}`);
  process.exit(code);
}

const given = process.argv[2] || process.env.SCHEMA_DIFF_BASE || undefined;
const base = given ?? 'HEAD~1';
const ci = process.env.CI === 'true' || process.env.CI === '1';
const unreadable = (why: string): never =>
  given !== undefined || ci
    ? finish(1, `${why}; cannot check the schema against ${base}${given !== undefined ? '' : ' (CI=true)'}`)
    : finish(0, `${why}; skipped (CI fails here instead)`);

const root = git(process.cwd(), ['rev-parse', '--show-toplevel'])?.trim();
if (!root) unreadable('not inside a git repository');
const schemaPath = join(root!, SCHEMA);
if (!existsSync(schemaPath)) finish(1, `${SCHEMA} is missing: run npm run schema:emit`);

const commit = git(root!, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`])?.trim();
if (!commit) {
  if (given !== undefined) finish(1, `${base} is not a commit here`);
  if (git(root!, ['rev-parse', '--is-shallow-repository'])?.trim() === 'true') {
    unreadable('shallow clone without the previous commit (git fetch --deepen=1, or set SCHEMA_DIFF_BASE)');
  }
  finish(0, 'HEAD is the first commit: no earlier schema to compare with');
}
if (git(root!, ['cat-file', '-e', `${commit}:${SCHEMA}`]) === undefined) {
  finish(0, `${base} has no ${SCHEMA}: nothing to compare with`);
}
const before = git(root!, ['show', `${commit}:${SCHEMA}`]);
if (before === undefined) unreadable(`git show ${base}:${SCHEMA} failed`);

const decisionsPath = join(root!, DECISIONS);
const decisions = existsSync(decisionsPath) ? readFileSync(decisionsPath, 'utf8') : '';
try {
  const result = await compareSchemas(before!, readFileSync(schemaPath, 'utf8'), decisions);
  console.log(`schema:diff: ${SCHEMA} against ${base} (${commit.slice(0, 12)})`);
  for (const line of formatComparison(result, DECISIONS)) console.log(line);
  finish(result.ok ? 0 : 1, result.ok ? 'no unnamed breaking change' : 'failed');
} catch (err) {
  finish(1, (err as Error).message);
}
