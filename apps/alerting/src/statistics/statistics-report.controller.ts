import { BadRequestException, Controller, Get, Query, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { describeZodError } from '@soc/contracts';
import { AllowRoles, BearerGuard } from '@soc/platform';
import { ChromiumMissingError, ChromiumPdf, PdfRenderError } from '@soc/report-pdf';
import { copenhagenToday, klReportCsv, klReportData, klReportQuerySchema, renderKlReportHtml, StatisticsReports, type KlReportQuery } from '@soc/statistics';

/**
 * KL's monthly report (docs/STATISTICS.md, "The report"): HTML, PDF (headless Chromium, from the
 * same HTML) or its data as CSV. Always a publication, whoever asks: it is made of the answers
 * `kl_reporter` gets, so its figures equal the API's and withhold what the API withholds.
 */
@ApiTags('statistics')
@ApiBearerAuth()
@Controller('v1/statistics')
@UseGuards(BearerGuard)
@AllowRoles('kl_reporter', 'soc_analyst', 'soc_admin')
export class StatisticsReportController {
  constructor(
    private readonly statistics: StatisticsReports,
    private readonly pdf: ChromiumPdf,
  ) {}

  @Get('report')
  @ApiOperation({ summary: "KL's report for a month: ?month=YYYY-MM&format=html|pdf|csv (published cells only)" })
  @ApiProduces('text/html', 'application/pdf', 'text/csv')
  @ApiQuery({ name: 'query', required: true, schema: z.toJSONSchema(klReportQuerySchema, { io: 'input' }) as Record<string, unknown> })
  async report(@Query() raw: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | Buffer> {
    const query = parse(raw);
    const data = await klReportData(this.statistics, query.month, copenhagenToday());
    const name = `kl-rapport-${query.month}`;
    if (query.format === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${name}.csv"`);
      return klReportCsv(data);
    }
    const html = renderKlReportHtml(data);
    if (query.format === 'html') {
      reply.header('content-type', 'text/html; charset=utf-8');
      return html;
    }
    const pdf = await this.pdf.render(html).catch((error: unknown) => {
      if (error instanceof ChromiumMissingError || error instanceof PdfRenderError)
        throw new ServiceUnavailableException({ error: 'unavailable', message: error.message });
      throw error;
    });
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `attachment; filename="${name}.pdf"`);
    return pdf;
  }
}

function parse(raw: unknown): KlReportQuery {
  const parsed = klReportQuerySchema.safeParse(raw);
  if (!parsed.success) throw new BadRequestException({ error: 'invalid_query', problems: describeZodError(parsed.error) });
  return parsed.data;
}
