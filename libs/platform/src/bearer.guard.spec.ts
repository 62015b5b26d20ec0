import 'reflect-metadata';
import { Controller, Get, Module, UseGuards, type INestApplication, type Provider } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { defaultTokenPolicy, SharedSecretTokenVerifier, TokenIssuer, TokenVerifier, type Principal, type Role } from '@soc/auth';
import { MemberDirectory } from '@soc/members';
import { collectorBearerRefusals } from './bearer-auth';
import { BEARER_REFUSALS, BearerGuard, CurrentPrincipal } from './bearer.guard';
import { AllowRoles } from './route-access';

const secret = 'a-test-secret-that-is-long-enough-000000';
const issuer = new TokenIssuer(secret);
const verifier = new SharedSecretTokenVerifier(secret, defaultTokenPolicy, MemberDirectory.withDefaults());

@Controller('things')
@UseGuards(BearerGuard)
@AllowRoles('member', 'soc_analyst')
class ThingsController {
  @Get()
  list(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('admin')
  @AllowRoles('soc_admin')
  admin(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
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

async function appWith(extra: Provider[] = []): Promise<NestFastifyApplication> {
  @Module({ controllers: [ThingsController, LockedController], providers: [{ provide: TokenVerifier, useValue: verifier }, ...extra] })
  class TestModule {}
  const app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

async function call(app: INestApplication, url: string, role?: Role, memberId?: string): Promise<{ status: number; body: unknown }> {
  const token = role && issuer.issue(role === 'member' ? { sub: 'u', role, member_id: memberId ?? '0751' } : { sub: 'u', role });
  const reply = await (app as NestFastifyApplication)
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: 'GET',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  return { status: reply.statusCode, body: reply.json() };
}

describe(BearerGuard.name, () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await appWith();
  });
  afterAll(async () => {
    await app.close();
  });

  it('hands the verified principal to the handler', async () => {
    expect(await call(app, '/things', 'member', '0751')).toEqual({ status: 200, body: { sub: 'u', role: 'member', member_id: '0751' } });
  });

  it('refuses a request without a token as unauthenticated', async () => {
    expect(await call(app, '/things')).toEqual({ status: 401, body: { error: 'unauthenticated', message: 'send "Authorization: Bearer <token>"' } });
  });

  it("checks the handler's @AllowRoles over the controller's", async () => {
    expect(await call(app, '/things/admin', 'soc_admin')).toMatchObject({ status: 200 });
    expect(await call(app, '/things/admin', 'soc_analyst')).toEqual({
      status: 403,
      body: { error: 'forbidden', message: 'role soc_analyst may not use this endpoint' },
    });
  });

  it('denies by default: a guarded route without @AllowRoles is open to no role', async () => {
    for (const role of ['soc_admin', 'soc_analyst', 'kl_reporter'] as const) {
      expect(await call(app, '/locked', role)).toMatchObject({ status: 403 });
    }
  });

  it("speaks the app's wording when the app provides BEARER_REFUSALS", async () => {
    const collector = await appWith([{ provide: BEARER_REFUSALS, useValue: collectorBearerRefusals }]);
    try {
      expect(await call(collector, '/things/admin', 'soc_analyst')).toEqual({ status: 403, body: { error: 'forbidden', message: 'requires role soc_admin' } });
      expect(await call(collector, '/things')).toEqual({
        status: 401,
        body: { error: 'unauthenticated', message: 'send a bearer token as "Authorization: Bearer <JWT>"' },
      });
    } finally {
      await collector.close();
    }
  });
});
