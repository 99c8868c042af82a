import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, loggerOptions } from '../../../src/logging/logger.options.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const SECRETS = ['462-45-4573', '462454573', '6514737960', '651-473-7960', 'bob@example.com', 'hunter2-secret', 'tok_live_abc'];

function expectNoSecret(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  expect(text.replace(/\D/g, ' ')).not.toMatch(/\b(462454573|6514737960)\b/);
}

describe('loggerOptions', () => {
  it('redacts message strings, interpolated arguments and string fields at every level', () => {
    const out = capture();
    const log = createLogger('trace', out.stream);
    log.info('customer 6514737960 wrote from bob@example.com');
    log.warn({ reason: 'ssn 462-45-4573 refused', nested: { detail: ['password=hunter2-secret'] } }, 'refused');
    log.debug('token %s for %s', 'token=tok_live_abc', '651-473-7960');
    log.child({ component: 'test' }).error({ note: 'Bearer tok_live_abc' }, 'child line for 462454573');
    expect(out.lines).toHaveLength(4);
    expectNoSecret(out.lines.join(''));
    const [first, second] = out.parsed();
    expect(first!.msg).toBe('customer [redacted…7960] wrote from [redacted]');
    expect(second).toMatchObject({ reason: 'ssn [redacted…4573] refused', nested: { detail: ['password=[redacted]'] } });
  });

  it('serialises errors as type, code, redacted message and stack, and nothing else they carry', () => {
    const out = capture();
    const log = createLogger('info', out.stream);
    const err = Object.assign(new Error('PUT failed for 651-473-7960 (bob@example.com)'), {
      code: 'E_VENDOR',
      body: { ssn: '462-45-4573' },
      config: { headers: { authorization: 'Bearer tok_live_abc' } },
    });
    log.error({ err }, 'vendor call failed');
    log.error(err); // pino lends an Error's message as msg: it must be the redacted one
    log.error({ error: new Error('no such customer bob@example.com'), err: { message: 'plain 462454573', stack: 'at 462-45-4573' } }, 'two');
    expectNoSecret(out.lines.join(''));
    const [withMessage, alone, two] = out.parsed();
    expect(withMessage!.err).toEqual({
      type: 'Error',
      message: 'PUT failed for [redacted…7960] ([redacted])',
      stack: expect.stringContaining('PUT failed for [redacted…7960]'),
      code: 'E_VENDOR',
    });
    expect(alone!.msg).toBe('PUT failed for [redacted…7960] ([redacted])');
    expect(two).toMatchObject({ err: { message: 'plain [redacted…4573]', stack: 'at [redacted…4573]' }, error: { message: 'no such customer [redacted]' } });
  });

  it('censors known sensitive paths outright', () => {
    const out = capture();
    createLogger('info', out.stream).info(
      {
        req: { method: 'GET', url: '/graphql?query=x', headers: { authorization: 'Bearer abc' } },
        headers: { authorization: 'Bearer abc', 'x-api-key': 'k' },
        password: 'p',
        input: { accessPassword: 'q', email: 'e' },
        variables: { a: 1 },
      },
      'paths',
    );
    const [line] = out.parsed();
    // A request's headers are never written at all; other objects' sensitive paths are censored.
    expect(line!.req).toEqual({ method: 'GET', url: '/graphql' });
    expect(line).toMatchObject({
      headers: { authorization: '[redacted]', 'x-api-key': '[redacted]' },
      password: '[redacted]',
      input: { accessPassword: '[redacted]', email: '[redacted]' },
      variables: '[redacted]',
    });
  });

  it('is what Fastify logs with: request loggers and their children redact too, and URLs lose the query string', async () => {
    const out = capture();
    const app = Fastify({ logger: { ...loggerOptions('info'), stream: out.stream } });
    app.get('/x', async (request) => {
      request.log.info({ req: request }, 'lookup for 651-473-7960');
      request.log.child({ step: 1 }).warn('ssn 462-45-4573');
      return { ok: true };
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/x?ssn=462-45-4573&email=bob@example.com' });
      expect(res.statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const text = out.lines.join('');
    expectNoSecret(text);
    const lookup = out.parsed().find((line) => String(line.msg).startsWith('lookup'));
    expect(lookup).toMatchObject({ msg: 'lookup for [redacted…7960]', req: { method: 'GET', url: '/x' } });
  });
});
