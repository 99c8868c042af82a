/**
 * `npm run schema:diff` end to end: scripts/schema-diff.ts run by tsx inside a throwaway git repository, reading
 * the base schema from git history and the rule from docs/decisions.md, answering with its exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(root, 'node_modules/.bin/tsx');
const SCRIPT = join(root, 'scripts/schema-diff.ts');

const V1 = 'type Query {\n  customer(id: ID!): Customer\n}\n\ntype Customer {\n  id: ID!\n  legacyId: String\n}\n';
const V2 = V1.replace('  legacyId: String\n', '');
const DECISIONS = '# Decisions\n\n## Breaking schema changes\n\nCI fails on a breaking change not named here.\n';
const NAMED = `${DECISIONS}- \`FIELD_REMOVED Customer.legacyId\`: replaced by id in 0.2; no client reads it.\n`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): void {
  const res = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')}: ${res.stderr}`);
}

/** A repository whose commits hold these files (each commit: path → content). */
function repo(...commits: Array<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-schema-diff-'));
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  for (const [i, files] of commits.entries()) {
    write(dir, files);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `commit ${i + 1}`);
  }
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

function schemaDiff(cwd: string, env: Record<string, string> = {}, ...args: string[]): { status: number | null; output: string } {
  const { CI: _ci, SCHEMA_DIFF_BASE: _base, ...inherited } = process.env;
  const res = spawnSync(TSX, [SCRIPT, ...args], { cwd, encoding: 'utf8', env: { ...inherited, ...env } });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

describe('npm run schema:diff', () => {
  it('exits non-zero on a breaking change in the last commit, and zero once the commit names it', () => {
    const dir = repo({ 'schema.graphql': V1, 'docs/decisions.md': DECISIONS }, { 'schema.graphql': V2 });
    const failed = schemaDiff(dir);
    expect(failed.status).toBe(1);
    expect(failed.output).toContain("BREAKING FIELD_REMOVED Customer.legacyId: Field 'legacyId' was removed from object type 'Customer'");
    expect(failed.output).toContain('- `FIELD_REMOVED Customer.legacyId`: <why clients are safe: who was told, what replaces it>');

    write(dir, { 'docs/decisions.md': NAMED });
    git(dir, 'commit', '-q', '-a', '--amend', '--no-edit');
    const passed = schemaDiff(dir);
    expect(passed.output).toContain('BREAKING (named in docs/decisions.md) FIELD_REMOVED Customer.legacyId');
    expect(passed.status).toBe(0);
    // Before committing: an uncommitted schema change checked against HEAD.
    write(dir, { 'schema.graphql': V2.replace('  customer(id: ID!): Customer\n', '  customer(id: ID!): Customer\n  other: String\n').replace('id: ID!)', 'id: ID!, region: String!)') });
    const uncommitted = schemaDiff(dir, {}, 'HEAD');
    expect(uncommitted.status).toBe(1);
    expect(uncommitted.output).toContain('- `FIELD_ARGUMENT_ADDED Query.customer.region`: <why clients are safe');
    expect(uncommitted.output).toContain('1 non-breaking change(s).');
  });

  it('passes with a note when there is no earlier commit or no earlier schema, and fails on an unknown base', () => {
    const first = schemaDiff(repo({ 'schema.graphql': V1 }), { CI: 'true' });
    expect(first).toEqual({ status: 0, output: expect.stringContaining('HEAD is the first commit: no earlier schema to compare with') });
    const noSchema = schemaDiff(repo({ 'README.md': 'x\n' }, { 'schema.graphql': V2 }), { CI: 'true' });
    expect(noSchema).toEqual({ status: 0, output: expect.stringContaining('HEAD~1 has no schema.graphql: nothing to compare with') });
    const unknown = schemaDiff(repo({ 'schema.graphql': V1 }, { 'schema.graphql': V2 }), {}, 'no-such-ref');
    expect(unknown).toEqual({ status: 1, output: expect.stringContaining('no-such-ref is not a commit here') });
  });

  it('in a shallow clone without the previous commit: fails under CI=true, passes with a note otherwise', () => {
    const origin = repo({ 'schema.graphql': V1 }, { 'schema.graphql': V2 });
    const parent = mkdtempSync(join(tmpdir(), 'switchboard-schema-diff-shallow-'));
    dirs.push(parent);
    git(parent, 'clone', '-q', '--depth', '1', `file://${origin}`, 'clone');
    const clone = join(parent, 'clone');
    const inCi = schemaDiff(clone, { CI: 'true' });
    expect(inCi.status).toBe(1);
    expect(inCi.output).toContain('shallow clone without the previous commit');
    const local = schemaDiff(clone);
    expect(local.status).toBe(0);
    expect(local.output).toContain('skipped (CI fails here instead)');
  });
});
