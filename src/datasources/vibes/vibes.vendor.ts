/** Vibes' entry in the registry: persons, their list subscriptions, and the consent callbacks they push. */
import type { VibesSimulatorOptions } from '../../simulators/vibes/vibes.simulator.js';
import { parseListPurposes } from '../../consent/list-purposes.js';
import { defineVendor } from '../vendor.js';
import { parseVibesConfig } from './vibes.config.js';
import { connectVibes } from './vibes.connect.js';

export const vibesVendor = defineVendor({
  key: 'vibes',
  vendor: 'VIBES',
  baseUrlVariable: 'VIBES_BASE_URL',
  parseConfig: parseVibesConfig,
  connect: connectVibes,
  demo: {
    serves: 'a seeded mobile database (persons, lists 7001 and 7002)',
    configFor: (config, sim) => ({
      ...config,
      baseUrl: sim.baseUrl,
      username: sim.username,
      password: sim.password,
      companyKey: sim.companyKey,
      // The seeded lists' purposes (7002 is ACCOUNT), unless the operator named the lists.
      listPurposes: config.listPurposes.entries.size > 0 ? config.listPurposes : parseListPurposes(sim.listPurposes),
      // API version 2, as the gateway's client speaks: callbacks carry E.164 MDNs.
      simulatorCallbacks: { register: (url: string) => void sim.setCallbackUrl(url, { version: 2 }) },
    }),
  },
  loadSimulator: async () => (await import('../../simulators/vibes/vibes.hooks.js')).vibesSimulatorHooks,
});

export type { VibesSimulatorOptions };
