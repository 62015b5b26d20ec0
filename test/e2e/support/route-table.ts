import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { AppName } from './stack';

/** One operation of an app's route table, with the access its guards enforce. */
export interface RouteOperation {
  app: AppName;
  method: string;
  /** OpenAPI path, parameters in braces: `/alerts/{id}`. */
  path: string;
  auth: 'none' | 'bearer' | 'forwarder-key' | 'forwarder-key-or-bearer';
  roles: string[];
  pathParams: string[];
  /** The JSON schema of the request body, when the route documents one. */
  bodySchema?: JsonSchema;
}

export type JsonSchema = { [key: string]: unknown };
export type OpenApiDocuments = Record<AppName, { paths: Record<string, Record<string, Record<string, unknown>>> }>;

/**
 * The three apps' OpenAPI documents, built synchronously from `dist/` (support/print-route-tables.js),
 * so that jest can name a test per route while it collects them. `npm run build` first.
 */
export function routeTables(): OpenApiDocuments {
  const script = join(__dirname, 'print-route-tables.js');
  // A configuration like the e2e deployments' (no route may depend on it, but modules may read it when loaded).
  const env = { ...process.env, NODE_ENV: 'test', JWT_SECRET: 'route-table-preview-0123456789abcdef0123' };
  return JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 })) as OpenApiDocuments;
}

/** Every operation of the documents, in document order. */
export function operationsOf(documents: OpenApiDocuments): RouteOperation[] {
  return (Object.keys(documents) as AppName[]).flatMap((app) =>
    Object.entries(documents[app].paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => {
        const parameters = (operation.parameters as Array<{ in: string; name: string }> | undefined) ?? [];
        const body = operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined;
        return {
          app,
          method: method.toUpperCase(),
          path,
          auth: operation['x-auth'] as RouteOperation['auth'],
          roles: (operation['x-roles'] as string[] | undefined) ?? [],
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          bodySchema: body?.content?.['application/json']?.schema,
        };
      }),
    ),
  );
}

/** `GET /alerts/{id}` on alerting: how tests and failures name an operation. */
export const operationName = (op: RouteOperation) => `${op.app} ${op.method} ${op.path}`;

/**
 * The kind of object a path parameter names: the path segment before it, e.g. `alerts` in
 * `/alerts/{id}/audit`. The suite seeds another member's object of each kind it meets.
 */
export function objectKindOf(op: RouteOperation, param: string): string {
  const segments = op.path.split('/');
  const at = segments.indexOf(`{${param}}`);
  return at > 0 ? segments[at - 1]! : param;
}

/** A small request body that satisfies a JSON schema (required properties, first enum value, minimums). */
export function sampleOf(schema: JsonSchema | undefined): unknown {
  if (!schema) return {};
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('const' in schema) return schema.const;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(schema[key])) return sampleOf((schema[key] as JsonSchema[])[0]);
  }
  if ('default' in schema) return schema.default;
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
      const required = (schema.required as string[] | undefined) ?? [];
      return Object.fromEntries(required.map((name) => [name, sampleOf(properties[name])]));
    }
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) || 1 }, () => sampleOf(schema.items as JsonSchema));
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date-time') return '2099-01-01T00:00:00Z';
      return 'abuse-suite'.padEnd(Number(schema.minLength ?? 0), 'x');
    default:
      return {};
  }
}
