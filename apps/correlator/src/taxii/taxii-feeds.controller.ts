import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { TaxiiFeedStateRepository, type TaxiiFeedStatus } from '@soc/indicator-store';
import type { TaxiiFeed } from '@soc/indicators';
import { AllowRoles, BearerGuard } from '@soc/platform';
import { TAXII_FEEDS } from './taxii-feeds.tokens';

/** One feed as the feeds route answers it: where it comes from, its cursor and status; never its credentials. */
export interface TaxiiFeedView extends TaxiiFeedStatus {
  id: string;
  source: string;
  api_root: string;
  collection_id: string;
  interval_seconds: number;
  auth: TaxiiFeed['auth']['kind'];
  /** The `added_after` the next pull sends (null: the whole collection, or `initial_added_after`). */
  cursor: string | null;
}

/** The subscribed TAXII 2.1 feeds and how their pulls went (docs/INDICATORS.md, TAXII 2.1 feeds). */
@Controller('v1/indicators/feeds')
@UseGuards(BearerGuard)
export class TaxiiFeedsController {
  constructor(
    @Inject(TAXII_FEEDS) private readonly feeds: readonly TaxiiFeed[],
    private readonly state: TaxiiFeedStateRepository,
  ) {}

  @Get()
  @AllowRoles('soc_analyst', 'soc_admin')
  async list(): Promise<{ feeds: TaxiiFeedView[] }> {
    const feeds = await Promise.all(
      this.feeds.map(async (feed): Promise<TaxiiFeedView> => ({
        id: feed.id,
        source: feed.source,
        api_root: feed.apiRoot,
        collection_id: feed.collectionId,
        interval_seconds: feed.intervalMs / 1000,
        auth: feed.auth.kind,
        cursor: (await this.state.cursor(feed.id)) ?? null,
        ...(await this.state.status(feed.id)),
      })),
    );
    return { feeds };
  }
}
