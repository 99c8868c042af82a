import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './gateway.js';

/** One Dockerfile instruction, continuations joined: `COPY --from=build /app/dist ./dist` is keyword COPY. */
export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

export interface DockerStage {
  readonly base: string;
  readonly name: string | undefined;
  readonly instructions: readonly DockerInstruction[];
}

/**
 * The stages of a Dockerfile, each with its instructions in order. Enough of the format for the checks of this
 * repository's Dockerfile: comments, line continuations, `FROM image [AS name]`. Parser directives are refused
 * (BuildKit would fetch a frontend image for `# syntax=`), as is any keyword this parser does not know.
 */
export function parseDockerfile(text: string): DockerStage[] {
  const known = new Set(['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD', 'ARG', 'LABEL']);
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) {
      if (/^#\s*(syntax|escape|check)\s*=/i.test(line)) throw new Error(`parser directive not supported: ${line}`);
      continue;
    }
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  if (pending !== '') throw new Error('the Dockerfile ends inside a continued line');

  const stages: Array<{ base: string; name: string | undefined; instructions: DockerInstruction[] }> = [];
  for (const instruction of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(instruction)!;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!;
    if (!known.has(keyword)) throw new Error(`unknown Dockerfile instruction: ${keyword}`);
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`cannot read FROM ${args}`);
      stages.push({ base: from[1]!, name: from[2], instructions: [] });
      continue;
    }
    if (stages.length === 0) throw new Error(`${keyword} before the first FROM`);
    stages.at(-1)!.instructions.push({ keyword, args });
  }
  return stages;
}

/** The JSON (exec) form of CMD, ENTRYPOINT or HEALTHCHECK's command; throws for the shell form. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a): a is string => typeof a === 'string')) throw new Error(`not an exec form: ${args}`);
  return parsed;
}

export interface CopyInstruction {
  /** `--from=<stage>`, or undefined for the build context. */
  readonly from: string | undefined;
  readonly sources: readonly string[];
  readonly dest: string;
}

export function parseCopy(args: string): CopyInstruction {
  const words = args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
    else if (!/^--(chown|chmod|link)(=|$)/.test(flag)) throw new Error(`COPY flag not supported: ${flag}`);
  }
  if (words.length < 2) throw new Error(`COPY needs a source and a destination: ${args}`);
  const dest = words.pop()!;
  return { from, sources: words, dest };
}

/** HEALTHCHECK's options (`--interval=15s` ...) and its command (exec form). */
export function parseHealthcheck(args: string): { options: Record<string, string>; command: string[] } {
  const options: Record<string, string> = {};
  let rest = args;
  for (let flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest); flag; flag = /^--([a-z-]+)=(\S+)\s+/.exec(rest)) {
    options[flag[1]!] = flag[2]!;
    rest = rest.slice(flag[0].length);
  }
  if (!rest.startsWith('CMD ')) throw new Error(`HEALTHCHECK without CMD: ${args}`);
  return { options, command: execForm(rest.slice('CMD '.length)) };
}

/**
 * Whether `.dockerignore` keeps a context path out of the build. Patterns are read in order, the last match wins
 * (Docker's rule); this reader knows `*` (everything) and literal paths (that path and what is under it), with or
 * without `!`, and throws on anything else rather than guess.
 */
export function dockerIgnores(dockerignore: string, path: string): boolean {
  let ignored = false;
  for (const raw of dockerignore.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = (negated ? line.slice(1) : line).replace(/^\.?\//, '').replace(/\/$/, '');
    if (pattern !== '*' && /[*?[\]]/.test(pattern)) throw new Error(`.dockerignore pattern not supported by this check: ${line}`);
    const matches = pattern === '*' || path === pattern || path.startsWith(`${pattern}/`);
    if (matches) ignored = !negated;
  }
  return ignored;
}

/** The repository's Dockerfile, parsed. */
export function repoDockerfile(): DockerStage[] {
  return parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
}

/** The last instruction of a keyword in a stage (CMD, USER, HEALTHCHECK: the last one is the one that counts). */
export function lastInstruction(stage: DockerStage, keyword: string): DockerInstruction | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1);
}

/** tsconfig.build.json as the compiler reads it (it has comments and extends tsconfig.json). */
export function buildCompilerOptions(): { outDir: string; rootDir: string; include: readonly string[] } {
  const file = join(REPO_ROOT, 'tsconfig.build.json');
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, REPO_ROOT, undefined, file);
  const { outDir, rootDir } = parsed.options;
  if (outDir === undefined || rootDir === undefined) throw new Error('tsconfig.build.json must set outDir and rootDir');
  return { outDir, rootDir, include: (read.config as { include?: string[] }).include ?? [] };
}

/** The `node` arguments of an npm script that runs node (`start:prod`), as bench/run.ts reads `start`. */
export function nodeScriptArgs(script: string): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const text = pkg.scripts[script];
  if (text === undefined) throw new Error(`package.json has no ${script} script`);
  const [command, ...args] = text.split(/\s+/);
  if (command !== 'node' || args.some((a) => /["'$&|;]/.test(a))) throw new Error(`${script} must be a plain node command: ${text}`);
  return args;
}
