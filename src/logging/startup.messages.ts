/**
 * One-line explanations of why the gateway could not start, for the newcomer's first `npm start`. This module
 * imports nothing but the redaction: main.ts loads it before it knows the Node version is new enough to load
 * the rest of the app.
 */
import { redactText } from './redact.js';

/** node:sqlite is unflagged from Node 22.13 (package.json `engines`). */
export const REQUIRED_NODE = { major: 22, minor: 13 } as const;

export const NODE_INSTALL_COMMAND = 'npm install --prefix "$HOME/.node24" node@24 && export PATH="$HOME/.node24/node_modules/.bin:$PATH"';

/** Undefined when `version` (process.versions.node, e.g. "20.20.2") can run the gateway; else what to do. */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10));
  const recent = major > REQUIRED_NODE.major || (major === REQUIRED_NODE.major && minor >= REQUIRED_NODE.minor);
  if (recent) return undefined;
  return (
    `Switchboard needs Node.js >= ${REQUIRED_NODE.major}.${REQUIRED_NODE.minor} (for the built-in node:sqlite), ` +
    `but this is Node.js ${version}. Install Node 24 beside it and put it first on PATH: ${NODE_INSTALL_COMMAND}`
  );
}

export interface ListenTarget {
  readonly host: string;
  readonly port: number;
}

/** Why listening or starting failed, as one line: known causes say what to do, others keep their (redacted) message. */
export function startupFailureMessage(err: unknown, target?: ListenTarget): string {
  const { code, message, name } = (err ?? {}) as { code?: unknown; message?: unknown; name?: unknown };
  const where = target ? `${target.host}:${target.port}` : 'the configured address';
  if (code === 'EADDRINUSE') {
    return `Cannot listen on ${where}: the port is already in use. Stop the other process or set PORT to a free port.`;
  }
  if (code === 'EACCES') {
    return `Cannot listen on ${where}: permission denied. Use a port above 1023 (set PORT) or run with the needed privileges.`;
  }
  if (code === 'EADDRNOTAVAIL') {
    return `Cannot listen on ${where}: this machine has no such address. Set HOST to one of its addresses (or 0.0.0.0).`;
  }
  if (name === 'ConfigError' && typeof message === 'string') return redactText(message);
  const detail = typeof message === 'string' && message !== '' ? redactText(message) : String(code ?? 'unknown error');
  return `Switchboard could not start: ${detail}`;
}
