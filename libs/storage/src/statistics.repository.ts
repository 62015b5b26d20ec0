import type { Client } from '@elastic/elasticsearch';
import type { AggregationsAggregationContainer, AggregationsCompositeAggregateKey, QueryDslQueryContainer } from '@elastic/elasticsearch/lib/api/types';
import { addDays, type MemberDayCount, type MemberDayCounts, type MemberDayQuery } from '@soc/statistics';
import { IndexNames } from './index-names';

// The query is libs/statistics' (what the reports ask for); re-exported for existing importers of @soc/storage.
export type { MemberDayQuery };

// 98 municipalities × 366 days is about 36k member-days: four pages, each one request.
const PAGE_SIZE = 10_000;

interface MemberDayBucket {
  key: AggregationsCompositeAggregateKey;
  doc_count: number;
  categories?: { buckets: Record<string, { doc_count: number }> };
}

/**
 * Attack-attempt counts per member per day, aggregated by Elasticsearch with two composite
 * aggregations over organization.id × calendar day:
 * - the population: ALL events, no sub-aggregation (a member that forwarded events but saw no
 *   attempt is a 0, not missing);
 * - the attempts: the attempt query as the search query, so Lucene skips non-attempts through
 *   its posting lists (attempts are a small part of all events), with the categories as a
 *   `filters` sub-aggregation.
 * One composite with the definition as a `filter` sub-aggregation tests every event against the
 * whole definition; on the year benchmark (where 65% of events are attempts) both ways took the
 * same 1.6 s, and the split can only gain as attempts become a smaller share of events.
 * No event leaves Elasticsearch.
 */
export class StatisticsRepository implements MemberDayCounts {
  constructor(
    private readonly client: Client,
    private readonly names: IndexNames,
  ) {}

  async memberDayCounts(q: MemberDayQuery): Promise<MemberDayCount[]> {
    return (await this.memberDayCountsWithEvents(q)).map(({ events: _events, ...count }) => count);
  }

  /** The same, each with its number of events (all events of the member-day), which the roll-ups keep. */
  async memberDayCountsWithEvents(q: MemberDayQuery): Promise<Array<MemberDayCount & { events: number }>> {
    const inPeriod: QueryDslQueryContainer[] = [
      { range: { '@timestamp': { gte: q.from, lt: addDays(q.to, 1), format: 'yyyy-MM-dd', time_zone: q.timeZone } } },
      { terms: { 'organization.id': q.memberIds } },
    ];
    const [population, attempts] = await Promise.all([
      this.memberDays({ bool: { filter: inPeriod } }, q.timeZone),
      this.memberDays({ bool: { filter: [...inPeriod, q.attemptQuery as QueryDslQueryContainer] } }, q.timeZone, {
        categories: { filters: { filters: q.categoryFilters as Record<string, QueryDslQueryContainer> } },
      }),
    ]);
    const attemptsByKey = new Map(attempts.map((b) => [keyOf(b), b]));
    return population.map((bucket) => {
      const found = attemptsByKey.get(keyOf(bucket));
      const byCategory = Object.fromEntries(Object.keys(q.categoryFilters).map((id) => [id, found?.categories?.buckets[id]?.doc_count ?? 0]));
      return { memberId: String(bucket.key.member), day: String(bucket.key.day), events: bucket.doc_count, attempts: found?.doc_count ?? 0, byCategory };
    });
  }

  private async memberDays(
    query: QueryDslQueryContainer,
    timeZone: string,
    aggs?: Record<string, AggregationsAggregationContainer>,
  ): Promise<MemberDayBucket[]> {
    const buckets: MemberDayBucket[] = [];
    let after: AggregationsCompositeAggregateKey | undefined;
    do {
      const result = await this.client.search({
        index: this.names.eventsPattern,
        ignore_unavailable: true,
        allow_no_indices: true,
        size: 0,
        query,
        aggs: {
          member_days: {
            composite: {
              size: PAGE_SIZE,
              ...(after ? { after } : {}),
              sources: [
                { member: { terms: { field: 'organization.id' } } },
                { day: { date_histogram: { field: '@timestamp', calendar_interval: '1d', time_zone: timeZone, format: 'yyyy-MM-dd' } } },
              ],
            },
            ...(aggs ? { aggs } : {}),
          },
        },
      });
      const aggregate = result.aggregations?.member_days as { after_key?: AggregationsCompositeAggregateKey; buckets: MemberDayBucket[] } | undefined;
      buckets.push(...(aggregate?.buckets ?? []));
      after = aggregate && aggregate.buckets.length === PAGE_SIZE ? aggregate.after_key : undefined;
    } while (after);
    return buckets;
  }
}

const keyOf = (bucket: MemberDayBucket) => `${bucket.key.member} ${bucket.key.day}`;
