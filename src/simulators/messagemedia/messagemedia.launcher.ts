/**
 * How `npm run simulators` starts the MessageMedia simulator standalone (default port 4012).
 *
 * Vendor-specific env (all optional):
 *   MESSAGEMEDIA_SIM_API_KEY       HTTP Basic user the simulator accepts (default sim-messagemedia-key)
 *   MESSAGEMEDIA_SIM_API_SECRET    HTTP Basic password it accepts (default sim-messagemedia-secret; a custom one is
 *                                  never printed)
 *   MESSAGEMEDIA_SIM_PATCH_STATUS  200 (Assignment body, default) | 204 (no body) for PATCH .../assignment
 */
import type { RunningSimulator, SimulatorDefinition, SimulatorLaunchOptions } from '../catalog.js';
import type { PatchAssignmentStatus } from './messagemedia.model.js';
import { createMessageMediaSimulator, DEFAULT_MESSAGEMEDIA_API_SECRET } from './messagemedia.simulator.js';
import type { MessageMediaSimulator } from './messagemedia.simulator.js';

function patchStatus(value: string | undefined): PatchAssignmentStatus | undefined {
  const v = value?.trim();
  if (v === undefined || v === '') return undefined;
  if (v === '200' || v === '204') return Number(v) as PatchAssignmentStatus;
  throw new Error('MESSAGEMEDIA_SIM_PATCH_STATUS must be 200 or 204');
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function inventoryLine(sim: MessageMediaSimulator): string {
  const byCountry = new Map<string, number>();
  for (const id of sim.findNumberIds()) {
    const country = sim.getNumber(id)?.country ?? '?';
    byCountry.set(country, (byCountry.get(country) ?? 0) + 1);
  }
  const countries = [...byCountry.entries()].map(([c, n]) => `${c} ${n}`).join(', ');
  const available = sim.findNumberIds({ state: 'available' }).length;
  const examples = sim.findNumberIds({ state: 'available', country: 'AU', capability: 'SMS', limit: 3 }).join(', ');
  return `data: ${sim.inventorySize()} numbers (${countries}); ${available} available now; ${sim.assignedIds().length} assigned to the account; available AU SMS e.g. ${examples}`;
}

export const messageMediaLauncher: SimulatorDefinition = {
  name: 'messagemedia',
  envPrefix: 'MESSAGEMEDIA',
  defaultPort: 4012,
  async launch(options: SimulatorLaunchOptions): Promise<RunningSimulator> {
    const { env } = options;
    const apiKey = present(env['MESSAGEMEDIA_SIM_API_KEY']);
    const apiSecret = present(env['MESSAGEMEDIA_SIM_API_SECRET']);
    const patchAssignmentStatus = patchStatus(env['MESSAGEMEDIA_SIM_PATCH_STATUS']);
    const sim = createMessageMediaSimulator({
      host: options.host,
      port: options.port,
      faults: options.faults,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(apiSecret === undefined ? {} : { apiSecret }),
      ...(patchAssignmentStatus === undefined ? {} : { behaviour: { patchAssignmentStatus } }),
      ...(options.faultSeed === undefined ? {} : { faultSeed: options.faultSeed }),
      ...(options.logCapacity === undefined ? {} : { logCapacity: options.logCapacity }),
    });
    const { url } = await sim.start();
    return {
      name: 'messagemedia',
      origin: url,
      describe(): string[] {
        const b = sim.getBehaviour();
        return [
          `MESSAGEMEDIA_BASE_URL=${sim.baseUrl}`,
          `MESSAGEMEDIA_API_KEY=${sim.apiKey}`,
          // The default secret is a public constant; a custom one is never printed.
          apiSecret === undefined
            ? `MESSAGEMEDIA_API_SECRET=${DEFAULT_MESSAGEMEDIA_API_SECRET}`
            : 'MESSAGEMEDIA_API_SECRET=<the value of MESSAGEMEDIA_SIM_API_SECRET>',
          inventoryLine(sim),
          `behaviour: patchAssignmentStatus=${b.patchAssignmentStatus} unknownToken=${b.unknownToken} phoneNumberFormat=${b.phoneNumberFormat} releaseGraceDays=${b.releaseGraceDays} dedicatedNumbersEnabled=${b.dedicatedNumbersEnabled}`,
          `control: GET|DELETE ${url}/__sim/requests  GET ${url}/__sim/requests/stats  GET|PUT|PATCH|DELETE ${url}/__sim/faults  GET|PUT ${url}/__sim/behaviour  POST ${url}/__sim/data/reset`,
        ];
      },
      getFaults: () => sim.getFaults(),
      close: () => sim.close(),
    };
  },
};
