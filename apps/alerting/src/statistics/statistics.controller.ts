import { BadRequestException, Controller, ForbiddenException, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@soc/auth';
import { describeZodError } from '@soc/contracts';
import {
  categoryColumns,
  categoryRow,
  statisticsQuerySchema,
  StatisticsReports,
  toCsv,
  type CountSource,
  type Report,
  type StatisticsQuery,
} from '@soc/statistics';
import { AllowRoles, BearerGuard, CurrentPrincipal } from '@soc/platform';

type Json = Record<string, unknown>;

/** KL's attack-attempt statistics; members get 403 (their own figures are their alerts). */
@Controller('v1/statistics')
@UseGuards(BearerGuard)
@AllowRoles('kl_reporter', 'soc_analyst', 'soc_admin')
export class StatisticsController {
  constructor(private readonly statistics: StatisticsReports) {}

  @Get('attempts')
  async attempts(@CurrentPrincipal() principal: Principal, @Query() raw: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = this.parse(raw);
    return this.answer(query, reply, 'attempts', await this.statistics.attempts(query, isPublication(principal)), true);
  }

  @Get('regions')
  async regions(@CurrentPrincipal() principal: Principal, @Query() raw: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = this.parse(raw);
    return this.answer(query, reply, 'regions', await this.statistics.regions(query, isPublication(principal)), true);
  }

  @Get('categories')
  async categories(@CurrentPrincipal() principal: Principal, @Query() raw: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const query = this.parse(raw);
    const report = await this.statistics.attempts(query, isPublication(principal));
    if (query.format === 'csv') return this.csv(query, reply, 'categories', toCsv(categoryColumns(this.statistics.categories), report.rows.map(categoryRow)));
    const rows = report.rows.map((cell) =>
      cell.suppressed ? cell : { bucket: cell.bucket, group: cell.group, suppressed: false, attempts: cell.attempts, by_category: cell.by_category },
    );
    return this.json(query, 'cells', rows, report.source);
  }

  @Get('municipalities')
  async municipalities(@CurrentPrincipal() principal: Principal, @Query() raw: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    if (isPublication(principal) && !this.statistics.settings.nameMunicipalities) {
      throw new ForbiddenException({
        error: 'forbidden',
        message: 'named per-municipality figures are not published (STATISTICS_NAME_MUNICIPALITIES=false)',
      });
    }
    const query = this.parse(raw);
    return this.answer(query, reply, 'municipalities', await this.statistics.municipalities(query), false);
  }

  private parse(raw: unknown): StatisticsQuery {
    const parsed = statisticsQuerySchema.safeParse(raw);
    if (!parsed.success) throw new BadRequestException({ error: 'invalid_query', problems: describeZodError(parsed.error) });
    return parsed.data;
  }

  private answer(query: StatisticsQuery, reply: FastifyReply, name: string, report: Report<unknown>, cells: boolean): Json | string {
    if (query.format === 'csv') return this.csv(query, reply, name, this.statistics.csv(report as Report<never>, cells));
    return this.json(query, name === 'municipalities' ? 'municipalities' : 'cells', report.rows, report.source);
  }

  /**
   * The JSON answer states the rules the cells were published under: all configuration, none from
   * the query; and `source`, the days counted from the daily roll-ups and those from raw events.
   */
  private json(query: StatisticsQuery, key: 'cells' | 'municipalities', rows: unknown[], source: CountSource): Json {
    const { threshold, minMunicipalities, finalAfterDays } = this.statistics.settings;
    return {
      from: query.from,
      to: query.to,
      granularity: query.granularity,
      threshold,
      categories: this.statistics.categories,
      min_municipalities: minMunicipalities,
      final_after_days: finalAfterDays,
      source,
      [key]: rows,
    };
  }

  private csv(query: StatisticsQuery, reply: FastifyReply, name: string, body: string): string {
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${name}_${query.from}_${query.to}_${query.granularity}.csv"`);
    return body;
  }
}

/** KL's outputs are publications: cells withheld by the rules of docs/STATISTICS.md. SOC roles see every cell. */
function isPublication(principal: Principal): boolean {
  return principal.role === 'kl_reporter';
}
