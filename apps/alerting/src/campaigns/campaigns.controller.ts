import { Controller, Get, Inject, NotFoundException, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, BearerGuard } from '@soc/platform';
import { IndexNames, type ElasticsearchClient } from '@soc/storage';
import { ELASTICSEARCH } from '../alerting.providers';
import { parseOr400 } from '../zod-body';
import { campaignListQuerySchema, type CampaignDetail } from './campaign-view';
import { CampaignsReader } from './campaigns.reader';

/**
 * Campaigns for the SOC (docs/ALERTING.md "Campaigns"): the campaign alerts and, for one, the
 * member alerts linked to it and the order the campaign reached its members. SOC roles only: a
 * member never learns which other members a campaign spans (403 here; its own alerts show only a
 * count), a KL reporter reads statistics only.
 */
@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
@UseGuards(BearerGuard)
@AllowRoles('soc_analyst', 'soc_admin')
export class CampaignsController {
  private readonly reader: CampaignsReader;

  constructor(@Inject(ELASTICSEARCH) client: ElasticsearchClient, names: IndexNames) {
    this.reader = new CampaignsReader(client, names);
  }

  @Get()
  @ApiOperation({ summary: 'Campaign alerts, open first, newest first, with their members' })
  async list(@Query() query: unknown) {
    return this.reader.list(parseOr400(campaignListQuerySchema, query, 'invalid_query'));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One campaign: its alert, the member alerts linked to it (and early warnings on its address) and its spread over the members' })
  async get(@Param('id') id: string): Promise<CampaignDetail> {
    const detail = await this.reader.get(id);
    if (!detail) throw new NotFoundException({ error: 'not_found', message: `no campaign ${id}` });
    return detail;
  }
}
