import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { eventPatterns, type EventBatch } from '@soc/contracts';
import { EventRepository } from '@soc/storage';

/**
 * Indexes the events stream into Elasticsearch (consumer group "indexer"). A failed bulk request
 * throws, so the entry stays pending and is retried: an Elasticsearch outage delays, never loses.
 */
@Controller()
export class EventsIndexer {
  constructor(private readonly events: EventRepository) {}

  @EventPattern(eventPatterns.eventBatch)
  async index(@Payload() batch: EventBatch): Promise<void> {
    await this.events.bulkIndex(batch.events);
  }
}
