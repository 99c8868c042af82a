/**
 * The Dockerfile cannot be built here (no registry), so its promises are checked by reading it: two stages, the
 * runtime one runs compiled JavaScript (npm start:prod's command, no tsx) as a non-root user with NODE_ENV=production,
 * a HEALTHCHECK on /healthz, the ports the configuration defaults to, and every COPY names something that exists
 * (in the build context and not ignored, or in the build stage's output). test/integration/build runs the CMD and
 * the HEALTHCHECK command against the compiled gateway.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import {
  buildCompilerOptions,
  dockerIgnores,
  execForm,
  lastInstruction,
  nodeScriptArgs,
  parseCopy,
  parseDockerfile,
  parseHealthcheck,
  repoDockerfile,
  type DockerStage,
} from '../../helpers/dockerfile.js';
import { REPO_ROOT } from '../../helpers/gateway.js';

const stages = repoDockerfile();
const runtime = stages.at(-1)!;
const dockerignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8');
const runs = (stage: DockerStage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const workdir = (stage: DockerStage) => lastInstruction(stage, 'WORKDIR')?.args;

describe('the Dockerfile', () => {
  it('builds in one stage and runs in another that starts from a clean base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((s) => s.name !== undefined && runs(s).some((r) => /\bnpm run build\b/.test(r)));
    expect(build, 'a named stage runs npm run build').toBeDefined();
    expect(runs(build!).some((r) => /\bnpm ci\b/.test(r) && !/--omit=dev/.test(r)), 'the build stage installs dev dependencies (TypeScript)').toBe(true);
    expect(runtime.base).not.toBe(build!.name); // the final stage does not inherit the build stage's node_modules
    expect(runtime.base).toMatch(/^node:(2[4-9]|[3-9]\d)\b/);
  });

  it('installs only production dependencies in the runtime stage and sets NODE_ENV=production', () => {
    expect(runs(runtime).some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    const env = runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/(^|\s)NODE_ENV=production(\s|$)/);
  });

  it('runs the gateway as a user other than root', () => {
    const user = lastInstruction(runtime, 'USER')?.args;
    expect(user).toBeDefined();
    const [name, group] = user!.split(':');
    for (const part of [name, group]) if (part !== undefined) expect(['root', '0']).not.toContain(part);
    // USER comes before CMD, so the command runs as that user.
    const index = (keyword: string) => runtime.instructions.findIndex((i) => i === lastInstruction(runtime, keyword));
    expect(index('USER')).toBeLessThan(index('CMD'));
  });

  it('starts the compiled entry with npm start:prod\'s node command, not tsx', () => {
    const cmd = execForm(lastInstruction(runtime, 'CMD')!.args);
    expect(cmd[0]).toBe('node');
    expect(cmd.slice(1)).toEqual(nodeScriptArgs('start:prod'));
    for (const arg of cmd) expect(arg).not.toMatch(/tsx|--import|--loader|--require|^-r$|\.ts$/);
    expect(lastInstruction(runtime, 'ENTRYPOINT')).toBeUndefined();

    // The script is src/main.ts compiled by tsconfig.build.json, inside the directory the runtime stage copied in.
    const { outDir, rootDir } = buildCompilerOptions();
    const script = cmd.at(-1)!;
    const inOutput = posix.relative(relative(REPO_ROOT, outDir), script);
    expect(inOutput.startsWith('..'), `${script} is inside the build output`).toBe(false);
    const source = join(rootDir, inOutput.replace(/\.js$/, '.ts'));
    expect(existsSync(source), `${script} is the output of ${relative(REPO_ROOT, source)}`).toBe(true);
    expect(relative(REPO_ROOT, source)).toBe('src/main.ts');
  });

  it('checks /healthz with node (slim images have no curl)', () => {
    const check = lastInstruction(runtime, 'HEALTHCHECK');
    expect(check).toBeDefined();
    const { command } = parseHealthcheck(check!.args);
    expect(command[0]).toBe('node');
    expect(command.join(' ')).toContain('/healthz');
    expect(command.join(' ')).toContain('process.env.PORT');
  });

  it('exposes the configured defaults of PORT and METRICS_PORT', () => {
    const defaults = loadConfig({});
    const exposed = runtime.instructions.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
    expect(exposed).toEqual(expect.arrayContaining([String(defaults.port), String(defaults.metricsPort)]));
  });

  it('copies only what exists: context paths present and not ignored, build-stage paths that the build writes', () => {
    const { outDir, rootDir, include } = buildCompilerOptions();
    const names = new Set(stages.map((s) => s.name).filter((n) => n !== undefined));
    let fromBuild = 0;
    for (const stage of stages) {
      for (const instruction of stage.instructions.filter((i) => i.keyword === 'COPY')) {
        const copy = parseCopy(instruction.args);
        if (copy.from === undefined) {
          for (const source of copy.sources) {
            expect(existsSync(join(REPO_ROOT, source)), `${source} exists`).toBe(true);
            expect(dockerIgnores(dockerignore, posix.normalize(source)), `${source} is not in .dockerignore`).toBe(false);
          }
          continue;
        }
        // From an earlier stage: the build's output directory, under that stage's WORKDIR.
        expect(names.has(copy.from), `--from=${copy.from} names a stage`).toBe(true);
        const producer = stages.find((s) => s.name === copy.from)!;
        for (const source of copy.sources) {
          expect(posix.relative(workdir(producer)!, source)).toBe(relative(REPO_ROOT, outDir));
          fromBuild += 1;
        }
        // ...and lands where the CMD's relative path looks for it (under the same WORKDIR-relative name).
        expect(posix.relative(workdir(stage)!, posix.resolve(workdir(stage)!, copy.dest))).toBe(relative(REPO_ROOT, outDir));
        // The producer copied in what the compiler reads.
        const copiedIn = producer.instructions
          .filter((i) => i.keyword === 'COPY')
          .flatMap((i) => parseCopy(i.args).sources);
        for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', relative(REPO_ROOT, rootDir), ...include]) {
          expect(copiedIn, `the build stage copies ${needed}`).toContain(needed);
        }
      }
    }
    expect(fromBuild).toBeGreaterThan(0);
    // package.json makes dist/*.js ES modules ("type": "module"): the runtime stage needs it beside dist/.
    const runtimeCopies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => parseCopy(i.args));
    expect(runtimeCopies.some((c) => c.from === undefined && c.sources.includes('package.json'))).toBe(true);
  });

  it('keeps secrets and local state out of the build context', () => {
    for (const path of ['.env', 'data/switchboard.db', 'node_modules/tsx/package.json', '.git/config', 'dist/main.js', 'test/helpers/gateway.ts']) {
      expect(dockerIgnores(dockerignore, path), path).toBe(true);
    }
  });
});

describe('the Dockerfile reader', () => {
  it('joins continued lines, skips comments and names stages', () => {
    const parsed = parseDockerfile(['FROM node:24 AS b', '# note', 'RUN a \\', '  # inner', '  && b', 'FROM node:24-slim', 'CMD ["node", "x.js"]'].join('\n'));
    expect(parsed.map((s) => [s.base, s.name])).toEqual([['node:24', 'b'], ['node:24-slim', undefined]]);
    expect(parsed[0]!.instructions).toEqual([{ keyword: 'RUN', args: 'a && b' }]);
    expect(execForm(parsed[1]!.instructions[0]!.args)).toEqual(['node', 'x.js']);
    expect(() => execForm('node x.js')).toThrow();
    expect(() => parseDockerfile('# syntax=docker/dockerfile:1\nFROM node:24')).toThrow(/directive/);
    expect(() => parseDockerfile('FROM node:24\nONBUILD RUN x')).toThrow(/unknown/);
  });

  it('reads .dockerignore with the last matching pattern winning', () => {
    expect(dockerIgnores('*\n!src\n', 'src/main.ts')).toBe(false);
    expect(dockerIgnores('*\n!src\n', 'srcx')).toBe(true);
    expect(dockerIgnores('!src\n*\n', 'src/main.ts')).toBe(true);
    expect(dockerIgnores('node_modules\n', 'src/main.ts')).toBe(false);
    expect(() => dockerIgnores('**/*.log\n', 'a.log')).toThrow(/not supported/);
  });
});
