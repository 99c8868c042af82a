/**
 * The RecoveryConnect launcher (`npm run simulators`): env settings, what describe() prints, and that a custom
 * password never appears in it.
 */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import type { Env, RunningSimulator } from '../../../src/simulators/catalog.js';
import { recoveryConnectLauncher } from '../../../src/simulators/recoveryconnect/recoveryconnect.launcher.js';

const running: RunningSimulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function launch(env: Env): Promise<RunningSimulator> {
  const sim = await recoveryConnectLauncher.launch({
    host: '127.0.0.1',
    port: 0,
    faults: { latencyMs: 1 },
    faultSeed: 3,
    logCapacity: 50,
    env,
  });
  running.push(sim);
  return sim;
}

async function loginStatus(origin: string, username: string, password: string): Promise<{ status: number; expiresIn?: number }> {
  const res = await request(`${origin}/api/v140/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.body.json()) as { expires_in?: number };
  return body.expires_in === undefined ? { status: res.statusCode } : { status: res.statusCode, expiresIn: body.expires_in };
}

describe('recoveryConnectLauncher', () => {
  it('is the catalogue entry the lead wires in: name, env prefix, default port 4011', () => {
    expect(recoveryConnectLauncher).toMatchObject({ name: 'recoveryconnect', envPrefix: 'RECOVERYCONNECT', defaultPort: 4011 });
  });

  it('starts with the public defaults and prints how to configure the gateway', async () => {
    const sim = await launch({});
    const lines = sim.describe();
    expect(lines[0]).toBe(`RECOVERYCONNECT_BASE_URL=${sim.origin}`);
    expect(lines).toContain('RECOVERYCONNECT_USERNAME=sim-recoveryconnect');
    expect(lines).toContain('RECOVERYCONNECT_PASSWORD=sim-recoveryconnect-password');
    const text = lines.join('\n');
    for (const expected of ['57062885', '124927241', '57062900', '/__sim/tokens/expire', '/__sim/data/reset', '/__sim/faults', 'expire after 3600s']) {
      expect(text).toContain(expected);
    }
    expect(sim.getFaults().latencyMs).toBe(1);
    expect(await loginStatus(sim.origin, 'sim-recoveryconnect', 'sim-recoveryconnect-password')).toEqual({ status: 200, expiresIn: 3600 });
  });

  it('takes username, password and token lifetime from env, and never prints a custom password', async () => {
    const sim = await launch({
      RECOVERYCONNECT_SIM_USERNAME: 'agent-smith',
      RECOVERYCONNECT_SIM_PASSWORD: 'hunter2-custom-secret',
      RECOVERYCONNECT_SIM_TOKEN_TTL_S: '120',
    });
    const text = sim.describe().join('\n');
    expect(text).toContain('RECOVERYCONNECT_USERNAME=agent-smith');
    expect(text).toContain('RECOVERYCONNECT_PASSWORD=<the value of RECOVERYCONNECT_SIM_PASSWORD>');
    expect(text).toContain('expire after 120s');
    expect(text).not.toContain('hunter2-custom-secret');
    expect(await loginStatus(sim.origin, 'agent-smith', 'hunter2-custom-secret')).toEqual({ status: 200, expiresIn: 120 });
    expect((await loginStatus(sim.origin, 'sim-recoveryconnect', 'sim-recoveryconnect-password')).status).toBe(401);
  });

  it.each(['0', '-5', '1.5', 'soon'])('refuses RECOVERYCONNECT_SIM_TOKEN_TTL_S=%s', async (ttl) => {
    await expect(launch({ RECOVERYCONNECT_SIM_TOKEN_TTL_S: ttl })).rejects.toThrow(/RECOVERYCONNECT_SIM_TOKEN_TTL_S/);
  });
});
