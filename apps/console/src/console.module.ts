import { Module } from '@nestjs/common';
import { HealthController } from '@soc/platform';
import { ApiProxyController } from './api-proxy.controller';
import { AuthController } from './auth.controller';
import { consoleProviders } from './console.providers';
import { SpaController } from './spa/spa.controller';

@Module({
  controllers: [AuthController, ApiProxyController, SpaController, HealthController],
  providers: consoleProviders,
})
export class ConsoleModule {}
