import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appListener, deployedApps, healthRoutes, isKnownSetting, parseAppEnvironment, repositoryRoot, type DeployedApp } from './app-settings';
import { EventStreamPartitions } from '@soc/event-stream';
import { readEnvFile } from './compose-file';
import { renderKustomization, strategicMerge, type Manifest } from './kustomize-subset';

const base = renderKustomization(join(repositoryRoot, 'deploy/kubernetes/base'));
const production = renderKustomization(join(repositoryRoot, 'deploy/kubernetes/overlays/production'), { useSecretExamples: true });
const secretExample = readEnvFile(join(repositoryRoot, 'deploy/kubernetes/overlays/production/secrets.env.example'));

/** Schema problems of each object, from the upstream Kubernetes and KEDA schemas (tools/deploy/validate-kubernetes.mjs). */
function schemaProblems(objects: unknown[]): string[] {
  const output = execFileSync(process.execPath, [join(__dirname, 'validate-kubernetes.mjs')], { input: JSON.stringify(objects), encoding: 'utf8' });
  return JSON.parse(output) as string[];
}

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
}

const find = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is not in the rendered manifests`);
  return found as Manifest & { spec: Record<string, any>; data?: Record<string, string> };
};
const podSpecOf = (m: Manifest) => (m.spec as { template: { spec: PodSpec } }).template.spec;
const workloads = (manifests: Manifest[]) => manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');

/** The environment the app's container gets: its ConfigMaps, its values and its Secret keys (from the example file). */
function environmentOf(manifests: Manifest[], app: DeployedApp): Record<string, string> {
  const container = podSpecOf(find(manifests, 'Deployment', app)).containers[0];
  const fromConfigMaps = (container.envFrom ?? []).map((source) => find(manifests, 'ConfigMap', source.configMapRef?.name ?? '').data ?? {});
  const values = (container.env ?? []).map((e) => ({ [e.name]: e.value ?? secretExample[e.valueFrom?.secretKeyRef?.key ?? ''] }));
  return Object.assign({}, ...fromConfigMaps, ...values);
}

describe.each([
  ['base', base],
  ['production overlay', production],
])('Kubernetes manifests: %s', (_name, manifests) => {
  it('are valid against the Kubernetes and KEDA OpenAPI schemas', () => {
    expect(manifests.length).toBeGreaterThan(10);
    expect(schemaProblems(manifests)).toEqual([]);
  }, 60_000);

  it('give every container probes, requests and limits, a non-root user and no capabilities', () => {
    for (const workload of workloads(manifests)) {
      const pod = podSpecOf(workload);
      expect({ workload: workload.metadata.name, runAsNonRoot: pod.securityContext?.runAsNonRoot }).toEqual({ workload: workload.metadata.name, runAsNonRoot: true });
      for (const c of pod.containers) {
        const summary = {
          container: c.name,
          probes: Boolean(c.livenessProbe && c.readinessProbe),
          requests: Boolean(c.resources?.requests?.cpu && c.resources.requests.memory),
          limits: Boolean(c.resources?.limits?.cpu && c.resources.limits.memory),
          escalation: c.securityContext?.allowPrivilegeEscalation,
          readOnlyRoot: c.securityContext?.readOnlyRootFilesystem,
          drop: c.securityContext?.capabilities?.drop,
          image: /:(latest)?$/.test(c.image) || !c.image.includes(':') ? 'untagged or latest' : 'tagged',
        };
        expect(summary).toEqual({ container: c.name, probes: true, requests: true, limits: true, escalation: false, readOnlyRoot: true, drop: ['ALL'], image: 'tagged' });
      }
    }
  });

  it.each(deployedApps)('%s: probes the routes the app serves, on its port', (app) => {
    const container = podSpecOf(find(manifests, 'Deployment', app)).containers[0];
    expect(container.ports).toEqual([{ name: 'http', containerPort: appListener[app].port }]);
    expect(container.livenessProbe?.httpGet).toEqual({ path: healthRoutes().live, port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: healthRoutes().ready, port: 'http' });
    expect(find(manifests, 'Service', app).spec.ports).toEqual([{ name: 'http', port: appListener[app].port, targetPort: 'http' }]);
  });

  it.each(deployedApps)('%s: every setting it is given is one the app knows, and each secret it reads is in the Secret', (app) => {
    const container = podSpecOf(find(manifests, 'Deployment', app)).containers[0];
    const unknown = Object.keys(environmentOf(manifests, app)).filter((name) => !isKnownSetting(app, name));
    expect(unknown).toEqual([]);
    const secretKeys = (container.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));
    for (const ref of secretKeys) expect({ ...ref, inExample: ref.key in secretExample }).toEqual({ name: 'soc-secrets', key: ref.key, inExample: true });
  });

  it.each(deployedApps)('%s: has a PodDisruptionBudget over its pods', (app) => {
    const budget = find(manifests, 'PodDisruptionBudget', app);
    expect(budget.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': app } } });
  });

  it('runs Redis with the product’s redis.conf (append-only file) on a PersistentVolumeClaim', () => {
    expect(find(manifests, 'ConfigMap', 'redis-config').data?.['redis.conf']).toBe(readFileSync(join(repositoryRoot, 'deploy/redis/redis.conf'), 'utf8'));
    const redis = find(manifests, 'StatefulSet', 'redis');
    const container = podSpecOf(redis).containers[0] as Container & { command: string[]; volumeMounts: { name: string; mountPath: string }[] };
    expect(container.command.slice(0, 2)).toEqual(['redis-server', '/etc/redis/redis.conf']);
    expect(container.command).toEqual(expect.arrayContaining(['--dir', '/data', '--requirepass', '$(REDIS_PASSWORD)']));
    expect(container.volumeMounts).toEqual(expect.arrayContaining([{ name: 'data', mountPath: '/data' }]));
    expect(redis.spec.volumeClaimTemplates.map((t: Manifest) => t.metadata.name)).toEqual(['data']);
  });

  it('scales the correlator and the indexer with KEDA on their consumer group’s lag in the events stream', () => {
    const groupOf = (app: string) => /group: '([a-z-]+)'/.exec(readFileSync(join(repositoryRoot, `apps/${app}/src/main.ts`), 'utf8'))?.[1];
    for (const app of ['correlator', 'alerting'] as const) {
      const scaled = find(manifests, 'ScaledObject', app);
      expect(scaled.spec.scaleTargetRef).toEqual({ name: app });
      // One trigger per partition key the app reads (EVENTS_STREAM, EVENTS_STREAM_PARTITIONS of its
      // environment): a partition without a trigger would be a backlog KEDA never sees.
      const environment = environmentOf(manifests, app);
      const keys = new EventStreamPartitions(environment.EVENTS_STREAM ?? 'soc:events', Number(environment.EVENTS_STREAM_PARTITIONS ?? 1)).keys;
      const triggers = scaled.spec.triggers as Array<{ type: string; metadata: Record<string, string>; authenticationRef: { name: string } }>;
      expect(triggers.map((trigger) => trigger.metadata.stream)).toEqual(keys);
      for (const trigger of triggers) {
        expect(trigger.type).toBe('redis-streams');
        expect(trigger.metadata).toMatchObject({ consumerGroup: groupOf(app), lagCount: expect.stringMatching(/^\d+$/) });
        expect(find(manifests, 'TriggerAuthentication', trigger.authenticationRef.name).spec.secretTargetRef).toEqual([
          { parameter: 'password', name: 'soc-secrets', key: 'REDIS_PASSWORD' },
        ]);
      }
      // The HorizontalPodAutoscaler owns the count: a replicas field would reset it at every apply.
      expect(find(manifests, 'Deployment', app).spec.replicas).toBeUndefined();
    }
    expect(groupOf('correlator')).toBe('correlator');
    expect(groupOf('alerting')).toBe('indexer');
  });

  it('holds no secret values: the base has no Secret, an overlay generates it from a file outside git', () => {
    const secrets = manifests.filter((m) => m.kind === 'Secret');
    expect(secrets.map((s) => s.metadata.name)).toEqual(manifests === base ? [] : ['soc-secrets']);
  });
});

describe('production overlay', () => {
  it.each(deployedApps)('%s: starts in production with what the overlay gives it', (app) => {
    const env = environmentOf(production, app);
    expect(env.NODE_ENV).toBe('production');
    expect(() => parseAppEnvironment(app, env)).not.toThrow();
  });

  it('puts everything in the namespace soc, with the registry’s images', () => {
    expect(production.filter((m) => m.kind !== 'Namespace' && m.metadata.namespace !== 'soc')).toEqual([]);
    for (const app of deployedApps) expect(podSpecOf(find(production, 'Deployment', app)).containers[0].image).toBe(`registry.example.dk/municipal-soc/${app}:0.1.0`);
  });

  it('exposes only the console and the collector’s ingest route, over TLS', () => {
    const ingresses = production.filter((m) => m.kind === 'Ingress');
    const rules = ingresses.flatMap((i) => (i.spec as any).rules as { host: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[]);
    const backends = rules.flatMap((r) => r.http.paths.map((p) => `${r.host}${p.path} -> ${p.backend.service.name}`));
    expect(backends.sort()).toEqual(['console.soc.example.dk/ -> console', 'ingest.soc.example.dk/v1/events -> collector']);
    const tlsHosts = ingresses.flatMap((i) => ((i.spec as any).tls as { hosts: string[] }[]).flatMap((t) => t.hosts));
    expect(tlsHosts.sort()).toEqual(rules.map((r) => r.host).sort());
    expect(production.filter((m) => m.kind === 'Service' && (m.spec as any).type && (m.spec as any).type !== 'ClusterIP')).toEqual([]);
  });

  it('denies ingress by default and lets only the apps (and KEDA) reach Redis and Elasticsearch', () => {
    const policy = (name: string) => find(production, 'NetworkPolicy', name).spec;
    expect(policy('default-deny-ingress')).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const redisFrom = policy('redis-ingress').ingress[0].from;
    expect(redisFrom[0].podSelector.matchExpressions[0].values.sort()).toEqual([...deployedApps].sort());
    expect(redisFrom[1]).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } } });
    const exposedToIngress = production
      .filter((m) => m.kind === 'NetworkPolicy')
      .filter((m) => JSON.stringify((m.spec as any).ingress ?? []).includes('ingress-nginx'))
      .map((m) => (m.spec as any).podSelector.matchLabels['app.kubernetes.io/name']);
    expect(exposedToIngress.sort()).toEqual(['collector', 'console']);
  });

  it('raises the floors and ceilings of the autoscaled consumers and sizes Redis’s volume', () => {
    expect(find(production, 'ScaledObject', 'correlator').spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 16 });
    expect(find(production, 'Deployment', 'collector').spec.replicas).toBe(3);
    expect(find(production, 'StatefulSet', 'redis').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
  });
});

describe('the checks themselves', () => {
  it('the schema validation reports a wrong field type, naming the object and the field', () => {
    const broken = structuredClone(find(base, 'Deployment', 'collector')) as any;
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(schemaProblems([broken, { apiVersion: 'example.dk/v1', kind: 'Thing', metadata: { name: 'x' } }])).toEqual([
      'Deployment/collector: data/spec/template/spec/containers/0/ports/0/containerPort must be integer',
      'Thing/x: no schema for example.dk/v1 Thing',
    ]);
  }, 60_000);

  it('the strategic merge merges named list items and replaces other lists', () => {
    const merged = strategicMerge(
      { containers: [{ name: 'a', image: 'a:1', args: ['x'] }, { name: 'b' }] },
      { containers: [{ name: 'a', args: ['y'] }, { name: 'c' }] },
    );
    expect(merged).toEqual({ containers: [{ name: 'a', image: 'a:1', args: ['y'] }, { name: 'b' }, { name: 'c' }] });
  });
});
