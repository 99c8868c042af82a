import { request } from 'undici';

import { createLoanProSimulator } from '../../../src/simulators/loanpro/loanpro.simulator.js';
import type { LoanProSimulator, LoanProSimulatorOptions } from '../../../src/simulators/loanpro/loanpro.simulator.js';

export const TOKEN = 'sim-loanpro-token';
export const INSTANCE = '5200000';
export const AUTH: Readonly<Record<string, string>> = {
  Authorization: `Bearer ${TOKEN}`,
  'Autopal-Instance-ID': INSTANCE,
};

export interface Reply {
  status: number;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export type WireObject = Record<string, unknown>;

export interface LoanProErrorShape {
  message: string;
  type: string;
  code: number;
  warnings?: string[];
}

function obj(value: unknown, what: string): WireObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as WireObject;
}

/** `d` of a single-entity response. */
export function d(reply: Reply): WireObject {
  return obj(obj(reply.json, 'body')['d'], 'd');
}

/** `d.results` of a collection response. */
export function results(reply: Reply): WireObject[] {
  const r = d(reply)['results'];
  if (!Array.isArray(r)) throw new Error('d.results is not an array');
  return r as WireObject[];
}

export function summary(reply: Reply): { start: number; pageSize: number; total: number } {
  return obj(d(reply)['summary'], 'd.summary') as { start: number; pageSize: number; total: number };
}

export function errorOf(reply: Reply): LoanProErrorShape {
  return obj(obj(reply.json, 'body')['error'], 'error') as unknown as LoanProErrorShape;
}

/** An expanded Phones value (must be a bare array). */
export function phones(entity: WireObject): WireObject[] {
  const p = entity['Phones'];
  if (!Array.isArray(p)) throw new Error('Phones is not a bare array');
  return p as WireObject[];
}

export function ids(list: readonly WireObject[]): number[] {
  return list.map((x) => x['id'] as number);
}

export interface LoanProHarness {
  sim: LoanProSimulator;
  get(path: string, query?: Record<string, string> | string, headers?: Record<string, string>): Promise<Reply>;
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Reply>;
  send(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: string, headers?: Record<string, string>): Promise<Reply>;
}

export async function startLoanPro(options: LoanProSimulatorOptions = {}): Promise<LoanProHarness> {
  const sim = createLoanProSimulator(options);
  await sim.start();
  const send = async (
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    pathAndQuery: string,
    body?: string,
    headers: Record<string, string> = AUTH,
  ): Promise<Reply> => {
    const res = await request(`${sim.baseUrl}/${pathAndQuery}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body,
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown), headers: res.headers };
  };
  return {
    sim,
    send,
    get(path, query, headers) {
      const qs = query === undefined ? '' : typeof query === 'string' ? `?${query}` : `?${new URLSearchParams(query).toString()}`;
      return send('GET', `${path}${qs}`, undefined, headers);
    },
    put(path, body, headers) {
      return send('PUT', path, JSON.stringify(body), headers);
    },
  };
}
