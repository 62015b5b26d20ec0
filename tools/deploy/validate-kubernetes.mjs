// Validates Kubernetes objects against the upstream OpenAPI schemas that kubernetes-models and
// @kubernetes-models/keda ship (both ESM-only, hence this small script the Jest spec runs with node).
// Reads a JSON array of objects on stdin; prints a JSON array of "<kind>/<name>: <error>" strings.
import * as kubernetes from 'kubernetes-models';
import * as keda from '@kubernetes-models/keda';

const groups = { ...kubernetes, ...keda };

/** `apps/v1` → apps.v1; `networking.k8s.io/v1` → networkingK8sIo.v1; `v1` → v1; `keda.sh/v1alpha1` → kedaSh.v1alpha1. */
function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  const key = group === undefined ? undefined : group.replace(/\.([a-z])/g, (_, c) => c.toUpperCase());
  const namespace = key === undefined ? groups.v1 : groups[key]?.[version];
  return namespace?.[kind];
}

const objects = JSON.parse(await new Response(process.stdin).text());
const problems = [];
for (const object of objects) {
  const name = `${object.kind}/${object.metadata?.name}`;
  const Model = modelOf(object.apiVersion, object.kind);
  if (typeof Model !== 'function') {
    problems.push(`${name}: no schema for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
