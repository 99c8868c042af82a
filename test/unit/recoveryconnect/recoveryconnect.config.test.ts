import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/env.js';
import { DEFAULT_PHONE_TYPES, parsePhoneTypes, parseRecoveryConnectConfig } from '../../../src/datasources/recoveryconnect/recoveryconnect.config.js';
import { PhoneType } from '../../../src/schema/phone/phone.enums.js';

const SHARED = { production: false, upstreamTimeoutMs: 10_000 };
const REAL = {
  RECOVERYCONNECT_BASE_URL: 'https://api.mbsisystems.example',
  RECOVERYCONNECT_USERNAME: 'gateway-user',
  RECOVERYCONNECT_PASSWORD: ' s3cret pass ',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    parseRecoveryConnectConfig(env, SHARED);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('RecoveryConnect config section', () => {
  it('is the embedded simulator on an empty environment, with the documented defaults', () => {
    const config = parseRecoveryConnectConfig({}, SHARED);
    expect(config.baseUrl).toBeUndefined();
    expect(config.username).toBeUndefined();
    expect(config.password).toBeUndefined();
    expect(config.loginRetryMs).toBe(10_000);
    expect(config.timeoutMs).toBe(10_000);
    expect(config.maxConcurrency).toBe(64);
    expect([...config.phoneTypes]).toEqual([
      [5, PhoneType.MOBILE],
      [6, PhoneType.HOME],
    ]);
    expect(config.phoneTypes).toBe(DEFAULT_PHONE_TYPES);
  });

  it('reads a real vendor: origin, credentials (the password exactly as given), timeouts, the login pause', () => {
    const config = parseRecoveryConnectConfig(
      { ...REAL, RECOVERYCONNECT_TIMEOUT_MS: '4000', RECOVERYCONNECT_MAX_CONCURRENCY: '16', RECOVERYCONNECT_LOGIN_RETRY_S: '30' },
      SHARED,
    );
    expect(config).toMatchObject({
      baseUrl: 'https://api.mbsisystems.example',
      username: 'gateway-user',
      password: ' s3cret pass ',
      timeoutMs: 4000,
      maxConcurrency: 16,
      loginRetryMs: 30_000,
    });
  });

  it('needs both credentials with a real base URL, naming the missing one', () => {
    expect(configError({ RECOVERYCONNECT_BASE_URL: REAL.RECOVERYCONNECT_BASE_URL }).variable).toBe('RECOVERYCONNECT_USERNAME');
    expect(configError({ ...REAL, RECOVERYCONNECT_PASSWORD: '' }).variable).toBe('RECOVERYCONNECT_PASSWORD');
  });

  it('refuses a base URL with credentials in it, never echoing them', () => {
    const err = configError({ ...REAL, RECOVERYCONNECT_BASE_URL: 'https://gateway-user:hunter2@api.mbsisystems.example' });
    expect(err.variable).toBe('RECOVERYCONNECT_BASE_URL');
    expect(err.message).not.toContain('hunter2');
    expect(configError({ ...REAL, RECOVERYCONNECT_BASE_URL: 'ftp://api.mbsisystems.example' }).variable).toBe('RECOVERYCONNECT_BASE_URL');
  });

  it('bounds the login pause to 1 s .. 1 h', () => {
    expect(configError({ RECOVERYCONNECT_LOGIN_RETRY_S: '0' }).variable).toBe('RECOVERYCONNECT_LOGIN_RETRY_S');
    expect(configError({ RECOVERYCONNECT_LOGIN_RETRY_S: '3601' }).variable).toBe('RECOVERYCONNECT_LOGIN_RETRY_S');
    expect(configError({ RECOVERYCONNECT_LOGIN_RETRY_S: 'soon' }).variable).toBe('RECOVERYCONNECT_LOGIN_RETRY_S');
  });

  describe('RECOVERYCONNECT_PHONE_TYPES', () => {
    it('replaces the defaults as a whole; types in any case, spaces around entries allowed', () => {
      expect([...parsePhoneTypes('5=work, 7 = Mobile ,12=FAX')]).toEqual([
        [5, PhoneType.WORK],
        [7, PhoneType.MOBILE],
        [12, PhoneType.FAX],
      ]);
      expect(parseRecoveryConnectConfig({ RECOVERYCONNECT_PHONE_TYPES: '9=OTHER' }, SHARED).phoneTypes.get(5)).toBeUndefined();
    });

    it.each([
      ['5', /entry 1 must be <type id>=<PhoneType>/],
      ['5=MOBILE,,6=HOME', /entry 2 is empty/],
      ['5=CELL', /entry 1: the type must be one of MOBILE, HOME, WORK, FAX, OTHER/],
      ['5=UNKNOWN', /the type must be one of/],
      ['0=HOME', /positive whole number/],
      ['-5=HOME', /entry 1 must be/],
      ['5=HOME,5=MOBILE', /entry 2: type id 5 is mapped twice/],
      ['x=HOME', /entry 1 must be/],
    ])('refuses %j, naming the variable and the entry', (value, message) => {
      const err = configError({ RECOVERYCONNECT_PHONE_TYPES: value });
      expect(err.variable).toBe('RECOVERYCONNECT_PHONE_TYPES');
      expect(err.message).toMatch(message);
    });

    it('never echoes a secret sitting next to it', () => {
      const err = configError({ ...REAL, RECOVERYCONNECT_PHONE_TYPES: '5=MOBILE;password=hunter2' });
      expect(err.variable).toBe('RECOVERYCONNECT_PHONE_TYPES');
      expect(err.message).not.toContain('hunter2');
      expect(err.message).not.toContain(REAL.RECOVERYCONNECT_PASSWORD.trim());
    });
  });
});
