/**
 * Apollo Sandbox in a real browser (Debian's chromium, headless). The embed comes from Apollo's CDN, which these
 * machines cannot reach, so this checks what can be checked offline:
 * - the landing page arrives with the CSP that admits the embed, and Chromium runs the page's inline script under
 *   it (no violation), while code from anywhere else is refused;
 * - a page on a Sandbox origin (https://studio.apollographql.com, served locally over TLS through Chromium's
 *   host-resolver rules) calls the gateway cross-origin with the API-key header: the preflight passes and data
 *   comes back.
 * `.ci/run` installs chromium (CI=true makes a missing browser a failure); elsewhere the suite skips without it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_EMBED_FRAME_ORIGIN, SANDBOX_EMBED_SCRIPT_ORIGIN } from '../../../src/server/landing.js';
import { READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { cspDirectives } from '../../helpers/sandbox.js';

const CHROMIUM = '/usr/bin/chromium';
const SANDBOX_ORIGIN = 'https://studio.apollographql.com';
const SANDBOX_HOST = new URL(SANDBOX_ORIGIN).host;
const EMBED_HOST = new URL(SANDBOX_EMBED_FRAME_ORIGIN).host;

const missing = !existsSync(CHROMIUM);
// Under CI (CI set, as test/helpers/databases.ts reads it) a missing browser fails the run instead of skipping.
const skip = missing && !process.env.CI;
const REASON = `skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`;
if (skip) console.warn(`Sandbox browser tests ${REASON}`);

interface Violation {
  directive: string;
  blocked: string;
  /** Which policy reported it: the gateway's header, or Apollo's own meta tag (a browser enforces both). */
  policy: 'header' | 'meta';
}

interface GatewayAnswer {
  status: number;
  body: unknown;
  requestId: string | null;
}

// The page-side callbacks run in Chromium. The project compiles without the DOM lib (src must not see browser
// globals), so the little of the DOM they touch is declared here, for this file only.
interface PageElement {
  src: string;
  textContent: string | null;
  addEventListener(type: 'load', listener: () => void, options?: { once: boolean }): void;
}
interface PageViolationEvent {
  effectiveDirective: string;
  blockedURI: string;
  originalPolicy: string;
}
type ViolationListener = (event: PageViolationEvent) => void;
declare const document: {
  createElement(tag: 'script' | 'iframe'): PageElement;
  head: { append(node: PageElement): void };
  body: { append(node: PageElement): void };
  addEventListener(type: 'securitypolicyviolation', listener: ViolationListener): void;
  removeEventListener(type: 'securitypolicyviolation', listener: ViolationListener): void;
};
declare const location: { origin: string; host: string };
declare const window: {
  __violations: Violation[];
  /** Set by the Sandbox-origin page: what its fetch to the gateway got. */
  __gatewayAnswer: Promise<GatewayAnswer>;
  /** Declared by the landing page's inline script (Apollo's), once it runs. */
  embeddedSandboxConfig?: { initialState?: { document?: string } };
  injected?: number;
};

/** A self-signed certificate for the Sandbox hosts, made with openssl in a temporary directory. */
function selfSignedCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${SANDBOX_HOST}`,
    '-addext', `subjectAltName=DNS:${SANDBOX_HOST},DNS:${EMBED_HOST}`,
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  return { key: readFileSync(keyFile), cert: readFileSync(certFile) };
}

/** The page a Sandbox origin serves: its script calls the gateway with the API-key header, as Studio's Sandbox does. */
function sandboxOriginPage(gatewayUrl: string): string {
  const call = {
    url: `${gatewayUrl}/graphql`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': READER_KEY },
      body: JSON.stringify({ query: '{ customer(id: "1178") { id firstName phones { number } } }' }),
    },
  };
  return `<!doctype html><html><body><script>
    const call = ${JSON.stringify(call)};
    window.__gatewayAnswer = fetch(call.url, call.init).then(async (res) => ({
      status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id'),
    }));
  </script></body></html>`;
}

/** Only the gateway's policy has `default-src 'none'`; Apollo's meta-tag policy has no default. */
function policyOf(originalPolicy: string): 'header' | 'meta' {
  return originalPolicy.includes("default-src 'none'") ? 'header' : 'meta';
}

/**
 * Runs `act` in the page and resolves with the violation the gateway's policy reports for it. Reports are
 * delivered in order, so once it arrives every earlier report has arrived too.
 */
function headerViolation(page: Page, act: string): Promise<Violation> {
  return page.evaluate((code) => {
    const reported = new Promise<Violation>((resolve) => {
      const listener: ViolationListener = (e) => {
        if (!e.originalPolicy.includes("default-src 'none'")) return;
        document.removeEventListener('securitypolicyviolation', listener);
        resolve({ directive: e.effectiveDirective, blocked: e.blockedURI, policy: 'header' });
      };
      document.addEventListener('securitypolicyviolation', listener);
    });
    new Function(code)();
    return reported;
  }, act);
}

describe.skipIf(skip)(skip ? `Sandbox in Chromium (${REASON})` : 'Sandbox in Chromium', () => {
  let gw: TestGateway;
  let tls: Server;
  let context: BrowserContext;
  let dir: string;
  const tlsRequests: string[] = [];

  beforeAll(async () => {
    if (missing) throw new Error(`CI is set and ${CHROMIUM} is missing: .ci/run should have installed Debian's chromium`);
    dir = mkdtempSync(join(tmpdir(), 'switchboard-browser-'));
    gw = await startGateway({ listen: true });
    const page = sandboxOriginPage(gw.url!);
    tls = createServer(selfSignedCertificate(dir), (req, res) => {
      tlsRequests.push(`${req.headers.host} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(req.headers.host === EMBED_HOST ? '<!doctype html><p>embed</p>' : page);
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const tlsPort = (tls.address() as AddressInfo).port;
    // A fresh profile per run: no cached preflight or HSTS entry from an earlier one.
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        // The Sandbox hosts are this machine's TLS server; every other name fails at once (Apollo's CDN included).
        `--host-resolver-rules=MAP ${SANDBOX_HOST} 127.0.0.1:${tlsPort}, MAP ${EMBED_HOST} 127.0.0.1:${tlsPort}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
        '--ignore-certificate-errors',
      ],
    });
    await context.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        const policy = e.originalPolicy.includes("default-src 'none'") ? 'header' : 'meta';
        window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, policy });
      });
    });
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (tls ? tls.close(resolve) : resolve(undefined)));
    await gw?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the landing page with a CSP that admits the embed, and runs its inline script under it', async () => {
    const page = await context.newPage();
    const messages: ConsoleMessage[] = [];
    page.on('console', (message) => messages.push(message));
    // GET / redirects to the page (the embed's endpoint is the page's own URL).
    const response = await page.goto(`${gw.url}/`, { waitUntil: 'load' });
    expect(page.url()).toBe(`${gw.url}/graphql`);
    expect(response!.status()).toBe(200);

    const header = (await response!.allHeaders())['content-security-policy'] ?? '';
    expect(policyOf(header)).toBe('header');
    const csp = cspDirectives(header);
    const nonce = csp.get('script-src')?.find((s) => s.startsWith("'nonce-"));
    expect(nonce).toMatch(/^'nonce-[0-9a-f]{64}'$/);
    expect(csp.get('script-src')).toEqual([nonce, SANDBOX_EMBED_SCRIPT_ORIGIN]);
    expect(csp.get('frame-src')).toEqual([SANDBOX_EMBED_FRAME_ORIGIN]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);

    // The inline script ran: it declared the embed's configuration (the CDN script itself could not load here).
    const started = await page.evaluate(() => window.embeddedSandboxConfig);
    expect(started?.initialState?.document).toContain('query LoanProCustomer');

    // The page may open the embed's frame and call its own origin, over HTTP and graphql-ws.
    const opened = await page.evaluate(async (embed) => {
      const frame = document.createElement('iframe');
      frame.src = `${embed}/sandbox/explorer`;
      const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
      document.body.append(frame);
      await loaded;
      const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      const socket = new WebSocket(`ws://${location.host}/graphql`, 'graphql-transport-ws');
      const ws = await new Promise<string>((resolve) => {
        socket.addEventListener('open', () => resolve('open'), { once: true });
        socket.addEventListener('error', () => resolve('error'), { once: true });
      });
      socket.close();
      return { http: res.status, ws };
    }, SANDBOX_EMBED_FRAME_ORIGIN);
    expect(opened).toEqual({ http: 401, ws: 'open' });
    expect(tlsRequests).toContain(`${EMBED_HOST} /sandbox/explorer`);

    // A script from anywhere else is refused. Its report (and console line) arrive after every earlier one, so
    // from here on nothing the page did before can still be reported.
    const refusedLine = page.waitForEvent('console', (m) => m.text().includes('https://cdn.example.com/x.js'));
    const refused = await headerViolation(page, `const s = document.createElement('script'); s.src = 'https://cdn.example.com/x.js'; document.head.append(s);`);
    expect(refused).toEqual({ directive: 'script-src-elem', blocked: 'https://cdn.example.com/x.js', policy: 'header' });
    await refusedLine;
    const earlier = (await page.evaluate(() => window.__violations)).filter((v) => v.blocked !== refused.blocked);
    expect(earlier).toEqual([]);
    const cspLines = messages.filter((m) => m.text().includes('Content Security Policy'));
    expect(cspLines.length).toBeGreaterThan(0);
    for (const line of cspLines) expect(line.text()).toContain('https://cdn.example.com/x.js');

    // Inline code without the nonce, a foreign frame and a foreign connection are refused too.
    const inline = await headerViolation(page, `const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.head.append(s);`);
    expect(inline).toMatchObject({ directive: 'script-src-elem', blocked: 'inline' });
    expect(await page.evaluate(() => window.injected)).toBeUndefined();
    expect(await headerViolation(page, `const f = document.createElement('iframe'); f.src = 'https://evil.example/'; document.body.append(f);`)).toMatchObject({
      directive: 'frame-src',
      blocked: 'https://evil.example',
    });
    expect(await headerViolation(page, `fetch('https://evil.example/collect').catch(() => {});`)).toMatchObject({ directive: 'connect-src' });
    await page.close();
  });

  it('lets a page on a Sandbox origin call the gateway with the API-key header: preflight, then data', async () => {
    const logged = (method: string) =>
      gw.logs
        .flatMap((line) => line.split('\n').filter(Boolean))
        .map((line) => JSON.parse(line) as { msg?: string; req?: { method?: string; url?: string } })
        .filter((line) => line.msg === 'incoming request' && line.req?.method === method && line.req?.url === '/graphql').length;
    const preflightsBefore = logged('OPTIONS');
    const page = await context.newPage();
    await page.goto(`${SANDBOX_ORIGIN}/sandbox/explorer`, { waitUntil: 'load' });
    expect(await page.evaluate(() => location.origin)).toBe(SANDBOX_ORIGIN);

    const answer = await page.evaluate(() => window.__gatewayAnswer);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { customer: { id: '1178', firstName: 'Grace', phones: [{ number: '+16514737960' }] } } });
    // x-request-id is exposed to the page (and the key was accepted: the reader key's customer read).
    expect(answer.requestId).toMatch(/\S+/);
    expect(logged('OPTIONS')).toBe(preflightsBefore + 1);
    expect(await page.evaluate(() => window.__violations)).toEqual([]);
    await page.close();
  });
});
