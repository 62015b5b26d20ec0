import { Controller, Inject, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { AppConfig } from '@soc/config';
import { eventPatterns, type EventBatch } from '@soc/contracts';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import type { Redis } from '@soc/redis';
import { EventRepository, IndexNames, StatisticsRepository, StatisticsRollupRepository, type ElasticsearchClient } from '@soc/storage';
import { ALERTING_REDIS, APP_CONFIG, ELASTICSEARCH } from './alerting.providers';
import { IndexDeadLetters } from './index-dead-letters';
import { statisticsDefinition } from './statistics/statistics-definition';
import { StatisticsRollupRoller } from './statistics-rollups';

/** How often the roller recounts the member-days the indexer marked (docs/STATISTICS.md, Roll-ups). */
export const ROLLUP_INTERVAL_MS = 5_000;

/**
 * Indexes the events stream into Elasticsearch (consumer group "indexer"). A failure that may
 * pass (Elasticsearch away, 429, 5xx) throws, so the entry stays pending and is retried: an
 * outage delays, never loses. An event Elasticsearch refuses for its own fault (a 4xx such as
 * document_parsing_exception, or a time outside the event-time window) goes to the index dead
 * letters at once, the rest of the batch is indexed and the entry acknowledged: one bad event
 * never holds a batch, or the backlog of every member, hostage. The transport may hand it several
 * stream entries merged into one batch (INDEXER_BULK_EVENTS): one bulk request for all of them.
 */
@Controller()
export class EventsIndexer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EventsIndexer.name);
  private readonly events: EventRepository;
  readonly deadLetters: IndexDeadLetters;
  /** The KL statistics' daily roll-ups: the indexer marks member-days, the roller recounts them. */
  readonly rollups: StatisticsRollupRoller;

  constructor(@Inject(ELASTICSEARCH) client: ElasticsearchClient, @Inject(ALERTING_REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    // Its own index names carry the event-time window, so no events index is ever created for a
    // day outside it (defence in depth behind the collector's re-timing).
    this.events = new EventRepository(client, new IndexNames(config.elasticsearch.indexPrefix, config.ingest.eventTimeWindow));
    this.deadLetters = new IndexDeadLetters(redis, config.streams.events);
    const names = new IndexNames(config.elasticsearch.indexPrefix);
    const repository = new StatisticsRollupRepository(client, names, new StatisticsRepository(client, names), config.elasticsearch.index.replicas);
    this.rollups = new StatisticsRollupRoller(redis, client, names, repository, config.streams.events, () =>
      statisticsDefinition(config, MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined).all()),
    );
  }

  onApplicationBootstrap(): void {
    this.rollups.start(ROLLUP_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rollups.stop();
  }

  @EventPattern(eventPatterns.eventBatch)
  async index(@Payload() batch: EventBatch): Promise<void> {
    const refused = await this.events.bulkIndex(batch.events);
    // Marked after the bulk and before the acknowledgement: a crash in between redelivers the batch.
    const refusedEvents = new Set(refused.map((r) => r.event));
    await this.rollups.mark(refused.length === 0 ? batch.events : batch.events.filter((e) => !refusedEvents.has(e)));
    if (refused.length === 0) return;
    await this.deadLetters.record(refused);
    for (const { event, reason } of refused.slice(0, 5)) {
      this.logger.warn(`event ${event.event?.id} of member ${event.organization?.id} dead-lettered: ${reason.slice(0, 300)}`);
    }
  }
}
