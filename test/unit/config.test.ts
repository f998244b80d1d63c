import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('has defaults that run with nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'info',
      databaseUrl: undefined,
      networkTargets: undefined,
      networkTimeoutMs: 2000,
      shutdownGraceMs: 10000,
      flushTimeoutMs: 5000,
      uiRelayRate: 20,
      allowedHosts: ['localhost'],
    });
  });

  it('serves localhost and the names ALLOWED_HOSTS gives, and refuses what is not a host name', () => {
    expect(loadConfig({ ALLOWED_HOSTS: 'app, .example.com,Shop.Example' }).allowedHosts).toEqual([
      'localhost',
      'app',
      '.example.com',
      'shop.example',
    ]);
    expect(loadConfig({ ALLOWED_HOSTS: '*' }).allowedHosts).toEqual(['*']);
    expect(() => loadConfig({ ALLOWED_HOSTS: 'app,http://x' })).toThrow(
      new ConfigError('ALLOWED_HOSTS must be host names (a leading dot for every subdomain) or *, got "http://x"'),
    );
  });

  it("takes Jaeger's UI address for the page, without a trailing slash", () => {
    expect(loadConfig({ JAEGER_UI_URL: 'http://localhost:16686/' }).jaegerUiUrl).toBe('http://localhost:16686');
    expect(loadConfig({}).jaegerUiUrl).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      NETWORK_CHECK_TARGETS: 'db=tcp://db:5432',
      NETWORK_CHECK_TIMEOUT_MS: '500',
      SHUTDOWN_GRACE_MS: '0',
      SHUTDOWN_FLUSH_TIMEOUT_MS: '250',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      logLevel: 'debug',
      databaseUrl: 'postgres://u:p@db:5432/app',
      networkTimeoutMs: 500,
      shutdownGraceMs: 0,
      flushTimeoutMs: 250,
    });
    expect(config.networkTargets?.[0]?.name).toBe('db');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be an integer'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
    [{ NETWORK_CHECK_TIMEOUT_MS: '0' }, 'NETWORK_CHECK_TIMEOUT_MS must be an integer from 1'],
    [{ NETWORK_CHECK_TARGETS: 'gopher://x:70' }, 'NETWORK_CHECK_TARGETS'],
    [{ JAEGER_UI_URL: 'localhost:16686' }, 'JAEGER_UI_URL must be an http:// or https:// URL'],
    [{ JAEGER_UI_URL: 'http://admin:pw@jaeger:16686' }, 'without credentials or query'],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('the service name', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('is resolved as the SDK does: OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then package.json', async () => {
    const { serviceName } = await import('../../otel/identity.js');
    vi.stubEnv('OTEL_SERVICE_NAME', '');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', '');
    expect(serviceName()).toBe('otel-monitoring-service');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'deployment.environment.name=x,service.name=billing%20api');
    expect(serviceName()).toBe('billing api');
    vi.stubEnv('OTEL_SERVICE_NAME', 'svc');
    expect(serviceName()).toBe('svc');
  });
});

describe('the default deployment environment', () => {
  it('is NODE_ENV (production in the image), else development', async () => {
    const { defaultEnvironment } = await import('../../otel/identity.js');
    expect(defaultEnvironment({ NODE_ENV: 'production' })).toBe('production');
    expect(defaultEnvironment({})).toBe('development');
  });
});
