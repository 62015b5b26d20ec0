import { appListener, deployedApps, healthRoutes, isKnownSetting, parseAppEnvironment, registersHealthController } from './app-settings';

describe('app settings the deployment files are checked against', () => {
  it('reads the health routes from the controller', () => {
    expect(healthRoutes()).toEqual({ live: '/health/live', ready: '/health/ready' });
  });

  it.each(deployedApps)('%s registers the health controller', (app) => {
    expect(registersHealthController(app)).toBe(true);
  });

  it('knows the APIs’ and the console’s settings apart', () => {
    expect(isKnownSetting('collector', 'INGEST_BACKLOG_LIMIT_ENTRIES')).toBe(true);
    expect(isKnownSetting('alerting', 'WEBHOOK_SECRET_aarhus')).toBe(true);
    expect(isKnownSetting('alerting', 'WEBHOOK_SECRET_')).toBe(false);
    expect(isKnownSetting('console', 'CONSOLE_OIDC_CLIENT_SECRET')).toBe(true);
    expect(isKnownSetting('console', 'ELASTICSEARCH_URL')).toBe(false);
    expect(isKnownSetting('correlator', 'CONSOLE_PORT')).toBe(false);
  });

  it('parses an environment as the app does, naming what production requires', () => {
    expect(() => parseAppEnvironment('collector', { NODE_ENV: 'production' })).toThrow(/OIDC_ISSUER: required when NODE_ENV is production/);
    expect(() => parseAppEnvironment('console', { NODE_ENV: 'production', OIDC_ISSUER: 'http://idp/realms/soc' })).toThrow(/CONSOLE_OIDC_CLIENT_SECRET: required/);
  });

  it('has one listener per app with the documented default ports', () => {
    expect(Object.values(appListener).map((l) => l.port)).toEqual([4100, 4101, 4102, 4103]);
  });
});
