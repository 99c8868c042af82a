/**
 * How `npm run simulators` starts the Vibes simulator standalone (default port 4013).
 *
 * Vendor-specific env (all optional):
 *   VIBES_SIM_USERNAME          HTTP Basic user the simulator accepts (default sim-vibes)
 *   VIBES_SIM_PASSWORD          HTTP Basic password it accepts (default sim-vibes-password; a custom one is never printed)
 *   VIBES_SIM_COMPANY_KEY       the company_key of every path (default simco)
 *   VIBES_SIM_CALLBACK_URL      register subscription_added/removed on every list to this URL at start-up (never
 *                               printed: it holds the gateway's callback secret)
 *   VIBES_SIM_CALLBACK_VERSION  1 | 2 (default 2): the MDN spelling of those callbacks
 */
import type { RunningSimulator, SimulatorDefinition, SimulatorLaunchOptions } from '../catalog.js';
import type { ApiVersion } from './vibes.model.js';
import { ACCOUNT_LIST_ID, MARKETING_LIST_ID, SEEDED_PERSONS } from './vibes.seed.js';
import { createVibesSimulator, DEFAULT_VIBES_PASSWORD, SIMULATOR_CALLBACK_SECRET } from './vibes.simulator.js';
import type { VibesSimulator } from './vibes.simulator.js';

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function callbackVersion(value: string | undefined): ApiVersion | undefined {
  const v = present(value);
  if (v === undefined) return undefined;
  if (v === '1' || v === '2') return Number(v) as ApiVersion;
  throw new Error('VIBES_SIM_CALLBACK_VERSION must be 1 or 2');
}

function listsLine(sim: VibesSimulator): string {
  const purpose = (id: string): string => (id === MARKETING_LIST_ID ? 'MARKETING' : id === ACCOUNT_LIST_ID ? 'ACCOUNT' : '?');
  const lists = sim.store.lists().map((l) => {
    const keyword = sim.store.campaignsOfList(l.id)[0]?.keyword ?? '-';
    return `${l.id} "${l.name}" (keyword ${keyword}, ${purpose(l.id)})`;
  });
  return `lists: ${lists.join(', ')}; VIBES_LIST_PURPOSES=${MARKETING_LIST_ID}=MARKETING,${ACCOUNT_LIST_ID}=ACCOUNT`;
}

/** Persons by external id and key, without their MDNs (no phone numbers in logs; docs list them). */
function personsLine(sim: VibesSimulator): string {
  const described = Object.values(SEEDED_PERSONS).map((p) => {
    const active = sim
      .subscriptionsOf(p.personKey)
      .filter((s) => s.optOutDate === null)
      .map((s) => s.listId);
    const ext = p.externalPersonId === null ? 'no external id' : `external ${p.externalPersonId}`;
    return `${ext} key ${p.personKey}${p.mdn === null ? ' (no MDN)' : ''} active on [${active.join(',')}]`;
  });
  return `persons: ${sim.store.persons().length} seeded, e.g. ${described.join('; ')}`;
}

export const vibesLauncher: SimulatorDefinition = {
  name: 'vibes',
  envPrefix: 'VIBES',
  defaultPort: 4013,
  async launch(options: SimulatorLaunchOptions): Promise<RunningSimulator> {
    const { env } = options;
    const username = present(env['VIBES_SIM_USERNAME']);
    const password = present(env['VIBES_SIM_PASSWORD']);
    const companyKey = present(env['VIBES_SIM_COMPANY_KEY']);
    const callbackUrl = present(env['VIBES_SIM_CALLBACK_URL']);
    const version = callbackVersion(env['VIBES_SIM_CALLBACK_VERSION']);
    const sim = createVibesSimulator({
      host: options.host,
      port: options.port,
      faults: options.faults,
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
      ...(companyKey === undefined ? {} : { companyKey }),
      ...(callbackUrl === undefined ? {} : { callbackUrl }),
      ...(version === undefined ? {} : { callbackApiVersion: version }),
      ...(options.faultSeed === undefined ? {} : { faultSeed: options.faultSeed }),
      ...(options.logCapacity === undefined ? {} : { logCapacity: options.logCapacity }),
    });
    const { url } = await sim.start();
    return {
      name: 'vibes',
      origin: url,
      describe(): string[] {
        const registrations = sim.registrations();
        return [
          `VIBES_BASE_URL=${sim.baseUrl}`,
          `VIBES_USERNAME=${sim.username}`,
          // The default password is a public constant; a custom one is never printed.
          password === undefined ? `VIBES_PASSWORD=${DEFAULT_VIBES_PASSWORD}` : 'VIBES_PASSWORD=<the value of VIBES_SIM_PASSWORD>',
          `VIBES_COMPANY_KEY=${sim.companyKey}`,
          // A public constant: a gateway with a Vibes base URL requires a callback secret (point VIBES_SIM_CALLBACK_URL
          // at <gateway>/webhooks/vibes/<it> to have callbacks accepted).
          `VIBES_CALLBACK_SECRET=${SIMULATOR_CALLBACK_SECRET}`,
          listsLine(sim),
          personsLine(sim),
          registrations.length === 0
            ? `callbacks: none registered (POST /companies/${sim.companyKey}/config/callbacks/ or PUT ${url}/__sim/callbacks {"url": ...})`
            : `callbacks: ${registrations.length} registrations to VIBES_SIM_CALLBACK_URL (API version ${registrations[0]?.apiVersion ?? 2})`,
          `control: GET|DELETE ${url}/__sim/requests  GET|PUT|PATCH|DELETE ${url}/__sim/faults  POST ${url}/__sim/data/reset  GET|PUT ${url}/__sim/behaviour  GET ${url}/__sim/persons/{key}  POST ${url}/__sim/subscriptions  POST ${url}/__sim/stop`,
          `control (callbacks): GET|PUT|DELETE ${url}/__sim/callbacks  POST ${url}/__sim/callbacks/hold  POST ${url}/__sim/callbacks/release?order=fifo|reverse  POST ${url}/__sim/callbacks/duplicate  GET|DELETE ${url}/__sim/callbacks/deliveries`,
        ];
      },
      getFaults: () => sim.getFaults(),
      close: () => sim.close(),
    };
  },
};
