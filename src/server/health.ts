import type { FastifyInstance } from 'fastify';
import type { Upstream } from '../datasources/http/upstream.js';
import type { Store } from '../store/store.js';

/** /healthz: the process is alive. /readyz: it can serve (the store answers within a second). */
export function registerHealthRoutes(fastify: FastifyInstance, deps: { store: Store }): void {
  fastify.get('/healthz', async () => ({ status: 'ok' }));

  fastify.get('/readyz', async (_request, reply) => {
    try {
      await deps.store.ping(AbortSignal.timeout(1000));
      return { status: 'ready', store: deps.store.kind };
    } catch {
      return reply.code(503).send({ status: 'unavailable', store: deps.store.kind });
    }
  });

}

/** /metrics: Prometheus text for every vendor's pools and the process. */
export function registerMetricsRoute(fastify: FastifyInstance, deps: { upstreams: readonly Upstream[] }): void {
  fastify.get('/metrics', async (_request, reply) => {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: Array<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const stats = deps.upstreams.map((u) => [u.vendor, u.stats()] as const);
    metric('switchboard_upstream_requests_total', 'counter', 'Vendor calls made.', stats.map(([v, s]) => [`{vendor="${v}"}`, s.requests]));
    metric('switchboard_upstream_failures_total', 'counter', 'Vendor calls that failed.', stats.map(([v, s]) => [`{vendor="${v}"}`, s.failures]));
    metric('switchboard_upstream_in_flight', 'gauge', 'Vendor calls in flight.', stats.map(([v, s]) => [`{vendor="${v}"}`, s.inFlight]));
    metric('switchboard_upstream_queued', 'gauge', 'Vendor calls waiting for a slot.', stats.map(([v, s]) => [`{vendor="${v}"}`, s.queued]));
    metric('switchboard_upstream_circuit_open', 'gauge', '1 while the vendor circuit is open.', stats.map(([v, s]) => [`{vendor="${v}"}`, s.breaker === 'open' ? 1 : 0]));
    const memory = process.memoryUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory.', [['', memory.rss]]);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', [['', memory.heapUsed]]);
    metric('nodejs_heap_total_bytes', 'gauge', 'V8 heap reserved.', [['', memory.heapTotal]]);
    metric('nodejs_external_memory_bytes', 'gauge', 'Memory held by C++ objects bound to JS (buffers).', [['', memory.external]]);
    return reply.type('text/plain; version=0.0.4').send(lines.join('\n') + '\n');
  });
}
