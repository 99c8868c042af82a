import { Writable } from 'node:stream';
import type { MockAgent } from 'undici';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUpstream } from '../../../src/datasources/http/upstream.js';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { ANY_PATH, MOCK_BASE, MOCK_ORIGIN, mockAgent, upstreamError } from './helpers.js';

let agent: MockAgent;
beforeEach(() => {
  agent = mockAgent();
});
afterEach(async () => {
  await agent.close();
});

const SECRETS = [
  'vendor.test', // host
  'api/public', // base path
  'odata.svc', // request path
  '987654', // id in the path
  'SECRETQ', // query value
  'REQSECRET', // request body
  'VENDORSECRET', // response body
  '123-45-6789', // PII in the response body
  'TOKEN-abc123', // Authorization value
  'KEY-xyz789', // another header value
];

function expectClean(text: string): void {
  for (const secret of SECRETS) expect(text, `leaked ${secret}`).not.toContain(secret);
}

function pinoLines(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('UpstreamError is safe to log', () => {
  it('never carries the URL, query, bodies or header values in message, JSON, stack or logs', async () => {
    const vendorBody = { message: 'VENDORSECRET', ssn: '123-45-6789' };
    agent
      .get(MOCK_ORIGIN)
      .intercept({ path: ANY_PATH, method: 'POST' })
      .reply(500, vendorBody, { headers: { 'content-type': 'application/json' } })
      .persist();
    const { logger, lines } = pinoLines();
    const up = createUpstream({
      vendor: 'LOANPRO',
      baseUrl: MOCK_BASE,
      timeoutMs: 1000,
      dispatcher: agent,
      logger,
      headers: () => ({ authorization: 'Bearer TOKEN-abc123' }),
    });
    const err = await upstreamError(
      up.requestJson({
        method: 'POST',
        path: 'odata.svc/Customers(987654)?x=SECRETQ',
        query: { $filter: "ssn eq 'SECRETQ'" },
        body: { note: 'REQSECRET' },
        headers: { 'x-api-key': 'KEY-xyz789' },
        operation: 'customers.create',
      }),
    );

    expect(err.message).toBe('LOANPRO customers.create failed: http 500');
    expect(err.name).toBe('UpstreamError');
    expectClean(String(err));
    expectClean(JSON.stringify(err));
    expectClean(err.stack ?? '');
    expectClean(JSON.stringify(Object.assign({}, err)));

    // The vendor body stays reachable for mappers, but is not enumerable and not in toJSON().
    expect(err.body).toEqual(vendorBody);
    expect(Object.keys(err)).not.toContain('body');
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      name: 'UpstreamError',
      message: 'LOANPRO customers.create failed: http 500',
      vendor: 'LOANPRO',
      kind: 'http',
      operation: 'customers.create',
      attempts: 1,
      status: 500,
      delivery: 'maybe',
    });

    // pino: the attempt line, and the error logged the usual way.
    logger.error({ err }, 'vendor call failed');
    expect(lines.length).toBe(2);
    for (const line of lines) expectClean(line);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 20,
      vendor: 'LOANPRO',
      operation: 'customers.create',
      method: 'POST',
      status: 500,
      attempt: 1,
      kind: 'http',
    });
    expect(JSON.parse(lines[1]!).err).toMatchObject({ type: 'UpstreamError', kind: 'http', status: 500 });
  });

  it('builds from an init object (as vendor clients do) and flags the server side', () => {
    const e = new UpstreamError({ vendor: 'VIBES', kind: 'http', status: 503, operation: 'persons.get', attempts: 2 });
    expect(e).toBeInstanceOf(Error);
    expect(e.isServerError).toBe(true);
    expect(e.isUnavailable).toBe(true);
    expect(e.isClientError).toBe(false);
    expect(e.body).toBeUndefined();
    expect(JSON.stringify(e)).not.toContain('retryAfterSeconds');
    const r = new UpstreamError({ vendor: 'VIBES', kind: 'rate_limited', status: 429, retryAfterSeconds: 7, operation: 'persons.get', attempts: 1 });
    expect(r.isServerError).toBe(false);
    expect(r.isUnavailable).toBe(false);
    expect(r.toJSON()).toMatchObject({ retryAfterSeconds: 7 });
    const n = new UpstreamError({ vendor: 'MESSAGEMEDIA', kind: 'http', status: 404, operation: 'numbers.get', attempts: 1, body: { secret: 1 } });
    expect(n.isClientError).toBe(true);
    expect(n.isUnavailable).toBe(false);
    expect(n.message).toBe('MESSAGEMEDIA numbers.get failed: http 404');
    expect(JSON.stringify(n)).not.toContain('secret');
  });

  it('logs nothing at debug level when pino is at info', async () => {
    agent.get(MOCK_ORIGIN).intercept({ path: ANY_PATH }).reply(200, {}).persist();
    const { logger, lines } = pinoLines();
    logger.level = 'info';
    const up = createUpstream({ vendor: 'LOANPRO', baseUrl: MOCK_BASE, timeoutMs: 1000, dispatcher: agent, logger });
    await up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    expect(lines).toHaveLength(0);
  });
});
