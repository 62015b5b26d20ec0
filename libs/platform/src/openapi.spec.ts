import 'reflect-metadata';
import { Controller, Get, Module, Param, Post, UseGuards, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { defaultTokenPolicy, SharedSecretTokenVerifier, TokenVerifier } from '@soc/auth';
import { MemberDirectory } from '@soc/members';
import { BearerGuard } from './bearer.guard';
import { z } from 'zod';
import { openApiDocument } from './openapi';
import type { ContractTable } from './openapi-contract';
import { AllowRoles, DeclareAccess } from './route-access';

@Controller('things')
@UseGuards(BearerGuard)
@AllowRoles('member', 'soc_admin')
class ThingsController {
  @Get(':id')
  get(@Param('id') id: string): string {
    return id;
  }

  @Post(':id/remove')
  @AllowRoles('soc_admin')
  remove(@Param('id') id: string): string {
    return id;
  }
}

@Controller('locked')
@UseGuards(BearerGuard)
class LockedController {
  @Get()
  get(): string {
    return 'no role may';
  }
}

@Controller('open')
@DeclareAccess({ auth: 'none' })
class OpenController {
  @Get()
  ping(): string {
    return 'ok';
  }
}

@Controller('ingest')
class IngestController {
  @Post()
  @DeclareAccess({ auth: 'forwarder-key' })
  ingest(): string {
    return 'ok';
  }

  @Get('unknown')
  unknown(): string {
    return 'no access readable';
  }
}

@Controller('unguarded')
class UnguardedRolesController {
  @Get()
  @AllowRoles('soc_admin')
  get(): string {
    return 'roles nothing enforces';
  }
}

async function documentOf(controllers: Type<unknown>[], contracts?: ContractTable) {
  // The guard's own dependency, as the apps provide it (preview mode resolves but never calls it).
  @Module({
    controllers,
    providers: [{ provide: TokenVerifier, useValue: new SharedSecretTokenVerifier('s'.repeat(40), defaultTokenPolicy, MemberDirectory.withDefaults()) }],
  })
  class TestModule {}
  const app = await NestFactory.create(TestModule, new FastifyAdapter(), { preview: true, logger: false });
  try {
    return openApiDocument(app, { title: 't', description: 'd', contracts });
  } finally {
    await app.close();
  }
}

describe(openApiDocument.name, () => {
  it('states on every operation the access its guard metadata or declaration gives, path ids visible', async () => {
    const document = await documentOf([ThingsController, OpenController]);
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths['/things/{id}']!.get).toMatchObject({
      'x-auth': 'bearer',
      'x-roles': ['member', 'soc_admin'],
      parameters: [expect.objectContaining({ name: 'id', in: 'path' })],
    });
    expect(paths['/things/{id}/remove']!.post).toMatchObject({ 'x-auth': 'bearer', 'x-roles': ['soc_admin'] });
    expect(paths['/things/{id}']!.get!.security).toEqual([{ bearer: [] }]);
    expect(paths['/open']!.get!['x-auth']).toBe('none');
    expect(paths['/open']!.get!.security).toEqual([]);
    expect(paths['/open']!.get!['x-roles']).toBeUndefined();
    expect(paths['/openapi.json']!.get).toMatchObject({ 'x-auth': 'none' });
  });

  it('states a guarded route without @AllowRoles as open to no role, as the guard enforces it', async () => {
    const document = await documentOf([LockedController]);
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths['/locked']!.get).toMatchObject({ 'x-auth': 'bearer', 'x-roles': [] });
  });

  it('refuses to build a document with a route whose access cannot be read', async () => {
    await expect(documentOf([IngestController])).rejects.toThrow('OpenAPI: GET /ingest/unknown has no readable access (guard roles or @DeclareAccess)');
  });

  it('refuses @AllowRoles on a route without BearerGuard: nothing would enforce the roles it states', async () => {
    await expect(documentOf([UnguardedRolesController])).rejects.toThrow('OpenAPI: GET /unguarded has no readable access');
  });
});

describe('openApiDocument with contracts', () => {
  const thing = z.object({ id: z.string() });
  const contracts: ContractTable = {
    ThingsController_get: {
      query: z.strictObject({ size: z.coerce.number().int().default(5) }),
      responses: { 200: { description: 'the thing', schema: thing } },
    },
    ThingsController_remove: { body: z.strictObject({ why: z.string() }), errors: [409], responses: { 200: { description: 'removed', schema: thing } } },
    OpenController_ping: { responses: { 200: { description: 'ok', content: { 'text/plain': { type: 'string' } } } } },
  };

  it("is OpenAPI 3.1: query parameters, body and answers from the zod schemas, errors by the route's shape, no $schema inside", async () => {
    const document = await documentOf([ThingsController, OpenController], contracts);
    expect(document.openapi).toBe('3.1.0');
    expect(JSON.stringify(document)).not.toContain('"$schema"');
    const paths = document.paths as Record<string, Record<string, Record<string, any>>>;
    const get = paths['/things/{id}']!.get!;
    expect(get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path' }),
      { name: 'size', in: 'query', required: false, schema: { type: 'integer', default: 5, minimum: expect.any(Number), maximum: expect.any(Number) } },
    ]);
    expect(get.responses['200'].content['application/json'].schema).toMatchObject({ type: 'object', required: ['id'] });
    // A bearer route with a path id: 400 (the id and query are parsed), 401, 403, 404, 414, 503; no body, so no 413 or 415.
    expect(Object.keys(get.responses)).toEqual(['200', '400', '401', '403', '404', '414', '503']);
    expect(get.responses['404'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    const remove = paths['/things/{id}/remove']!.post!;
    expect(remove.requestBody.content['application/json'].schema).toMatchObject({ properties: { why: { type: 'string' } }, required: ['why'] });
    expect(Object.keys(remove.responses)).toEqual(['200', '400', '401', '403', '404', '409', '413', '414', '415', '503']);
    expect(Object.keys(paths['/open']!.get!.responses)).toEqual(['200']);
    expect(document.components?.schemas?.Error).toMatchObject({ required: ['error', 'message'] });
  });

  it('refuses a route without a contract, and a contract without a route', async () => {
    const { OpenController_ping: _ping, ...withoutPing } = contracts;
    await expect(documentOf([ThingsController, OpenController], withoutPing)).rejects.toThrow('OpenAPI: GET /open (OpenController_ping) has no contract');
    await expect(documentOf([ThingsController], contracts)).rejects.toThrow('OpenAPI: contracts for no route: OpenController_ping');
  });
});
