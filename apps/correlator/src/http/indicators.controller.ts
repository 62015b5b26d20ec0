import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import type { AppConfig } from '@soc/config';
import {
  indicatorFeedFormats,
  isScanCursor,
  IndicatorRepository,
  IndicatorSightingsRepository,
  readIndicatorFeed,
  type MemberSightings,
} from '@soc/indicator-store';
import { formatImportError, indicatorTypes, type Indicator } from '@soc/indicators';
import { AllowRoles, BearerGuard, invalidCursor, parseOr400 } from '@soc/platform';
import { LiveIndicators } from '../indicators/live-indicators';
import { APP_CONFIG } from '../correlator.providers';

export const importQuerySchema = z.strictObject({
  format: z.enum(indicatorFeedFormats),
  source: z.string().min(1).max(200).optional(),
  // A deliberate import of non-global addresses (one member's internal threat); feeds never get it.
  allow_reserved: z.enum(['true', 'false']).default('false'),
});

export const listQuerySchema = z.strictObject({
  // Checked after parsing (isScanCursor), so a bad one is a 400 invalid_cursor like every cursor.
  cursor: z.string().default('0'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  q: z.string().min(1).max(200).optional(),
  type: z.enum(indicatorTypes).optional(),
  source: z.string().min(1).max(200).optional(),
  revoked: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const expireQuerySchema = z.strictObject({ at: z.iso.datetime({ offset: true }).optional() });

const parse = <T extends z.ZodType>(schema: T, query: unknown): z.output<T> => parseOr400(schema, query, 'invalid_query');

/**
 * The shared indicator set (docs/INDICATORS.md). SOC admins import, revoke and expire; analysts
 * read. Every change reaches every correlator replica through the change log within a second.
 */
@Controller('v1/indicators')
@UseGuards(BearerGuard)
export class IndicatorsController {
  constructor(
    private readonly indicators: IndicatorRepository,
    private readonly sightings: IndicatorSightingsRepository,
    private readonly live: LiveIndicators,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Raw feed document as the body: `?format=stix|misp|csv|threatfox&source=<name>`. Entries for non-global
   * addresses (loopback, private, CGNAT, documentation...) are refused into `errors` unless
   * `allow_reserved=true`.
   */
  @Post('import')
  @HttpCode(200)
  @AllowRoles('soc_admin')
  async import(@Query() query: unknown, @Body() body: unknown): Promise<{ imported: number; errors: string[] }> {
    const { format, source, allow_reserved: allowReserved } = parse(importQuerySchema, query);
    if (typeof body !== 'string' || body.trim() === '') {
      throw new BadRequestException({ error: 'invalid_body', message: 'send the feed document as the request body' });
    }
    let result;
    try {
      result = readIndicatorFeed(format, body, source, {
        allowReserved: allowReserved === 'true',
        addressScope: { documentationIsPublic: this.config.correlator.documentationAddressesArePublic },
      });
    } catch (error) {
      throw new BadRequestException({ error: 'invalid_body', message: (error as Error).message });
    }
    const imported = await this.indicators.upsert(result.indicators);
    return { imported, errors: result.errors.map(formatImportError) };
  }

  @Get()
  @AllowRoles('soc_analyst', 'soc_admin')
  async list(@Query() query: unknown): Promise<{ indicators: Indicator[]; next_cursor: string }> {
    const q = parse(listQuerySchema, query);
    if (!isScanCursor(q.cursor)) throw invalidCursor('cursor');
    const page = await this.indicators.list(q);
    return { indicators: page.indicators, next_cursor: page.nextCursor };
  }

  /** The stored indicator, its sightings per member, and this replica's live copy of it. */
  @Get(':id')
  @AllowRoles('soc_analyst', 'soc_admin')
  async get(@Param('id') id: string): Promise<{ indicator: Indicator; sightings: MemberSightings[]; replica: { version: string; copy: Indicator | null } }> {
    const indicator = await this.indicators.get(id);
    if (!indicator) throw new NotFoundException({ error: 'not_found', message: `no indicator ${id}` });
    return {
      indicator,
      sightings: await this.sightings.forIndicator(id),
      replica: { version: this.live.version, copy: this.live.index.get(id) ?? null },
    };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @AllowRoles('soc_admin')
  async revoke(@Param('id') id: string): Promise<Indicator> {
    const indicator = await this.indicators.revoke(id);
    if (!indicator) throw new NotFoundException({ error: 'not_found', message: `no indicator ${id}` });
    return indicator;
  }

  /** Ends the indicator's validity now, or at `?at=<ISO time>`. */
  @Post(':id/expire')
  @HttpCode(200)
  @AllowRoles('soc_admin')
  async expire(@Param('id') id: string, @Query() query: unknown): Promise<Indicator> {
    const { at } = parse(expireQuerySchema, query);
    const indicator = await this.indicators.expire(id, at ? new Date(at) : new Date());
    if (!indicator) throw new NotFoundException({ error: 'not_found', message: `no indicator ${id}` });
    return indicator;
  }
}
