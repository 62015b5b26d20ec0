import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DCLinter } from 'dclint';
import { appListener, deployedApps, healthRoutes, isKnownSetting, parseAppEnvironment, repositoryRoot } from './app-settings';
import { interpolate, interpolatedVariables, readComposeFile, readEnvFile } from './compose-file';

const composePath = join(repositoryRoot, 'deploy/compose/compose.yaml');
const compose = readComposeFile(composePath);
const example = readEnvFile(join(repositoryRoot, 'deploy/compose/.env.example'));
const composeSource = readFileSync(composePath, 'utf8');

/** Every rule dclint has, as errors: the Compose Specification schema check runs first, then these. */
const everyDclintRule = [
  'no-build-and-image',
  'no-duplicate-container-names',
  'no-duplicate-exported-ports',
  'no-quotes-in-volumes',
  'no-unbound-port-interfaces',
  'no-version-field',
  'require-project-name-field',
  'require-quotes-in-ports',
  'service-container-name-regex',
  'service-dependencies-alphabetical-order',
  'service-image-require-explicit-tag',
  'service-keys-order',
  'service-ports-alphabetical-order',
  'services-alphabetical-order',
  'top-level-properties-order',
];

function appEnvironment(app: string): Record<string, string> {
  const raw = compose.services[app].environment ?? {};
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, interpolate(String(value), example)]));
}

describe('deploy/compose/compose.yaml', () => {
  it('is valid against the Compose Specification schema and passes every dclint rule', () => {
    const linter = new DCLinter({ rules: Object.fromEntries(everyDclintRule.map((rule) => [rule, 2])), quiet: true, debug: false, exclude: [] });
    const [result] = linter.lintFiles([composePath], false);
    expect(result.messages.map((m) => `${m.rule} (line ${m.line}): ${m.message}`)).toEqual([]);
  });

  it('holds the four apps, Redis, Elasticsearch 8.19 and Keycloak 26.5.6', () => {
    for (const app of deployedApps) expect(compose.services[app]?.build).toEqual({ context: '../..', dockerfile: `apps/${app}/Dockerfile` });
    expect(compose.services.redis.image).toMatch(/^redis:7\.\d+\.\d+-bookworm$/);
    expect(compose.services.elasticsearch.image).toMatch(/^docker\.elastic\.co\/elasticsearch\/elasticsearch:8\.19\.\d+$/);
    expect(compose.services.keycloak.image).toBe('quay.io/keycloak/keycloak:26.5.6');
  });

  it('gives every long-running service a health check, and starts a service only once what it depends on is healthy', () => {
    const oneShot = new Set(['elasticsearch-snapshots-owner']);
    for (const [name, service] of Object.entries(compose.services)) {
      if (!oneShot.has(name)) expect({ name, healthcheck: (service.healthcheck?.test?.length ?? 0) > 1 }).toEqual({ name, healthcheck: true });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const expected = oneShot.has(dependency) ? 'service_completed_successfully' : 'service_healthy';
        expect({ service: name, dependency, condition }).toEqual({ service: name, dependency, condition: expected });
      }
    }
  });

  it.each(deployedApps)('%s: its health check asks the readiness route on its own port', (app) => {
    const test = compose.services[app].healthcheck?.test.join(' ') ?? '';
    expect(test).toContain(`http://127.0.0.1:${appListener[app].port}${healthRoutes().ready}`);
    expect(appEnvironment(app)[appListener[app].portVariable]).toBe(String(appListener[app].port));
    expect(appEnvironment(app)[appListener[app].hostVariable]).toBe('0.0.0.0');
  });

  it.each(deployedApps)('%s: every variable it is given is a setting the app knows', (app) => {
    const unknown = Object.keys(compose.services[app].environment ?? {}).filter((name) => !isKnownSetting(app, name));
    expect(unknown).toEqual([]);
  });

  it.each(deployedApps)('%s: the app accepts its environment in production (every required setting present and valid)', (app) => {
    const env = appEnvironment(app);
    expect(env.NODE_ENV).toBe('production');
    expect(() => parseAppEnvironment(app, env)).not.toThrow();
  });

  it('names every interpolated variable in .env.example, unless it has a default', () => {
    const variables = interpolatedVariables(composeSource.replace(/^\s*#.*$/gm, ''));
    const missing = variables.filter((v) => !v.hasDefault && !(v.name in example)).map((v) => v.name);
    expect(missing).toEqual([]);
    expect(variables.filter((v) => v.required).map((v) => v.name)).toEqual(
      expect.arrayContaining(['REDIS_PASSWORD', 'ELASTIC_PASSWORD', 'KEYCLOAK_ADMIN_PASSWORD', 'CONSOLE_OIDC_CLIENT_SECRET']),
    );
  });

  it('refuses to start without a required secret, naming it', () => {
    const { REDIS_PASSWORD: _left, ...withoutRedisPassword } = example;
    expect(() => interpolate(String(compose.services.collector.environment?.REDIS_URL), withoutRedisPassword)).toThrow(
      'required variable REDIS_PASSWORD is missing: set REDIS_PASSWORD in deploy/compose/.env',
    );
  });

  it('runs Redis with the product’s append-only configuration on a named volume', () => {
    const redis = compose.services.redis;
    expect(redis.volumes).toEqual(expect.arrayContaining(['../redis/redis.conf:/usr/local/etc/redis/redis.conf:ro', 'redis-data:/data']));
    expect(redis.command?.slice(0, 2)).toEqual(['redis-server', '/usr/local/etc/redis/redis.conf']);
    expect(redis.command).toEqual(expect.arrayContaining(['--dir', '/data', '--requirepass']));
    const conf = readFileSync(join(repositoryRoot, 'deploy/redis/redis.conf'), 'utf8');
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(interpolate(redis.command?.[redis.command.indexOf('--appendfsync') + 1] ?? '', {})).toBe('everysec');
  });

  it('keeps Elasticsearch’s data and snapshot repository on named volumes, the latter in path.repo', () => {
    const es = compose.services.elasticsearch;
    expect(es.volumes).toEqual(['elasticsearch-data:/usr/share/elasticsearch/data', 'elasticsearch-snapshots:/usr/share/elasticsearch/snapshots']);
    expect(es.environment?.['path.repo']).toBe('/usr/share/elasticsearch/snapshots');
    expect(es.environment?.['xpack.security.enabled']).toBe('true');
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual(['elasticsearch-data', 'elasticsearch-snapshots', 'keycloak-data', 'redis-data']);
  });

  it('imports the product’s Keycloak realms, and the apps trust that issuer', () => {
    const keycloak = compose.services.keycloak;
    expect(keycloak.volumes).toContain('../keycloak:/opt/keycloak/data/import:ro');
    expect(keycloak.command).toEqual(['start-dev', '--import-realm']);
    const realm = JSON.parse(readFileSync(join(repositoryRoot, 'deploy/keycloak/soc-realm.json'), 'utf8')) as { realm: string };
    for (const app of deployedApps) expect(appEnvironment(app).OIDC_ISSUER).toBe(`http://keycloak.localhost:8180/realms/${realm.realm}`);
  });

  it('publishes only the collector, the console and Keycloak, on the loopback address', () => {
    const published = Object.fromEntries(Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p])));
    expect(published).toEqual({ collector: '127.0.0.1:4100:4100', console: '127.0.0.1:4103:4103', keycloak: '127.0.0.1:8180:8180' });
  });

  it.each(deployedApps)('%s: drops every capability', (app) => {
    expect(compose.services[app].cap_drop).toEqual(['ALL']);
    expect(compose.services[app].read_only).toBe(app !== 'alerting');
  });
});
