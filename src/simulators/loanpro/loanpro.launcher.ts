/**
 * How `npm run simulators` starts the LoanPro simulator standalone.
 *
 * Vendor-specific env (all optional):
 *   LOANPRO_SIM_API_TOKEN        token the simulator accepts (default sim-loanpro-token)
 *   LOANPRO_SIM_INSTANCE_ID      Autopal-Instance-ID it accepts (default 5200000)
 *   LOANPRO_SIM_FILTER_OR        supported | rejected
 *   LOANPRO_SIM_COLLECTION_ACCESS allowed | deprecated
 */
import type { RunningSimulator, SimulatorDefinition, SimulatorLaunchOptions } from '../catalog.js';
import { createLoanProSimulator, DEFAULT_LOANPRO_API_TOKEN } from './loanpro.simulator.js';
import type { CollectionAccessMode, FilterOrMode } from './loanpro.customers.js';

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

export const loanProLauncher: SimulatorDefinition = {
  name: 'loanpro',
  envPrefix: 'LOANPRO',
  defaultPort: 4010,
  async launch(options: SimulatorLaunchOptions): Promise<RunningSimulator> {
    const { env } = options;
    const customToken = env['LOANPRO_SIM_API_TOKEN'];
    const filterOr = oneOf<FilterOrMode>('LOANPRO_SIM_FILTER_OR', env['LOANPRO_SIM_FILTER_OR'], ['supported', 'rejected']);
    const collectionAccess = oneOf<CollectionAccessMode>('LOANPRO_SIM_COLLECTION_ACCESS', env['LOANPRO_SIM_COLLECTION_ACCESS'], [
      'allowed',
      'deprecated',
    ]);
    const sim = createLoanProSimulator({
      ...options.faults,
      host: options.host,
      port: options.port,
      ...(customToken ? { apiToken: customToken } : {}),
      ...(env['LOANPRO_SIM_INSTANCE_ID'] ? { instanceId: env['LOANPRO_SIM_INSTANCE_ID'] } : {}),
      ...(filterOr === undefined ? {} : { filterOr }),
      ...(collectionAccess === undefined ? {} : { collectionAccess }),
      ...(options.faultSeed === undefined ? {} : { faultSeed: options.faultSeed }),
      ...(options.logCapacity === undefined ? {} : { logCapacity: options.logCapacity }),
    });
    const { url, baseUrl } = await sim.start();
    return {
      name: 'loanpro',
      origin: url,
      describe(): string[] {
        const b = sim.getBehaviour();
        return [
          `LOANPRO_BASE_URL=${baseUrl}`,
          // The default token is a public constant; a custom one is never printed.
          customToken
            ? 'LOANPRO_API_TOKEN=<the value of LOANPRO_SIM_API_TOKEN>'
            : `LOANPRO_API_TOKEN=${DEFAULT_LOANPRO_API_TOKEN}`,
          `LOANPRO_INSTANCE_ID=${sim.instanceId}`,
          `data: ${sim.customerIds().length} seeded customers (e.g. 1178, 1121, 1183, 555; 1251 has no phones)`,
          `behaviour: filterOr=${b.filterOr} collectionAccess=${b.collectionAccess}`,
          `control: GET|DELETE ${url}/__sim/requests  GET ${url}/__sim/requests/stats  GET|PUT|DELETE ${url}/__sim/faults  GET|PUT ${url}/__sim/behaviour  POST ${url}/__sim/data/reset`,
        ];
      },
      getFaults: () => sim.getFaults(),
      close: () => sim.close(),
    };
  },
};
