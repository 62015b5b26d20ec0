import 'reflect-metadata';
import { Controller, Get, Injectable, Module, Param, Post, SetMetadata, UseGuards, type CanActivate, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DeclareAccess, declaredAccess, guardsOf, openApiDocument, type RouteAccess } from './openapi';

@Injectable()
class RoleGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}
const Roles = (...roles: string[]) => SetMetadata('test:roles', roles);

@Controller('things')
@UseGuards(RoleGuard)
@Roles('member', 'soc_admin')
class ThingsController {
  @Get(':id')
  get(@Param('id') id: string): string {
    return id;
  }

  @Post(':id/remove')
  @Roles('soc_admin')
  remove(@Param('id') id: string): string {
    return id;
  }
}

@Controller('open')
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

/** Reads the guard's roles like a guard would (handler overrides class), open without guards, else what was declared. */
function accessOf(handler: object, controller: object): RouteAccess | undefined {
  const declared = declaredAccess(handler, controller);
  if (declared) return declared;
  if (guardsOf(handler, controller).includes(RoleGuard)) {
    return { auth: 'bearer', roles: Reflect.getMetadata('test:roles', handler) ?? Reflect.getMetadata('test:roles', controller) };
  }
  if (controller === OpenController) return { auth: 'none' };
  return undefined;
}

async function documentOf(controllers: Type<unknown>[]) {
  @Module({ controllers })
  class TestModule {}
  const app = await NestFactory.create(TestModule, new FastifyAdapter(), { preview: true, logger: false });
  try {
    return openApiDocument(app, { title: 't', description: 'd', access: accessOf });
  } finally {
    await app.close();
  }
}

describe(openApiDocument.name, () => {
  it('states on every operation the access its guard metadata or declaration gives, path ids visible', async () => {
    const document = await documentOf([ThingsController, OpenController]);
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(paths['/things/{id}']!.get).toMatchObject({ 'x-auth': 'bearer', 'x-roles': ['member', 'soc_admin'], parameters: [expect.objectContaining({ name: 'id', in: 'path' })] });
    expect(paths['/things/{id}/remove']!.post).toMatchObject({ 'x-auth': 'bearer', 'x-roles': ['soc_admin'] });
    expect(paths['/things/{id}']!.get!.security).toEqual([{ bearer: [] }]);
    expect(paths['/open']!.get!['x-auth']).toBe('none');
    expect(paths['/open']!.get!.security).toEqual([]);
    expect(paths['/open']!.get!['x-roles']).toBeUndefined();
    expect(paths['/openapi.json']!.get).toMatchObject({ 'x-auth': 'none' });
  });

  it('refuses to build a document with a route whose access cannot be read', async () => {
    await expect(documentOf([IngestController])).rejects.toThrow('OpenAPI: GET /ingest/unknown has no readable access (guard roles or @DeclareAccess)');
  });
});
