import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { request as undiciRequest } from 'undici';
import type { VendorKey } from '../datasources/registry.js';
import type { VendorSimulator } from '../simulators/framework/vendor-simulator.js';

/**
 * Demo mode: each embedded simulator's control API (request log, faults, vendor controls) on the gateway's own
 * port, `/__sim/<vendor>/...` -> the simulator's `/__sim/...`, so nobody has to find its random port in a log
 * line. Registered only in demo mode, which configuration refuses in production.
 */
export function registerSimulatorControl(fastify: FastifyInstance, simulators: Partial<Record<VendorKey, VendorSimulator>>): void {
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    const { vendor, '*': rest } = request.params as { vendor: string; '*': string };
    const sim = Object.hasOwn(simulators, vendor) ? simulators[vendor as VendorKey] : undefined;
    if (!sim) {
      return reply.code(404).send({ error: `no embedded simulator named "${vendor}"; known: ${Object.keys(simulators).join(', ')}` });
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    // The body as sent, whatever its content type (`curl -d` says form-encoded): the simulator reads it as JSON.
    const body = typeof request.body === 'string' && request.body !== '' ? request.body : undefined;
    const res = await undiciRequest(`${sim.url}/__sim/${rest}${query}`, {
      method: request.method as 'GET',
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.body.text();
    reply.code(res.statusCode);
    const type = res.headers['content-type'];
    if (typeof type === 'string') reply.type(type);
    const allow = res.headers['allow'];
    if (typeof allow === 'string') reply.header('allow', allow);
    return reply.send(text);
  };
  // Its own scope: bodies stay text of any content type here, and the gateway's JSON parsing elsewhere is untouched.
  void fastify.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, text, done) => done(null, text));
    scope.route({ method: ['GET', 'PUT', 'PATCH', 'POST', 'DELETE'], url: '/__sim/:vendor/*', handler: forward });
  });
}
