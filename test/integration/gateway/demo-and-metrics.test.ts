import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { VENDOR_KEYS } from '../../../src/datasources/registry.js';
import { createApp, type App } from '../../../src/server/app.js';
import { startGateway } from '../../helpers/gateway.js';

describe('demo mode: the embedded simulators and their control API on the gateway port', () => {
  let app: App;
  let dataDir: string;
  const logs: string[] = [];
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-demo-'));
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const logStream = new Writable({
      write(chunk, _e, done) {
        logs.push(String(chunk));
        done();
      },
    });
    app = await createApp(config, { logStream });
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts one simulator per registry vendor, each announced loudly', () => {
    expect(Object.keys(app.simulators).sort()).toEqual([...VENDOR_KEYS].sort());
    expect(logs.join('')).toMatch(/DEMO MODE: LoanPro/);
  });

  it('answers a query against the seeded data with no setup', async () => {
    const res = await app.fastify.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ query: '{ customer(id: "1178") { id phones { number } } }' }),
    });
    expect(JSON.parse(res.body).data.customer.phones[0].number).toBe('+16514737960');
  });

  it('serves /__sim/<vendor>/... from the gateway port: request log and faults (PUT replaces)', async () => {
    await app.fastify.inject({ method: 'DELETE', url: '/__sim/loanpro/requests' });
    await app.fastify.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ query: '{ customer(id: "1001") { id } }' }),
    });
    const log = await app.fastify.inject({ method: 'GET', url: '/__sim/loanpro/requests' });
    expect(log.statusCode).toBe(200);
    expect(JSON.parse(log.body)).toEqual([expect.objectContaining({ method: 'GET', path: '/api/public/api/1/odata.svc/Customers(1001)' })]);

    const put = await app.fastify.inject({
      method: 'PUT',
      url: '/__sim/loanpro/faults',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ latencyMs: 5 }),
    });
    expect(put.statusCode).toBe(200);
    expect(JSON.parse(put.body)).toMatchObject({ latencyMs: 5, errorRate: 0 });
    expect(app.simulators.loanpro!.getFaults().latencyMs).toBe(5);
    await app.fastify.inject({ method: 'DELETE', url: '/__sim/loanpro/faults' });

    // What the README's `curl -X PUT ... -d '{...}'` sends: a form content type with a JSON body.
    const curl = await app.fastify.inject({
      method: 'PUT',
      url: '/__sim/recoveryconnect/faults',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '{"latencyMs":200}',
    });
    expect(curl.statusCode).toBe(200);
    expect(app.simulators.recoveryconnect!.getFaults().latencyMs).toBe(200);
    await app.fastify.inject({ method: 'DELETE', url: '/__sim/recoveryconnect/faults' });
  });

  it('answers 404 for a vendor it does not simulate', async () => {
    const res = await app.fastify.inject({ method: 'GET', url: '/__sim/nobody/requests' });
    expect(res.statusCode).toBe(404);
  });
});

describe('production: /metrics only on METRICS_PORT, no simulator control', () => {
  it('answers 404 for /metrics and /__sim on the main port, and serves metrics on the metrics listener', async () => {
    const gw = await startGateway({ env: { NODE_ENV: 'production' } });
    try {
      expect((await gw.app.fastify.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
      expect((await gw.app.fastify.inject({ method: 'GET', url: '/__sim/loanpro/requests' })).statusCode).toBe(404);
      const metrics = await gw.app.metrics.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.statusCode).toBe(200);
      expect(metrics.body).toContain('switchboard_upstream_requests_total{vendor="LOANPRO"}');
    } finally {
      await gw.close();
    }
  });

  it('serves /metrics on the main port too outside production', async () => {
    const gw = await startGateway({ vendors: ['loanpro'] });
    try {
      expect((await gw.app.fastify.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
