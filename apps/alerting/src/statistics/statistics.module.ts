import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ElasticsearchClient } from '@soc/storage';
import { StatisticsController } from './statistics.controller';
import { STATISTICS_ELASTICSEARCH, statisticsProviders } from './statistics.providers';

@Module({ controllers: [StatisticsController], providers: statisticsProviders })
export class StatisticsModule implements OnApplicationShutdown {
  constructor(@Inject(STATISTICS_ELASTICSEARCH) private readonly client: ElasticsearchClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
