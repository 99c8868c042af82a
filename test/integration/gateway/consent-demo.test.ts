/**
 * Demo mode: with no VIBES_BASE_URL the gateway embeds the Vibes simulator; once the gateway listens it registers
 * its own callback URL there (`POST /webhooks/vibes/<generated secret>`), so a keyword opt-in at the simulator
 * lands in the ledger with nothing set up by hand. The generated secret stays out of the log.
 */
import { describe, expect, it } from 'vitest';
import type { VibesSimulator } from '../../../src/simulators/vibes/vibes.simulator.js';
import { startGateway } from '../../helpers/gateway.js';
import { SETTLE } from '../consent/gateway.fixtures.js';

describe('demo mode: the embedded Vibes simulator delivers to the gateway', () => {
  it('registers the callback URL when the gateway listens, and a keyword opt-in reaches the ledger', async () => {
    // Vibes left out of the helper's simulators: the gateway starts its own (demo mode).
    const gw = await startGateway({ listen: true, vendors: ['loanpro'] });
    try {
      const sim = gw.app.simulators.vibes as VibesSimulator;
      await expect.poll(() => sim.registrations().map((r) => [r.callbackType, r.destination.url, r.apiVersion]), SETTLE).toEqual(
        expect.arrayContaining([
          ['subscription_added', gw.vibesCallbackUrl, 2],
          ['subscription_removed', gw.vibesCallbackUrl, 2],
        ]),
      );
      const number = '+16125550401';
      sim.subscribe({ mdn: number }, '7001');
      await expect.poll(async () => (await gw.app.store.ledger.history(number)).map((e) => e.status).sort(), SETTLE).toEqual(['GRANTED', 'PENDING']);

      const secret = new URL(gw.vibesCallbackUrl!).pathname.split('/').at(-1)!;
      expect(secret.length).toBeGreaterThanOrEqual(16);
      const text = gw.logs.join('\n');
      expect(text).toContain('demo: callback URL registered with the simulator');
      expect(text).not.toContain(secret);
    } finally {
      await gw.close();
    }
  });
});
