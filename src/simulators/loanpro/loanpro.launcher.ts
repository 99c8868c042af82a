/**
 * How `npm run simulators` starts the LoanPro simulator standalone.
 *
 * Vendor-specific env (all optional):
 *   LOANPRO_SIM_API_TOKEN        token the simulator accepts (default sim-loanpro-token)
 *   LOANPRO_SIM_INSTANCE_ID      Autopal-Instance-ID it accepts (default 5200000)
 *   LOANPRO_SIM_FILTER_OR        supported | rejected
 *   LOANPRO_SIM_COLLECTION_ACCESS allowed | deprecated
 *   LOANPRO_SIM_VERIFICATION_BY_TEXT pin | none   the SBT "Verification by Text" type (seed 000)
 *   LOANPRO_SIM_SBT_PIN_SEED     integer seed of the SBT PINs (default: a fixed one, same PINs every run)
 */
import type { RunningSimulator, SimulatorDefinition, SimulatorLaunchOptions } from '../catalog.js';
import { createLoanProSimulator, DEFAULT_LOANPRO_API_TOKEN } from './loanpro.simulator.js';
import type { CollectionAccessMode, FilterOrMode } from './loanpro.customers.js';
import { VERIFICATION_BY_TEXT_TYPES, type VerificationByText } from './loanpro.sbt-state.js';

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d{1,10}$/.test(value.trim())) throw new Error(`${name} must be an integer`);
  return Number(value.trim());
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
    const phonesCollection = oneOf<CollectionAccessMode>('LOANPRO_SIM_PHONES_COLLECTION', env['LOANPRO_SIM_PHONES_COLLECTION'], [
      'allowed',
      'deprecated',
    ]);
    const verificationByText = oneOf<VerificationByText>(
      'LOANPRO_SIM_VERIFICATION_BY_TEXT',
      env['LOANPRO_SIM_VERIFICATION_BY_TEXT'],
      VERIFICATION_BY_TEXT_TYPES,
    );
    const sbtPinSeed = integer('LOANPRO_SIM_SBT_PIN_SEED', env['LOANPRO_SIM_SBT_PIN_SEED']);
    const sim = createLoanProSimulator({
      ...options.faults,
      host: options.host,
      port: options.port,
      ...(customToken ? { apiToken: customToken } : {}),
      ...(env['LOANPRO_SIM_INSTANCE_ID'] ? { instanceId: env['LOANPRO_SIM_INSTANCE_ID'] } : {}),
      ...(filterOr === undefined ? {} : { filterOr }),
      ...(collectionAccess === undefined ? {} : { collectionAccess }),
      ...(phonesCollection === undefined ? {} : { phonesCollection }),
      ...(verificationByText === undefined ? {} : { verificationByText }),
      ...(sbtPinSeed === undefined ? {} : { sbtPinSeed }),
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
          `behaviour: filterOr=${b.filterOr} collectionAccess=${b.collectionAccess} phonesCollection=${b.phonesCollection} sbt verificationByText=${sim.getSbtSettings().verificationByText}`,
          `control: GET|DELETE ${url}/__sim/requests  GET ${url}/__sim/requests/stats  GET|PUT|DELETE ${url}/__sim/faults  GET|PUT ${url}/__sim/behaviour  POST ${url}/__sim/data/reset`,
          `sbt: GET ${url}/__sim/sbt/pins/{phoneId} (the texted PINs)  GET|DELETE ${url}/__sim/sbt/texts  GET|PUT ${url}/__sim/sbt/settings`,
        ];
      },
      getFaults: () => sim.getFaults(),
      close: () => sim.close(),
    };
  },
};
