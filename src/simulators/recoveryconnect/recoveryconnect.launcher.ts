/**
 * How `npm run simulators` starts the RecoveryConnect simulator standalone.
 *
 * Vendor-specific env (all optional):
 *   RECOVERYCONNECT_SIM_USERNAME      login the simulator accepts (default sim-recoveryconnect)
 *   RECOVERYCONNECT_SIM_PASSWORD      its password (default sim-recoveryconnect-password; a custom one is never printed)
 *   RECOVERYCONNECT_SIM_TOKEN_TTL_S   token lifetime in whole seconds, sent as expires_in (default 3600)
 */
import type { Env, RunningSimulator, SimulatorDefinition, SimulatorLaunchOptions } from '../catalog.js';
import { DEFAULT_TOKEN_TTL_SECONDS } from './recoveryconnect.model.js';
import {
  BENCH_BORROWER_COUNT,
  BENCH_ORDER_ID,
  DOC_BORROWER_ID,
  DOC_ORDER_ID,
  EDGE_ORDER_ID,
  EMPTY_ORDER_ID,
  NO_PHONES_BORROWER_ID,
} from './recoveryconnect.seed.js';
import {
  createRecoveryConnectSimulator,
  DEFAULT_RECOVERYCONNECT_PASSWORD,
  DEFAULT_RECOVERYCONNECT_USERNAME,
} from './recoveryconnect.simulator.js';

function setting(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function ttlFrom(env: Env): number {
  const raw = setting(env, 'RECOVERYCONNECT_SIM_TOKEN_TTL_S');
  if (raw === undefined) return DEFAULT_TOKEN_TTL_SECONDS;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error('RECOVERYCONNECT_SIM_TOKEN_TTL_S must be a positive whole number of seconds');
  return n;
}

export const recoveryConnectLauncher: SimulatorDefinition = {
  name: 'recoveryconnect',
  envPrefix: 'RECOVERYCONNECT',
  defaultPort: 4011,
  async launch(options: SimulatorLaunchOptions): Promise<RunningSimulator> {
    const { env } = options;
    const username = setting(env, 'RECOVERYCONNECT_SIM_USERNAME') ?? DEFAULT_RECOVERYCONNECT_USERNAME;
    // Not trimmed: a password is taken exactly as given.
    const customPassword = env['RECOVERYCONNECT_SIM_PASSWORD'];
    const password = customPassword === undefined || customPassword === '' ? DEFAULT_RECOVERYCONNECT_PASSWORD : customPassword;
    const tokenTtlSeconds = ttlFrom(env);
    const sim = createRecoveryConnectSimulator({
      ...options.faults,
      host: options.host,
      port: options.port,
      username,
      password,
      tokenTtlSeconds,
      ...(options.faultSeed === undefined ? {} : { faultSeed: options.faultSeed }),
      ...(options.logCapacity === undefined ? {} : { logCapacity: options.logCapacity }),
    });
    const { url, baseUrl } = await sim.start();
    return {
      name: 'recoveryconnect',
      origin: url,
      describe(): string[] {
        return [
          `RECOVERYCONNECT_BASE_URL=${baseUrl}`,
          `RECOVERYCONNECT_USERNAME=${username}`,
          // The default password is a public constant; a custom one is never printed.
          password === DEFAULT_RECOVERYCONNECT_PASSWORD
            ? `RECOVERYCONNECT_PASSWORD=${DEFAULT_RECOVERYCONNECT_PASSWORD}`
            : 'RECOVERYCONNECT_PASSWORD=<the value of RECOVERYCONNECT_SIM_PASSWORD>',
          `auth: POST ${url}/api/v140/auth; tokens expire after ${tokenTtlSeconds}s`,
          `data: ${sim.orderIds().length} seeded orders, e.g. ${DOC_ORDER_ID} (borrower ${DOC_BORROWER_ID}: the docs' phones; ` +
            `${NO_PHONES_BORROWER_ID} has none), ${EDGE_ORDER_ID} (no_contact, invalid, unknown type 9, extension), ` +
            `${BENCH_ORDER_ID} (${BENCH_BORROWER_COUNT} borrowers with phones), ${EMPTY_ORDER_ID} (no borrowers)`,
          `control: GET|DELETE ${url}/__sim/requests  GET ${url}/__sim/requests/stats  GET|PUT|PATCH|DELETE ${url}/__sim/faults  ` +
            `POST ${url}/__sim/data/reset  POST ${url}/__sim/tokens/expire  GET ${url}/__sim/tokens`,
        ];
      },
      getFaults: () => sim.getFaults(),
      close: () => sim.close(),
    };
  },
};
