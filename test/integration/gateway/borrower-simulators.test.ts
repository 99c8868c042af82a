import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DOC_ORDER_ID } from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

/** `npm run simulators`' output up to its ready line (or its exit), read line by line as it comes. */
async function startSimulators(env: Record<string, string>): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulators/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  const errors = createInterface({ input: child.stderr! });
  errors.on('line', (line) => lines.push(line));
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(line);
    if (line.startsWith('[simulators] ready')) break;
  }
  return { child, lines };
}

describe('npm run simulators', () => {
  it('starts the RecoveryConnect simulator beside LoanPro, printing the gateway settings for it', async () => {
    // Only the two it is about, each on a free port: a vendor added later (or one on its default port) cannot fail it.
    const { child, lines } = await startSimulators({ SIMULATORS: 'loanpro,recoveryconnect', LOANPRO_SIM_PORT: '0', RECOVERYCONNECT_SIM_PORT: '0' });
    const text = lines.join('\n');
    expect(text).toMatch(/\[simulators\] loanpro listening on/);
    const origin = /\[simulators\] recoveryconnect listening on (\S+)/.exec(text)?.[1];
    expect(origin, text).toBeDefined();
    expect(text).toContain(`RECOVERYCONNECT_BASE_URL=${origin}`);
    const username = /RECOVERYCONNECT_USERNAME=(\S+)/.exec(text)![1]!;
    const password = /RECOVERYCONNECT_PASSWORD=(\S+)/.exec(text)![1]!;

    // What it printed is what the gateway would be configured with: it logs in, and the docs' order is there.
    const login = await request(`${origin}/api/v140/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(login.statusCode).toBe(200);
    const { access_token: token } = (await login.body.json()) as { access_token: string };
    const borrowers = await request(`${origin}/api/v140/orders/${DOC_ORDER_ID}/borrowers`, { headers: { authorization: `Bearer ${token}` } });
    expect(borrowers.statusCode).toBe(200);
    expect(((await borrowers.body.json()) as { data: unknown[] }).data).toHaveLength(2);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
