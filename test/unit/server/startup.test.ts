import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_INSTALL_COMMAND, nodeVersionProblem, startupFailureMessage } from '../../../src/logging/startup.messages.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = 'src/main.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real entry the way `npm start` does (node --import tsx src/main.ts), with only the env given. */
function runEntry(node: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      node,
      ['--import', 'tsx', ENTRY],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('nodeVersionProblem', () => {
  it('accepts Node 22.13 and later', () => {
    for (const version of ['22.13.0', '22.20.1', '23.0.0', '24.21.0', '30.1.2']) expect(nodeVersionProblem(version), version).toBeUndefined();
  });

  it('refuses older Nodes with one line: what is needed, what this is, and the command that gets it', () => {
    for (const version of ['20.20.2', '22.12.0', '18.19.1']) {
      const problem = nodeVersionProblem(version)!;
      expect(problem).toContain('Node.js >= 22.13');
      expect(problem).toContain(`this is Node.js ${version}`);
      expect(problem).toContain(NODE_INSTALL_COMMAND);
      expect(problem).not.toContain('\n');
    }
    expect(NODE_INSTALL_COMMAND).toBe('npm install --prefix "$HOME/.node24" node@24 && export PATH="$HOME/.node24/node_modules/.bin:$PATH"');
  });
});

describe('startupFailureMessage', () => {
  const target = { host: '127.0.0.1', port: 4000 };

  it('says what to do about the usual listen failures, in one line and without a stack', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:4000'), { code: 'EADDRINUSE' });
    expect(startupFailureMessage(inUse, target)).toBe(
      'Cannot listen on 127.0.0.1:4000: the port is already in use. Stop the other process or set PORT to a free port.',
    );
    expect(startupFailureMessage(Object.assign(new Error('x'), { code: 'EACCES' }), target)).toMatch(/^Cannot listen on 127\.0\.0\.1:4000: permission denied\./);
    expect(startupFailureMessage(Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' }), target)).toMatch(/Set HOST/);
  });

  it('passes a configuration error through and redacts anything else', () => {
    const config = Object.assign(new Error('Invalid configuration: PORT must be a whole number'), { name: 'ConfigError' });
    expect(startupFailureMessage(config)).toBe('Invalid configuration: PORT must be a whole number');
    const db = new Error('connect ECONNREFUSED postgres://app:hunter2@db.internal:5432/main');
    expect(startupFailureMessage(db)).toBe('Switchboard could not start: connect ECONNREFUSED postgres://[redacted]@db.internal:5432/main');
  });
});

describe('the entry point', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-entry-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // The machines this project runs on have the system's Node 20 beside the project's Node 24.
  const systemNode = '/usr/bin/node';
  const systemVersion = existsSync(systemNode) ? execFileSync(systemNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim() : '';
  it.runIf(systemVersion !== '' && nodeVersionProblem(systemVersion) !== undefined)(
    `on an older Node (${systemNode} ${systemVersion}) prints the one-line fix and exits 1, before node:sqlite fails to load`,
    async () => {
      const run = await runEntry(systemNode, { DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(lines(run.stderr)).toEqual([nodeVersionProblem(systemVersion)]);
      expect(run.stderr).not.toContain('ERR_UNKNOWN_BUILTIN_MODULE');
    },
  );

  describe('on a port already in use', () => {
    let blocker: Server;
    let port: number;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      port = (blocker.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((resolve) => blocker.close(resolve)));

    it('logs one fatal line that says so, no stack, and exits 1', async () => {
      const run = await runEntry(process.execPath, { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('');
      const logged = lines(run.stdout).map((line) => JSON.parse(line) as { level: number; msg: string });
      const fatal = logged.filter((line) => line.level === 60);
      expect(fatal.map((line) => line.msg)).toEqual([
        `Cannot listen on 127.0.0.1:${port}: the port is already in use. Stop the other process or set PORT to a free port.`,
      ]);
      expect(run.stdout).not.toMatch(/\n\s+at /);
      expect(run.stdout).not.toContain('"stack"');
    });
  });

  it('logs a configuration error as one fatal line and exits 2', async () => {
    const run = await runEntry(process.execPath, { NODE_ENV: 'development', PORT: 'four-thousand', DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    const logged = lines(run.stdout).map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 60, msg: expect.stringMatching(/^Invalid configuration: PORT /) });
  });
});
