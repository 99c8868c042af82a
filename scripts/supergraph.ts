// Supergraph tools (docs: README "Composing a supergraph"). `npm run --silent supergraph -- <command>`:
//   sdl [--header 'name: value']... url                print one subgraph's SDL (its _service), e.g. for rover's schema.file
//   compose [--header 'name: value']... name=url...   print the supergraph composed from running subgraphs' _service
//   serve <supergraph file> [--port 4100]             Hive Gateway (runtime, in-process) over it; forwards the
//                                                      caller's authorization / x-api-key to the `switchboard` subgraph only
//   example-subgraph [--port 4001]                    the README's loans subgraph (loans referencing Customer by id)
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { composeSupergraph, fetchSubgraphSdl } from './federation/compose.js';
import { serveSupergraph } from './federation/hive-gateway.js';
import { startLoansSubgraph } from './federation/loans-subgraph.js';

const USAGE = `usage: npm run --silent supergraph -- sdl [--header 'name: value']... url
       npm run --silent supergraph -- compose [--header 'name: value']... name=url...
       npm run supergraph -- serve <supergraph file> [--port 4100]
       npm run supergraph -- example-subgraph [--port 4001]`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function port(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) fail('--port must be a port number.');
  return n;
}

/** Stops on SIGINT/SIGTERM. */
function untilSignal(close: () => Promise<void>): void {
  const stop = () => void close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const [command, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: { header: { type: 'string', multiple: true }, port: { type: 'string' } },
});

function headers(): Record<string, string> {
  const given: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const colon = header.indexOf(':');
    if (colon < 1) fail('--header takes "name: value".');
    given[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  return given;
}

switch (command) {
  case 'sdl': {
    if (positionals.length !== 1) fail('sdl needs one url.');
    process.stdout.write(`${await fetchSubgraphSdl(positionals[0]!, headers()).catch((err: Error) => fail(err.message))}\n`);
    break;
  }
  case 'compose': {
    if (positionals.length === 0) fail('compose needs at least one name=url.');
    const subgraphs = [];
    for (const spec of positionals) {
      const eq = spec.indexOf('=');
      if (eq < 1) fail(`${spec} is not name=url.`);
      const name = spec.slice(0, eq);
      const url = spec.slice(eq + 1);
      subgraphs.push({ name, url, sdl: await fetchSubgraphSdl(url, headers()).catch((err: Error) => fail(err.message)) });
    }
    try {
      process.stdout.write(`${composeSupergraph(subgraphs)}\n`);
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      process.exit(1);
    }
    break;
  }
  case 'serve': {
    const file = positionals[0] ?? fail('serve needs the supergraph file.');
    const served = await serveSupergraph(readFileSync(file, 'utf8'), { host: 'localhost', port: port(values.port, 4100) });
    process.stdout.write(`Hive Gateway serving the supergraph at ${served.url}\n`);
    untilSignal(served.close);
    break;
  }
  case 'example-subgraph': {
    const loans = await startLoansSubgraph({ host: 'localhost', port: port(values.port, 4001) });
    process.stdout.write(`Example loans subgraph at ${loans.url}\n`);
    untilSignal(loans.close);
    break;
  }
  default:
    fail(command ? `Unknown command ${command}.` : 'A command is needed.');
}
