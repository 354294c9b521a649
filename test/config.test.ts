import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('has working defaults: the simulator, port 4000, limit 10 of at most 500', () => {
    const config = loadConfig({});
    expect(config.upstream.url).toBeNull();
    expect(config.http.port).toBe(4000);
    expect(config.lists).toEqual({ defaultLimit: 10, maxLimit: 500 });
    expect(config.oauth).toEqual({ clientId: 'kubesphere', clientSecret: 'kubesphere' });
    expect(config.upstream).toMatchObject({ connectTimeoutMs: 3000, headersTimeoutMs: 10000, bodyTimeoutMs: 10000, insecureSkipTlsVerify: false });
  });

  it('names every bad variable at once', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', KUBESPHERE_URL: 'ftp://x', KUBESPHERE_INSECURE_SKIP_TLS_VERIFY: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT[\s\S]*KUBESPHERE_URL|KUBESPHERE_URL[\s\S]*PORT/);
    expect(attempt).toThrow(/KUBESPHERE_INSECURE_SKIP_TLS_VERIFY/);
  });

  it('refuses an unreadable CA file', () => {
    expect(() => loadConfig({ KUBESPHERE_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/KUBESPHERE_CA_FILE/);
  });

  it('trims a trailing slash from the upstream URL', () => {
    expect(loadConfig({ KUBESPHERE_URL: 'https://ks.example.com/' }).upstream.url).toBe('https://ks.example.com');
  });
});
