import { BadRequestException, Controller, ForbiddenException, Get, NotFoundException, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@soc/auth';
import { describeZodError } from '@soc/contracts';
import { AllowRoles, BearerGuard, CurrentPrincipal } from '@soc/platform';
import { statisticsQuerySchema, StatisticsReports, type MemberBenchmark } from '@soc/statistics';

/**
 * A municipality's own benchmark (docs/STATISTICS.md, "Each municipality's own benchmark"): its
 * attempts per day against the national quartiles as published to KL, its band and its trend.
 * A member gets only its own: `member` may be omitted or name itself, any other id is 403. SOC
 * roles name the member. KL has no route here: a benchmark names its municipality.
 */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/statistics')
@UseGuards(BearerGuard)
@AllowRoles('member', 'soc_analyst', 'soc_admin')
export class MemberBenchmarkController {
  constructor(private readonly statistics: StatisticsReports) {}

  @Get('benchmark')
  @ApiOperation({ summary: "A municipality's attempts per day against the published national median and quartiles: ?from&to&granularity[&member]" })
  @ApiQuery({ name: 'from', type: String, required: true, description: 'first day YYYY-MM-DD of whole buckets' })
  @ApiQuery({ name: 'to', type: String, required: true, description: 'last day YYYY-MM-DD of whole buckets' })
  @ApiQuery({ name: 'granularity', required: false, enum: ['day', 'week', 'month', 'year'] })
  @ApiQuery({
    name: 'member',
    type: String,
    required: false,
    description: "a member: omitted or its own id; SOC roles: required, the municipality's kommunekode",
  })
  async benchmark(@CurrentPrincipal() principal: Principal, @Query() raw: Record<string, unknown>): Promise<MemberBenchmark> {
    const { member: asked, ...rest } = raw ?? {};
    if (asked !== undefined && typeof asked !== 'string') throw invalid('member', 'must be one member id');
    if ('format' in rest && rest.format !== 'json') throw invalid('format', 'the benchmark is answered as JSON only');
    let member: string;
    if (principal.role === 'member') {
      if (asked !== undefined && asked !== principal.member_id)
        throw new ForbiddenException({ error: 'forbidden', message: 'a member sees only its own benchmark' });
      member = principal.member_id;
    } else {
      if (asked === undefined) throw invalid('member', 'required for SOC roles: whose benchmark (a kommunekode such as 0101)');
      member = asked;
    }
    const parsed = statisticsQuerySchema.safeParse(rest);
    if (!parsed.success) throw new BadRequestException({ error: 'invalid_query', problems: describeZodError(parsed.error) });
    const benchmark = await this.statistics.benchmark(parsed.data, member);
    if (!benchmark) throw new NotFoundException({ error: 'not_found', message: `no benchmark for ${member}: only the 98 municipalities have one` });
    return benchmark;
  }
}

const invalid = (path: string, message: string) => new BadRequestException({ error: 'invalid_query', problems: [{ path, message }] });
