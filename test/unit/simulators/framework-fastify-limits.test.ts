/**
 * Evidence for keeping the simulators on node:http although fastify 5 is already a dependency (see
 * src/simulators/README.md and the decision notes). Each test runs a real fastify instance over loopback and
 * pins down a behaviour a vendor simulator must not have, or must switch off; where it matters, the same input
 * is sent to our framework for contrast. The last block records what fastify does fine, so the verdict is not
 * one-sided. If a fastify upgrade changes one of these, the test fails and the decision should be revisited.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import { createRouter, createSimulatorServer } from '../../../src/simulators/framework/index.js';
import type { SimulatorServer } from '../../../src/simulators/framework/index.js';

const apps: FastifyInstance[] = [];
const sims: SimulatorServer[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
  await Promise.all(sims.splice(0).map((s) => s.close()));
  await Promise.all(agents.splice(0).map((a) => a.destroy()));
});

async function listen(app: FastifyInstance): Promise<string> {
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

function fastify(options: FastifyServerOptions = {}): FastifyInstance {
  return Fastify({ logger: false, ...options });
}

interface Answer {
  status: number;
  allow: string | undefined;
  json: unknown;
}

async function send(url: string, init: { method?: 'GET' | 'POST' | 'DELETE'; body?: string; type?: string } = {}): Promise<Answer> {
  const res = await request(url, {
    method: init.method ?? 'GET',
    ...(init.body === undefined ? {} : { body: init.body }),
    headers: init.type === undefined ? {} : { 'content-type': init.type },
  });
  const text = await res.body.text();
  const allow = res.headers['allow'];
  return { status: res.statusCode, allow: typeof allow === 'string' ? allow : undefined, json: text === '' ? undefined : JSON.parse(text) };
}

/** The same toy vendor on our framework: LoanPro-like paths, bad JSON answered 409 as LoanPro does. */
async function ourToy(): Promise<{ url: string; handled: () => number }> {
  let handled = 0;
  const router = createRouter();
  router.add('GET', /^\/odata\.svc\/Customers\((?<id>\d*)\)$/, (_req, params) => ({ status: 200, json: { id: params['id'] ?? '' } }));
  router.add('POST', /^\/echo$/, async (req) => {
    handled += 1;
    return { status: 201, json: { got: await req.readJson() } };
  });
  const sim = createSimulatorServer({
    name: 'toy',
    handler: (req) => router.dispatch(req),
    errorResponder: (info) => ({ status: info.kind === 'bad_json' ? 409 : info.status, json: { vendor: info.kind } }),
  });
  sims.push(sim);
  const { url } = await sim.start();
  return { url, handled: () => handled };
}

describe('fastify router vs OData paths', () => {
  it('`Customers(:id)` registers without complaint but names the param "id)" and captures "5)"', async () => {
    const app = fastify();
    app.get('/odata.svc/Customers(:id)', async (req) => ({ params: req.params }));
    const url = await listen(app);
    expect((await send(`${url}/odata.svc/Customers(5)`)).json).toEqual({ params: { 'id)': '5)' } });
  });

  it('a regex param matches `Customers(5)` but not `Customers()`: two routes per entity set', async () => {
    const app = fastify();
    app.get('/odata.svc/Customers(:id(^\\d+))', async (req) => ({ params: req.params }));
    const url = await listen(app);
    expect((await send(`${url}/odata.svc/Customers(5)`)).json).toEqual({ params: { id: '5' } });
    expect((await send(`${url}/odata.svc/Customers()`)).status).toBe(404);

    const ours = await ourToy(); // one anchored regex covers both
    expect((await send(`${ours.url}/odata.svc/Customers(5)`)).json).toEqual({ id: '5' });
    expect((await send(`${ours.url}/odata.svc/Customers()`)).json).toEqual({ id: '' });
  });

  it('a wrong method on a known path is 404 without Allow, where vendors (and our router) answer 405 + Allow', async () => {
    const app = fastify();
    app.post('/echo', async () => ({}));
    const url = await listen(app);
    expect(await send(`${url}/echo`, { method: 'DELETE' })).toMatchObject({ status: 404, allow: undefined });

    const ours = await ourToy();
    expect(await send(`${ours.url}/echo`, { method: 'DELETE' })).toMatchObject({ status: 405, allow: 'POST' });
  });

  it('URL errors skip setErrorHandler and setNotFoundHandler and echo the path in fastify\'s own shape', async () => {
    const app = fastify();
    app.get('/c/:rest', async () => ({}));
    app.setErrorHandler(async (_err, _req, reply) => reply.code(409).send({ vendor: 'error' }));
    app.setNotFoundHandler(async (_req, reply) => reply.code(404).send({ vendor: 'not_found' }));
    const url = await listen(app);
    expect(await send(`${url}/nope`)).toMatchObject({ status: 404, json: { vendor: 'not_found' } });
    // Invalid percent-encoding: 400 FST_ERR_BAD_URL; a param over maxParamLength (100): 414. Both repeat the
    // path back to the client (a path may hold a phone number) unless every one is caught by `frameworkErrors`.
    const badUrl = await send(`${url}/c/%E0%A4%A`);
    expect(badUrl).toMatchObject({ status: 400, json: { code: 'FST_ERR_BAD_URL' } });
    expect(JSON.stringify(badUrl.json)).toContain('%E0%A4%A');
    const longParam = await send(`${url}/c/${'6'.repeat(120)}`);
    expect(longParam).toMatchObject({ status: 414, json: { code: 'FST_ERR_MAX_PARAM_LENGTH' } });
    expect(JSON.stringify(longParam.json)).toContain('6'.repeat(120));
  });
});

describe('fastify body parsing runs before the vendor handler', () => {
  async function echoApp(): Promise<{ url: string; handled: () => number }> {
    let handled = 0;
    const app = fastify();
    app.post('/echo', async (req) => {
      handled += 1;
      return { got: req.body ?? null };
    });
    return { url: await listen(app), handled: () => handled };
  }

  it('bad JSON is 400 before the handler; LoanPro answers 409 and our handler decides', async () => {
    const f = await echoApp();
    expect(await send(`${f.url}/echo`, { method: 'POST', body: '{"a":', type: 'application/json' })).toMatchObject({
      status: 400,
      json: { code: 'FST_ERR_CTP_INVALID_JSON_BODY' },
    });
    expect(await send(`${f.url}/echo`, { method: 'POST', body: '', type: 'application/json' })).toMatchObject({
      status: 400,
      json: { code: 'FST_ERR_CTP_EMPTY_JSON_BODY' },
    });
    expect(f.handled()).toBe(0);

    const ours = await ourToy();
    expect(await send(`${ours.url}/echo`, { method: 'POST', body: '{"a":', type: 'application/json' })).toMatchObject({
      status: 409,
      json: { vendor: 'bad_json' },
    });
    expect(ours.handled()).toBe(1);
  });

  it('a JSON body without (or with another) content type is 415 before the handler; vendors read it anyway', async () => {
    const f = await echoApp();
    expect((await send(`${f.url}/echo`, { method: 'POST', body: '{"a":1}' })).status).toBe(415);
    expect((await send(`${f.url}/echo`, { method: 'POST', body: '{"a":1}', type: 'application/x-www-form-urlencoded' })).status).toBe(415);
    // text/plain is parsed, but to a string, so each handler would re-parse by content type.
    expect((await send(`${f.url}/echo`, { method: 'POST', body: '{"a":1}', type: 'text/plain' })).json).toEqual({ got: '{"a":1}' });
    expect(f.handled()).toBe(1);

    const ours = await ourToy();
    expect(await send(`${ours.url}/echo`, { method: 'POST', body: '{"a":1}' })).toMatchObject({ status: 201, json: { got: { a: 1 } } });
  });

  it('the workaround is to switch fastify parsing off: remove every parser and take raw buffers', async () => {
    const app = fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    app.post('/echo', async (req) => ({ bytes: Buffer.isBuffer(req.body) ? req.body.length : -1 }));
    const url = await listen(app);
    expect((await send(`${url}/echo`, { method: 'POST', body: '{"a":', type: 'application/json' })).json).toEqual({ bytes: 5 });
    expect((await send(`${url}/echo`, { method: 'POST', body: '{"a":1}' })).json).toEqual({ bytes: 7 });
  });
});

describe('fastify and the fault modes', () => {
  function hungApp(): { app: FastifyInstance; reached: Promise<{ raw: ServerResponse }> } {
    const app = fastify();
    let signal!: (r: { raw: ServerResponse }) => void;
    const reached = new Promise<{ raw: ServerResponse }>((resolve) => {
      signal = resolve;
    });
    app.get('/hang', async (_req, reply) => {
      reply.hijack(); // the only way to "never answer": fastify writes nothing more for this request
      signal({ raw: reply.raw });
    });
    return { app, reached };
  }

  it('an async handler that sends nothing is answered with an empty 200, so a hang needs reply.hijack()', async () => {
    const app = fastify();
    app.get('/nothing', async () => undefined);
    const url = await listen(app);
    const res = await request(`${url}/nothing`);
    expect(res.statusCode).toBe(200);
    expect(await res.body.text()).toBe('');
  });

  it('by default close() leaves a hijacked (hung) request open: it is still answerable after listening stopped', async () => {
    const { app, reached } = hungApp();
    const url = await listen(app);
    const agent = new Agent();
    agents.push(agent);
    const answer = request(`${url}/hang`, { dispatcher: agent }).then(async (r) => `${r.statusCode} ${await r.body.text()}`);
    const { raw } = await reached;
    const closing = app.close();
    // Event-driven, not timed: wait until fastify has stopped listening, i.e. close() has done its part.
    while (app.server.listening) await new Promise<void>((resolve) => setImmediate(resolve));
    raw.writeHead(200, { 'content-type': 'text/plain' });
    raw.end('late');
    expect(await answer).toBe('200 late');
    // Even now close() waits for the client to drop its keep-alive socket (fastify only closed the idle ones it
    // found when close() began), so let the client go before awaiting it.
    await agent.close();
    await closing;
    // Our framework's close() destroys every socket, hung ones included (framework-server tests), which is what a
    // test suite needs when a hang fault is left on. fastify needs `forceCloseConnections: true` for that.
  });

  it('what fastify does fine: hang, reset and drop-after-handling through hijack, faults in onRequest', async () => {
    let writes = 0;
    const app = fastify({ forceCloseConnections: true });
    // Faults before body parsing: an onRequest hook sees the request before any parser runs.
    app.addHook('onRequest', async (req, reply) => {
      if (req.url === '/reset-before') {
        reply.hijack();
        req.raw.socket.resetAndDestroy();
      }
    });
    app.post('/reset-before', async () => ({}));
    app.post('/drop-after', async (_req, reply) => {
      writes += 1; // the vendor applies the write, then the answer is lost
      reply.hijack();
    });
    const url = await listen(app);
    const code = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'answered',
        (e: unknown) => (e as { code?: string }).code ?? 'error',
      );
    expect(await code(request(`${url}/reset-before`, { method: 'POST', body: '{' }))).toBe('ECONNRESET');
    const agent = new Agent();
    agents.push(agent);
    const dropped = code(request(`${url}/drop-after`, { method: 'POST', dispatcher: agent }));
    while (writes === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    await app.close(); // forceCloseConnections: the hung socket is destroyed
    expect(await dropped).toMatch(/^(UND_ERR_SOCKET|ECONNRESET)$/);
    expect(writes).toBe(1);
  });
});
