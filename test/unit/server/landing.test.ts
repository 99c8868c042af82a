import { describe, expect, it } from 'vitest';
import { landingPageCsp, landingPageNonce, sandboxSharedHeaders } from '../../../src/server/landing.js';

const auth = (mode: 'none' | 'apikey' | 'jwt') => ({ mode, apiKeys: [], jwt: { secret: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined } });

describe('sandboxSharedHeaders', () => {
  it('names the header the gateway reads in demo mode, with no value that could be a credential', () => {
    expect(sandboxSharedHeaders({ production: false, demoMode: true, auth: auth('none') })).toEqual({});
    expect(Object.keys(sandboxSharedHeaders({ production: false, demoMode: true, auth: auth('apikey') }))).toEqual(['x-api-key']);
    const jwt = sandboxSharedHeaders({ production: false, demoMode: true, auth: auth('jwt') });
    expect(Object.keys(jwt)).toEqual(['authorization']);
    expect(jwt.authorization).toMatch(/^Bearer /);
  });

  it('prefills nothing outside demo mode or in production', () => {
    for (const mode of ['none', 'apikey', 'jwt'] as const) {
      expect(sandboxSharedHeaders({ production: false, demoMode: false, auth: auth(mode) })).toEqual({});
      expect(sandboxSharedHeaders({ production: true, demoMode: true, auth: auth(mode) })).toEqual({});
    }
  });
});

describe('landingPageCsp', () => {
  it('reads the nonce from the policy Apollo renders into its page', () => {
    const nonce = 'ab'.repeat(32);
    expect(landingPageNonce(`<meta http-equiv="Content-Security-Policy" content="script-src 'self' 'nonce-${nonce}' https://x" />`)).toBe(nonce);
    expect(landingPageNonce('<html><script>alert(1)</script></html>')).toBeUndefined();
  });

  it('allows no inline code at all when the page has no nonce', () => {
    const policy = landingPageCsp(undefined);
    expect(policy).not.toContain('nonce-');
    expect(policy).toContain('script-src https://embeddable-sandbox.cdn.apollographql.com;');
    expect(policy).not.toContain('unsafe-inline');
  });
});
