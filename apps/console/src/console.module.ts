import { Module } from '@nestjs/common';
import { HealthController } from '@soc/platform';
import { ApiProxyController } from './api-proxy.controller';
import { AuthController } from './auth.controller';
import { consoleProviders } from './console.providers';
import { StartPageController } from './start-page/start-page.controller';

@Module({
  controllers: [AuthController, ApiProxyController, StartPageController, HealthController],
  providers: consoleProviders,
})
export class ConsoleModule {}
