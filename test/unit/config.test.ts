import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('gives working defaults for a bare machine', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/data$/);
    expect(c.seedDemo).toBe(true);
    expect(c.tls).toBe(false);
  });

  it('refuses production without SESSION_SECRET, with a message that says what to do', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET è obbligatorio/);
  });

  it('refuses a short or default secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'corto' })).toThrow(/almeno 32/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'solo-per-sviluppo-non-usare-in-produzione' })).toThrow(
      /almeno 32|casuale/,
    );
  });

  it('accepts production with a real secret and never loads demo data there', () => {
    const c = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(48), TLS: 'true' });
    expect(c.isProduction).toBe(true);
    expect(c.seedDemo).toBe(false);
    expect(c.tls).toBe(true);
  });

  it('reports invalid values', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'non-un-url' })).toThrow(/DATABASE_URL/);
  });

  it('reads DATABASE_URL and DATA_DIR', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://root@127.0.0.1:5432/bilancio', DATA_DIR: '/tmp/x' });
    expect(c.databaseUrl).toBe('postgres://root@127.0.0.1:5432/bilancio');
    expect(c.dataDir).toBe('/tmp/x');
  });

  it('runs several processes only on the PostgreSQL server', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: '2', DATABASE_URL: 'postgres://root@127.0.0.1:5432/bilancio' }).workers).toBe(2);
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/database integrato.*DATABASE_URL/);
    expect(() => loadConfig({ WORKERS: '0', DATABASE_URL: 'postgres://root@127.0.0.1:5432/bilancio' })).toThrow(/WORKERS/);
  });
});
