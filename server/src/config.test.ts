import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const keys = { PII_ENCRYPTION_KEY: 'a'.repeat(64), PII_HASH_KEY: 'b'.repeat(64), AUDIT_HMAC_KEY: 'c'.repeat(64) };

describe('settings', () => {
  it('refuse to start in production with a session cookie that could travel over plain HTTP', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ...keys })).toThrow(/COOKIE_SECURE=true.*BEHIND_TLS_PROXY=true/);
    expect(loadConfig({ NODE_ENV: 'production', COOKIE_SECURE: 'true', ...keys }).COOKIE_SECURE).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', BEHIND_TLS_PROXY: 'true', ...keys }).BEHIND_TLS_PROXY).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development' }).COOKIE_SECURE).toBe(false);
  });

  it('read TRUST_PROXY as off, on, or the list of trusted proxies', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY).toEqual(['10.0.0.0/8', 'loopback']);
  });
});
