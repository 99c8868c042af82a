/**
 * The production build, run as the image runs it: `npm run build`'s compiler command into a temporary app
 * directory laid out like the image's /app (package.json, production dependencies only, dist/), then the
 * Dockerfile's CMD in it, in demo mode. No tsx can be loaded: it is not in that node_modules, not on the command
 * line and not in NODE_OPTIONS. The Dockerfile's HEALTHCHECK command runs against it; `npm run simulators`' compiled
 * entry starts too.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDORS } from '../../../src/datasources/registry.js';
import { buildCompilerOptions, execForm, lastInstruction, parseHealthcheck, repoDockerfile } from '../../helpers/dockerfile.js';
import { ADMIN_KEY, REPO_ROOT, spawnGateway, type GatewayProcess } from '../../helpers/gateway.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

const runtime = repoDockerfile().at(-1)!;
const CMD = execForm(lastInstruction(runtime, 'CMD')!.args);
const HEALTHCHECK = parseHealthcheck(lastInstruction(runtime, 'HEALTHCHECK')!.args).command;

/**
 * `node_modules` as `npm ci --omit=dev` leaves it: a link to each top-level package the lockfile does not mark dev
 * (nested copies come with their parent). Dev-only packages (tsx, esbuild, typescript, vitest) are absent.
 */
function productionNodeModules(target: string): void {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || path.lastIndexOf('node_modules/') !== 0) continue;
    const installed = join(REPO_ROOT, path);
    if (!existsSync(installed)) continue; // an optional package for another platform
    const link = join(target, path);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(installed, link, 'dir');
  }
}

/** The build script's compiler, with the output sent elsewhere (`npm run build -- --outDir <dir>`). */
async function build(outDir: string): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = pkg.scripts['build']!.split(/\s+/);
  expect(command).toBe('tsc');
  await run(process.execPath, [require.resolve('typescript/bin/tsc'), ...args, '--outDir', outDir], { cwd: REPO_ROOT });
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The HEALTHCHECK command with only PORT set: its exit code. */
async function healthcheck(port: number): Promise<number> {
  const [command, ...args] = HEALTHCHECK;
  expect(command).toBe('node');
  try {
    await run(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', PORT: String(port) } });
    return 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

describe('the production build', () => {
  let app: string;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'switchboard-build-'));
    copyFileSync(join(REPO_ROOT, 'package.json'), join(app, 'package.json'));
    productionNodeModules(app);
    await build(join(app, relative(REPO_ROOT, buildCompilerOptions().outDir)));
    gateway = await spawnGateway({ DATA_DIR: join(app, 'data') }, { args: CMD.slice(1), cwd: app });
  }, 180_000);

  afterAll(async () => {
    await gateway?.kill('SIGKILL');
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('has no tsx to load: not installed beside it, not on its command line, not in NODE_OPTIONS', () => {
    // The source tree can resolve tsx (so this check can fail); the compiled app's tree cannot.
    expect(() => createRequire(join(REPO_ROOT, 'src', 'main.ts')).resolve('tsx')).not.toThrow();
    expect(() => createRequire(join(app, 'dist', 'main.js')).resolve('tsx')).toThrow(/Cannot find module/);
    expect(() => createRequire(join(app, 'dist', 'main.js')).resolve('typescript')).toThrow(/Cannot find module/);

    const cmdline = readFileSync(`/proc/${gateway!.pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    expect(cmdline).toEqual([process.execPath, ...CMD.slice(1)]);
    expect(cmdline.join(' ')).not.toMatch(/tsx|--import|--loader|--require/);
    const environ = readFileSync(`/proc/${gateway!.pid}/environ`, 'utf8').split('\0');
    expect(environ.filter((v) => v.startsWith('NODE_OPTIONS='))).toEqual([]);
    expect(readdirSync(join(app, 'dist')).some((f) => f.endsWith('.ts'))).toBe(false);
  });

  it('starts in demo mode, answers /healthz and /readyz, and serves a query through every embedded simulator', async () => {
    const up = await gateway!.waitForLog((line) => typeof line.msg === 'string' && line.msg.startsWith('Switchboard is up'));
    expect(up['demoMode']).toBe(true);

    const health = await fetch(`${gateway!.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gateway!.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'sqlite' });

    const res = await fetch(`${gateway!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({
        query: `{
          customer(id: "1178") { id firstName phones { number } }
          order(id: "57062885") { id borrowers { id } }
          person(externalId: "1178") { key externalId }
          availableNumbers(country: "AU", capabilities: [SMS], first: 1) { edges { node { id } } }
        }`,
      }),
    });
    const body = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data!['customer'].id).toBe('1178');
    expect(body.data!['customer'].phones.length).toBeGreaterThan(0);
    expect(body.data!['order'].id).toBe('57062885');
    expect(body.data!['person'].externalId).toBe('1178');
    expect(body.data!['availableNumbers'].edges).toHaveLength(1);
    for (const phone of body.data!['customer'].phones as Array<{ number: string }>) expect(phone.number).toMatch(/^\+[1-9]\d{6,14}$/);

    // Each answer came over HTTP from the vendor's embedded simulator, loaded lazily from the compiled dist/.
    for (const vendor of VENDORS) {
      const log = await fetch(`${gateway!.url}/__sim/${vendor.key}/requests`);
      expect(log.status, vendor.key).toBe(200);
      const entries = (await log.json()) as Array<{ method: string; status: number }>;
      expect(entries.filter((e) => e.status === 200).length, `${vendor.key} answered the gateway`).toBeGreaterThan(0);
    }
  });

  it("passes the Dockerfile's HEALTHCHECK, which fails where nothing listens", async () => {
    expect(await healthcheck(Number(new URL(gateway!.url).port))).toBe(0);
    expect(await healthcheck(await closedPort())).not.toBe(0);
  });

  it('shuts down cleanly on SIGTERM (exit code 0)', async () => {
    expect(await gateway!.stop()).toBe(0);
    expect(gateway!.logs.some((line) => line.msg === 'shutting down: draining requests')).toBe(true);
  });

  it("starts the compiled `npm run simulators` entry (every vendor's simulator)", async () => {
    const ports = Object.fromEntries(VENDORS.map((v) => [`${v.baseUrlVariable.replace(/_BASE_URL$/, '')}_SIM_PORT`, '0']));
    const child = spawn(process.execPath, [join(app, 'dist', 'simulators', 'main.js')], {
      cwd: app,
      env: { PATH: process.env['PATH'] ?? '', ...ports },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines: string[] = [];
    const stderr: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          lines.push(line);
          if (/ready/.test(line)) resolve();
        });
        void exited.then((code) => reject(new Error(`simulators exited (${code}): ${stderr.join('\n')}`)));
      });
      for (const vendor of VENDORS) expect(lines.join('\n')).toContain(`${vendor.baseUrlVariable}=http://127.0.0.1:`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
