import { describe, expect, it } from 'vitest';
import { vibesVendor } from '../../../src/datasources/vibes/vibes.vendor.js';

describe('Vibes in demo mode', () => {
  const shared = { production: false, upstreamTimeoutMs: 10_000 };
  const sim = { baseUrl: 'http://127.0.0.1:1', username: 'u', password: 'p', companyKey: 'simco', listPurposes: '7001=MARKETING,7002=ACCOUNT', setCallbackUrl: () => undefined };

  it('takes the seeded lists purposes (7002 grants ACCOUNT) when the operator named no list', async () => {
    const config = vibesVendor.demo.configFor(vibesVendor.parseConfig({}, shared), sim as never);
    expect(config.listPurposes.purposeOf('7002')).toBe('ACCOUNT');
    expect(config.listPurposes.purposeOf('7001')).toBe('MARKETING');
  });

  it('keeps the lists the operator named', () => {
    const config = vibesVendor.demo.configFor(vibesVendor.parseConfig({ VIBES_LIST_PURPOSES: '7002=MARKETING' }, shared), sim as never);
    expect(config.listPurposes.purposeOf('7002')).toBe('MARKETING');
  });
});
