import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ChromiumPdf } from '@soc/report-pdf';
import type { ElasticsearchClient } from '@soc/storage';
import { MemberBenchmarkController } from './member-benchmark.controller';
import { StatisticsReportController } from './statistics-report.controller';
import { StatisticsController } from './statistics.controller';
import { STATISTICS_ELASTICSEARCH, statisticsProviders } from './statistics.providers';

@Module({
  controllers: [StatisticsController, StatisticsReportController, MemberBenchmarkController],
  providers: [...statisticsProviders, { provide: ChromiumPdf, useFactory: () => new ChromiumPdf() }],
})
export class StatisticsModule implements OnApplicationShutdown {
  constructor(@Inject(STATISTICS_ELASTICSEARCH) private readonly client: ElasticsearchClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
