import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, MAX_SUBJECT_LENGTH } from '../../../src/auth/authenticate.js';
import { loadConfig } from '../../../src/config/index.js';
import { UnauthenticatedError } from '../../../src/errors/errors.js';

const KEY = 'test-key-0123456789abcdef';
const SECRET = 'a-very-long-hs256-secret-for-tests-only';

describe('authenticate', () => {
  it('gives demo callers every scope', async () => {
    const caller = await createAuthenticator(loadConfig({}).auth)({});
    expect(caller.principal).toBe('demo');
    expect(caller.scopes.has('pii:read')).toBe(true);
  });

  it('accepts API keys as bearer or x-api-key, with their scopes', async () => {
    const auth = createAuthenticator(loadConfig({ AUTH_MODE: 'apikey', API_KEYS: `${KEY}=customers:read` }).auth);
    const a = await auth({ authorization: `Bearer ${KEY}` });
    const b = await auth({ 'x-api-key': KEY });
    expect(a.principal).toMatch(/^apikey:[0-9a-f]{12}$/);
    expect(a.principal).toBe(b.principal);
    expect([...a.scopes]).toEqual(['customers:read']);
    expect(a.principal).not.toContain(KEY);
  });

  it('refuses missing and unknown keys', async () => {
    const auth = createAuthenticator(loadConfig({ AUTH_MODE: 'apikey', API_KEYS: `${KEY}=customers:read` }).auth);
    await expect(auth({})).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(auth({ authorization: 'Bearer nope-nope-nope-nope' })).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('verifies HS256 JWTs, issuer and audience, and reads scopes from the scope claim', async () => {
    const config = loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, JWT_ISSUER: 'idp', JWT_AUDIENCE: 'switchboard' });
    const auth = createAuthenticator(config.auth);
    const sign = (claims: Record<string, unknown>, secret = SECRET) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('user-7')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
    const ok = await auth({ authorization: `Bearer ${await sign({ iss: 'idp', aud: 'switchboard', scope: 'customers:read bogus pii:read' })}` });
    expect(ok.principal).toBe('jwt:user-7');
    expect([...ok.scopes].sort()).toEqual(['customers:read', 'pii:read']);
    await expect(auth({ authorization: `Bearer ${await sign({ iss: 'other', aud: 'switchboard' })}` })).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(auth({ authorization: `Bearer ${await sign({ iss: 'idp', aud: 'switchboard' }, 'x'.repeat(40))}` })).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(auth({})).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('refuses a JWT without an expiry or a subject', async () => {
    const auth = createAuthenticator(loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET }).auth);
    const key = new TextEncoder().encode(SECRET);
    const claims = { scope: 'customers:read pii:read' };
    const good = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setExpirationTime('5m').sign(key);
    expect((await auth({ authorization: `Bearer ${good}` })).principal).toBe('jwt:u');
    const forever = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u').sign(key);
    const nobody = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(key);
    await expect(auth({ authorization: `Bearer ${forever}` })).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(auth({ authorization: `Bearer ${nobody}` })).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('refuses a subject too long to record as the actor of what the caller does', async () => {
    const auth = createAuthenticator(loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET }).auth);
    const key = new TextEncoder().encode(SECRET);
    const token = (sub: string) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('5m').sign(key);
    expect((await auth({ authorization: `Bearer ${await token('u'.repeat(MAX_SUBJECT_LENGTH))}` })).principal).toHaveLength(4 + MAX_SUBJECT_LENGTH);
    await expect(auth({ authorization: `Bearer ${await token('u'.repeat(MAX_SUBJECT_LENGTH + 1))}` })).rejects.toThrow(/sub claim is longer than 200/);
  });

  it('verifies RS256 JWTs against a JWKS endpoint', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const auth = createAuthenticator(
        loadConfig({ AUTH_MODE: 'jwt', JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, JWT_AUDIENCE: 'switchboard' }).auth,
      );
      const sign = (key: Parameters<SignJWT['sign']>[0], kid: string) =>
        new SignJWT({ scope: 'customers:read', aud: 'switchboard' })
          .setProtectedHeader({ alg: 'RS256', kid })
          .setSubject('svc-9')
          .setExpirationTime('5m')
          .sign(key);
      const ok = await auth({ authorization: `Bearer ${await sign(privateKey, 'k1')}` });
      expect(ok.principal).toBe('jwt:svc-9');
      expect([...ok.scopes]).toEqual(['customers:read']);
      const other = await generateKeyPair('RS256');
      await expect(auth({ authorization: `Bearer ${await sign(other.privateKey, 'k1')}` })).rejects.toBeInstanceOf(UnauthenticatedError);
    } finally {
      server.close();
    }
  });
});
