/**
 * `npm run simulators`: start the vendor simulators standalone on loopback, for running the gateway offline.
 * This dev entry reads process.env itself (it is not gateway code).
 *
 *   SIMULATORS=loanpro,...        which to start (comma separated; default all vendors of the registry)
 *   SIM_HOST=127.0.0.1            bind address
 *   <VENDOR>_SIM_PORT             port per vendor (LOANPRO_SIM_PORT default 4010)
 *   SIM_LATENCY_MS, SIM_JITTER_MS, SIM_ERROR_RATE, SIM_ERROR_STATUS, SIM_HANG_RATE, SIM_RESET_RATE,
 *   SIM_FAULT_ROUTES (regex on the path), SIM_SEED (fault PRNG seed), SIM_LOG_CAPACITY (request-log ring size)
 *                                 fault settings for all vendors; <VENDOR>_SIM_LATENCY_MS etc. override per vendor
 *   plus vendor-specific settings documented in each launcher (e.g. loanpro/loanpro.launcher.ts).
 */
import { loadSimulatorCatalog } from './catalog.js';
import type { Env, RunningSimulator, SimulatorDefinition } from './catalog.js';
import type { FaultOptions } from './framework/faults.js';
import { mergeFaults, NO_FAULTS } from './framework/faults.js';

class EnvError extends Error {}

function lookup(env: Env, prefix: string, key: string): { name: string; value: string } | undefined {
  for (const name of [`${prefix}_SIM_${key}`, `SIM_${key}`]) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { name, value: value.trim() };
  }
  return undefined;
}

function numberFrom(env: Env, prefix: string, key: string): number | undefined {
  const found = lookup(env, prefix, key);
  if (found === undefined) return undefined;
  const n = Number(found.value);
  if (!Number.isFinite(n)) throw new EnvError(`${found.name} must be a number`);
  return n;
}

function faultsFor(env: Env, prefix: string): FaultOptions {
  const faults: FaultOptions = {
    latencyMs: numberFrom(env, prefix, 'LATENCY_MS'),
    jitterMs: numberFrom(env, prefix, 'JITTER_MS'),
    errorRate: numberFrom(env, prefix, 'ERROR_RATE'),
    errorStatus: numberFrom(env, prefix, 'ERROR_STATUS'),
    retryAfterSeconds: numberFrom(env, prefix, 'RETRY_AFTER_S'),
    hangRate: numberFrom(env, prefix, 'HANG_RATE'),
    resetRate: numberFrom(env, prefix, 'RESET_RATE'),
    routes: lookup(env, prefix, 'FAULT_ROUTES')?.value,
  };
  try {
    mergeFaults(NO_FAULTS, { ...faults }); // validate now, with a readable message
  } catch (err) {
    throw new EnvError(`${prefix}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return faults;
}

function selected(env: Env, SIMULATORS: readonly SimulatorDefinition[]): SimulatorDefinition[] {
  const list = env['SIMULATORS']?.trim();
  if (list === undefined || list === '' || list === 'all') return [...SIMULATORS];
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const out: SimulatorDefinition[] = [];
  for (const name of names) {
    const def = SIMULATORS.find((d) => d.name === name);
    if (def === undefined) throw new EnvError(`SIMULATORS: unknown simulator '${name}' (known: ${SIMULATORS.map((d) => d.name).join(', ')})`);
    out.push(def);
  }
  return out;
}

function portFor(env: Env, def: SimulatorDefinition): number {
  const raw = env[`${def.envPrefix}_SIM_PORT`];
  if (raw === undefined || raw.trim() === '') return def.defaultPort;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new EnvError(`${def.envPrefix}_SIM_PORT must be a port number`);
  return n;
}

function describeFaults(sim: RunningSimulator): string {
  const f = sim.getFaults();
  return `faults: latencyMs=${f.latencyMs} jitterMs=${f.jitterMs} errorRate=${f.errorRate} errorStatus=${f.errorStatus} retryAfterSeconds=${f.retryAfterSeconds ?? "-"} hangRate=${f.hangRate} resetRate=${f.resetRate} routes=${f.routes ?? '(all)'}`;
}

async function main(env: Env): Promise<void> {
  const running: RunningSimulator[] = [];
  let shuttingDown = false;
  const shutdown = async (code: number): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    const force = setTimeout(() => process.exit(code), 5000);
    force.unref();
    await Promise.allSettled(running.map((s) => s.close()));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const host = env['SIM_HOST']?.trim() || '127.0.0.1';
    const seedRaw = env['SIM_SEED']?.trim();
    const faultSeed = seedRaw === undefined || seedRaw === '' ? undefined : Number(seedRaw);
    if (faultSeed !== undefined && !Number.isInteger(faultSeed)) throw new EnvError('SIM_SEED must be an integer');
    const capRaw = env['SIM_LOG_CAPACITY']?.trim();
    const logCapacity = capRaw === undefined || capRaw === '' ? undefined : Number(capRaw);
    if (logCapacity !== undefined && (!Number.isInteger(logCapacity) || logCapacity < 1)) {
      throw new EnvError('SIM_LOG_CAPACITY must be a positive integer');
    }
    for (const def of selected(env, await loadSimulatorCatalog())) {
      const sim = await def.launch({ host, port: portFor(env, def), faults: faultsFor(env, def.envPrefix), faultSeed, logCapacity, env });
      running.push(sim);
      console.log(`[simulators] ${sim.name} listening on ${sim.origin}`);
      for (const line of [...sim.describe(), describeFaults(sim)]) console.log(`  ${line}`);
    }
    console.log('[simulators] ready; Ctrl+C to stop');
  } catch (err) {
    console.error(`[simulators] failed to start: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  }
}

void main(process.env);
