import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { openApiDocument, type OpenApiOptions } from '../openapi';
import { errorSchema } from '../openapi-contract';

const root = join(__dirname, '..', '..', '..', '..');

/**
 * An app's OpenAPI document built from its module in Nest's preview mode (controllers mapped, no
 * provider created: no Redis, no Elasticsearch), by the function that serves `GET /openapi.json`.
 */
export async function previewOpenApiDocument(module: Type<unknown>, options: OpenApiOptions): Promise<OpenAPIObject> {
  const app = await NestFactory.create(module, new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return openApiDocument(app, options);
  } finally {
    await app.close();
  }
}

/**
 * Runs the client generator's check (libs/api-client/scripts/openapi-client.mjs, an ES module,
 * hence a child process) on an app's document: it validates the document as OpenAPI 3.1 and
 * compares the generated types with the committed ones. Returns its complaint, '' when none.
 */
export function openApiClientDrift(app: string, document: OpenAPIObject): string {
  try {
    execFileSync(process.execPath, [join(root, 'libs/api-client/scripts/openapi-client.mjs'), '--check'], {
      input: JSON.stringify({ [app]: document }),
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return '';
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

type Operation = { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>; 'x-auth'?: string };

/** `GET /alerts`: each operation of a document, with its responses. */
export function operationsOf(document: OpenAPIObject): Array<{ name: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
  );
}

/**
 * The spec every app's document passes (apps/<app>/src/openapi.spec.ts): valid OpenAPI 3.1, the
 * committed client generated from it, a success answer on every operation, 401 and 503 on every
 * authenticated one, and every error answer the shared Error schema.
 */
export function describeOpenApiDocument(app: string, module: Type<unknown>, options: OpenApiOptions): void {
  describe(`the ${app} OpenAPI document`, () => {
    let document: OpenAPIObject;
    beforeAll(async () => {
      document = await previewOpenApiDocument(module, options);
    });

    it('is valid OpenAPI 3.1 and the committed client (libs/api-client) is generated from it', () => {
      expect(document.openapi).toBe('3.1.0');
      expect(openApiClientDrift(app, document)).toBe('');
    });

    it('describes a success answer on every operation, and each error as the shared Error schema', () => {
      expect(document.components?.schemas?.Error).toEqual(errorSchema);
      for (const { name, operation } of operationsOf(document)) {
        const statuses = Object.keys(operation.responses);
        expect({ name, success: statuses.some((s) => s.startsWith('2')) }).toEqual({ name, success: true });
        if (operation['x-auth'] !== 'none') expect({ name, statuses }).toEqual({ name, statuses: expect.arrayContaining(['401', '503']) });
        for (const status of statuses.filter((s) => Number(s) >= 400)) {
          const schema = operation.responses[status]!.content?.['application/json']?.schema;
          expect({ name, status, schema }).toEqual({ name, status, schema: { $ref: '#/components/schemas/Error' } });
        }
      }
    });
  });
}
