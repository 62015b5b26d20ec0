import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The part of Kustomize that deploy/kubernetes uses, so a test can render the overlay as
 * `kubectl kustomize` would: resources (files and folders), namespace, labels (without selectors),
 * secretGenerator (envs, fixed names), strategic-merge patches by kind and name, and images. npm has
 * no library that renders kustomizations; any other field is refused here rather than ignored.
 */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean }[];
  secretGenerator?: { name: string; envs: string[]; options?: { disableNameSuffixHash?: boolean } }[];
  patches?: { path: string }[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

const supported = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'labels', 'secretGenerator', 'patches', 'images']);

export function readManifests(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Strategic merge as Kubernetes does it for the lists used here: lists of named items merge by name, others are replaced. */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (isObject(target) && isObject(patch)) {
    const merged: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(patch)) merged[key] = key in target ? strategicMerge(target[key], value) : value;
    return merged;
  }
  const named = (list: unknown): list is { name: string }[] => Array.isArray(list) && list.every((item) => isObject(item) && typeof item.name === 'string');
  if (named(target) && named(patch)) {
    const merged = target.map((item) => {
      const match = patch.find((p) => p.name === item.name);
      return match ? strategicMerge(item, match) : item;
    });
    return [...merged, ...patch.filter((p) => !target.some((item) => item.name === p.name))];
  }
  return patch;
}

/** `KEY=value` lines; a missing file is read from its `.example` only when the caller allows it (tests). */
function readEnvs(path: string, useExamples: boolean): Record<string, string> {
  const file = existsSync(path) || !useExamples ? path : `${path}.example`;
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function setImage(podSpec: Record<string, unknown>, images: NonNullable<Kustomization['images']>): void {
  for (const container of (podSpec.containers ?? []) as { image: string }[]) {
    const [name, tag] = container.image.split(':');
    const rule = images.find((i) => i.name === name);
    if (rule) container.image = `${rule.newName ?? name}:${rule.newTag ?? tag}`;
  }
}

export function renderKustomization(dir: string, options: { useSecretExamples?: boolean } = {}): Manifest[] {
  const file = join(dir, 'kustomization.yaml');
  const k = readManifests(file)[0] as unknown as Kustomization;
  const unknown = Object.keys(k).filter((key) => !supported.has(key));
  if (unknown.length > 0) throw new Error(`${file}: fields this renderer does not implement: ${unknown.join(', ')}`);

  let manifests: Manifest[] = (k.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    return statSync(path).isDirectory() ? renderKustomization(path, options) : readManifests(path);
  });
  for (const generator of k.secretGenerator ?? []) {
    if (!generator.options?.disableNameSuffixHash) throw new Error(`${file}: secretGenerator ${generator.name} needs disableNameSuffixHash here`);
    const data = Object.assign({}, ...generator.envs.map((env) => readEnvs(join(dir, env), options.useSecretExamples ?? false)));
    manifests.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: generator.name }, type: 'Opaque', stringData: data });
  }
  for (const { path } of k.patches ?? []) {
    for (const patch of readManifests(join(dir, path))) {
      const index = manifests.findIndex((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name);
      if (index < 0) throw new Error(`${join(dir, path)}: patch of ${patch.kind}/${patch.metadata.name} matches no resource`);
      manifests[index] = strategicMerge(manifests[index], patch) as Manifest;
    }
  }
  manifests = manifests.map((m) => structuredClone(m));
  for (const m of manifests) {
    if (k.namespace && m.kind !== 'Namespace') m.metadata.namespace = k.namespace;
    for (const { pairs, includeSelectors } of k.labels ?? []) {
      if (includeSelectors) throw new Error(`${file}: labels with includeSelectors are not implemented here`);
      m.metadata.labels = { ...m.metadata.labels, ...pairs };
    }
    const template = (m.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template;
    if (k.images && template?.spec) setImage(template.spec, k.images);
  }
  return manifests;
}
