/** MessageMedia's entry in the registry: dedicated numbers (search, assign, relabel, release). */
import type { MessageMediaSimulatorOptions } from '../../simulators/messagemedia/messagemedia.simulator.js';
import { defineVendor } from '../vendor.js';
import { parseMessageMediaConfig } from './messagemedia.config.js';
import { connectMessageMedia } from './messagemedia.connect.js';

export const messageMediaVendor = defineVendor({
  key: 'messagemedia',
  vendor: 'MESSAGEMEDIA',
  baseUrlVariable: 'MESSAGEMEDIA_BASE_URL',
  parseConfig: parseMessageMediaConfig,
  connect: connectMessageMedia,
  demo: {
    serves: 'a seeded number inventory',
    configFor: (config, sim) => ({ ...config, baseUrl: sim.baseUrl, apiKey: sim.apiKey, apiSecret: sim.apiSecret }),
  },
  loadSimulator: async () => (await import('../../simulators/messagemedia/messagemedia.hooks.js')).messageMediaSimulatorHooks,
});

export type { MessageMediaSimulatorOptions };
