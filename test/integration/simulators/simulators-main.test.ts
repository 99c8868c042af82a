import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { request } from 'undici';
import { VENDORS } from '../../../src/datasources/registry.js';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Every vendor's simulator on a free port: the default ports may be taken on a developer's machine. */
const FREE_PORTS = Object.fromEntries(VENDORS.map((v) => [`${v.baseUrlVariable.replace(/_BASE_URL$/, '')}_SIM_PORT`, '0']));

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulators/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...FREE_PORTS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(r: Run, pattern: RegExp, ms = 8000): Promise<RegExpMatchArray> {
  const start = Date.now();
  for (;;) {
    const m = r.output().match(pattern);
    if (m) return m;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${pattern}; output:\n${r.output()}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('npm run simulators (src/simulators/main.ts)', () => {
  it('starts LoanPro, prints how to configure the gateway without leaking a custom token, stops on SIGTERM', async () => {
    const r = run({
      LOANPRO_SIM_PORT: '0',
      LOANPRO_SIM_API_TOKEN: 'custom-secret-token-xyz',
      SIM_LATENCY_MS: '1',
      LOANPRO_SIM_ERROR_RATE: '0',
    });
    const [, baseUrl] = await waitFor(r, /LOANPRO_BASE_URL=(\S+)/);
    await waitFor(r, /ready/);
    expect(r.output()).toContain('LOANPRO_INSTANCE_ID=5200000');
    expect(r.output()).toContain('/__sim/faults');
    expect(r.output()).toContain('latencyMs=1');
    expect(r.output()).not.toContain('custom-secret-token-xyz');

    const res = await request(`${baseUrl}/odata.svc/Customers(1178)`, {
      headers: { Authorization: 'Bearer custom-secret-token-xyz', 'Autopal-Instance-ID': '5200000' },
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();

    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.output()).not.toMatch(/6514737960|472583916/); // no phone numbers or SSNs printed
  });

  it('starts every vendor of the registry by default, each printing its base-URL variable', async () => {
    const r = run({});
    await waitFor(r, /ready/);
    for (const vendor of VENDORS) expect(r.output()).toContain(`${vendor.baseUrlVariable}=`);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });

  it('exits 1 with a readable message on bad settings', async () => {
    const r = run({ LOANPRO_SIM_PORT: '0', SIM_ERROR_RATE: '3' });
    expect(await r.exited).toBe(1);
    expect(r.output()).toMatch(/errorRate must be between 0 and 1/);
  });
});
