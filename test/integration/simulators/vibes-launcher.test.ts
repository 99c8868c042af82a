/**
 * The Vibes launcher (`npm run simulators`) and hooks (registry, test helper): env settings, what describe()
 * prints (never a custom password, the callback URL or a phone number), and the gateway env.
 */
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import type { Env, RunningSimulator } from '../../../src/simulators/catalog.js';
import { basicAuthHeader } from '../../../src/simulators/messagemedia/messagemedia.auth.js';
import { vibesSimulatorHooks } from '../../../src/simulators/vibes/vibes.hooks.js';
import { vibesLauncher } from '../../../src/simulators/vibes/vibes.launcher.js';
import { defaultVibesSeed } from '../../../src/simulators/vibes/vibes.seed.js';

const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function launch(env: Env): Promise<RunningSimulator> {
  const sim = await vibesLauncher.launch({ host: '127.0.0.1', port: 0, faults: { latencyMs: 1 }, faultSeed: 3, logCapacity: 50, env });
  running.push(sim);
  return sim;
}

async function status(url: string, authorization: string): Promise<number> {
  const res = await request(url, { headers: { authorization } });
  await res.body.dump();
  return res.statusCode;
}

describe('vibesLauncher', () => {
  it('is the catalogue entry the lead wires in: name, env prefix, default port 4013', () => {
    expect(vibesLauncher).toMatchObject({ name: 'vibes', envPrefix: 'VIBES', defaultPort: 4013 });
  });

  it('prints how to configure the gateway with the public defaults, the lists, persons and control routes', async () => {
    const sim = await launch({});
    const lines = sim.describe();
    expect(lines.slice(0, 4)).toEqual([
      `VIBES_BASE_URL=${sim.origin}`,
      'VIBES_USERNAME=sim-vibes',
      'VIBES_PASSWORD=sim-vibes-password',
      'VIBES_COMPANY_KEY=simco',
    ]);
    const text = lines.join('\n');
    for (const expected of ['VIBES_LIST_PURPOSES=7001=MARKETING,7002=ACCOUNT', 'keyword DEALS', 'external 1178', 'external 1183', '(no MDN)', '/__sim/stop', '/__sim/callbacks/release?order=fifo|reverse', 'callbacks: none registered']) {
      expect(text).toContain(expected);
    }
    // No phone numbers in what is printed.
    for (const p of defaultVibesSeed().persons) if (p.mdn !== null) expect(text).not.toContain(p.mdn.slice(2));
    expect(sim.getFaults().latencyMs).toBe(1);
    expect(await status(`${sim.origin}/companies/simco/mobiledb/persons/external/1178`, basicAuthHeader('sim-vibes', 'sim-vibes-password'))).toBe(200);
  });

  it('takes credentials, company key and a callback URL from env, and prints neither the password nor the URL', async () => {
    const sim = await launch({
      VIBES_SIM_USERNAME: 'acme-api',
      VIBES_SIM_PASSWORD: 'hunter2-custom-secret',
      VIBES_SIM_COMPANY_KEY: 'acme',
      VIBES_SIM_CALLBACK_URL: 'http://127.0.0.1:9/webhooks/vibes/top-secret-path',
      VIBES_SIM_CALLBACK_VERSION: '1',
    });
    const text = sim.describe().join('\n');
    expect(text).toContain('VIBES_USERNAME=acme-api');
    expect(text).toContain('VIBES_PASSWORD=<the value of VIBES_SIM_PASSWORD>');
    expect(text).toContain('VIBES_COMPANY_KEY=acme');
    expect(text).toContain('callbacks: 4 registrations to VIBES_SIM_CALLBACK_URL (API version 1)');
    expect(text).not.toContain('hunter2-custom-secret');
    expect(text).not.toContain('top-secret-path');
    expect(await status(`${sim.origin}/companies/acme/mobiledb/persons/external/1178`, basicAuthHeader('acme-api', 'hunter2-custom-secret'))).toBe(200);
    expect(await status(`${sim.origin}/companies/simco/mobiledb/persons/external/1178`, basicAuthHeader('acme-api', 'hunter2-custom-secret'))).toBe(404);
  });

  it.each(['3', 'v2'])('refuses VIBES_SIM_CALLBACK_VERSION=%s', async (version) => {
    await expect(launch({ VIBES_SIM_CALLBACK_VERSION: version })).rejects.toThrow(/VIBES_SIM_CALLBACK_VERSION/);
  });
});

describe('vibesSimulatorHooks', () => {
  it('starts a simulator and gives the gateway env that reaches it', async () => {
    const sim = await vibesSimulatorHooks.start({ companyKey: 'hookco' });
    running.push(sim);
    const env = vibesSimulatorHooks.gatewayEnv(sim);
    expect(env).toEqual({ VIBES_BASE_URL: sim.url, VIBES_USERNAME: 'sim-vibes', VIBES_PASSWORD: 'sim-vibes-password', VIBES_COMPANY_KEY: 'hookco', VIBES_CALLBACK_SECRET: 'sim-vibes-callback-secret' });
    const url = `${env['VIBES_BASE_URL'] ?? ''}/companies/${env['VIBES_COMPANY_KEY'] ?? ''}/mobiledb/subscription_lists`;
    expect(await status(url, basicAuthHeader(env['VIBES_USERNAME'] ?? '', env['VIBES_PASSWORD'] ?? ''))).toBe(200);
    expect(vibesSimulatorHooks.launcher).toBe(vibesLauncher);
  });
});
