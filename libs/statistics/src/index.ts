export {
  attackDefinitionSchema,
  criterionFields,
  defaultAttackDefinition,
  parseAttackDefinition,
  type AttackCriterion,
  type AttackDefinition,
} from './attack-definition';
export { attackAttemptQuery, attackCategoryFilters, type MemberRanges, type QueryClause } from './attack-query';
export { attemptCells, type AttemptCell, type CellOptions } from './attempt-statistics';
export { addDays, bucketEnd, bucketOf, bucketsBetween, bucketStart, daysBetween, granularities, isoWeekOf, type Granularity } from './calendar';
export { categoryColumns, categoryRow, cellColumns, cellRow } from './cell-rows';
export { toCsv, type CsvValue } from './csv';
export type { MemberDayCount } from './member-day-count';
export type { MemberDayQuery } from './member-day-query';
export {
  finalOn,
  NATIONAL,
  publishTable,
  smallCellReason,
  withheldDayReason,
  withheldDays,
  type PublicationRules,
  type PublishedCell,
  type WithheldCell,
} from './publication';
export {
  copenhagenDayOf,
  copenhagenDayOfMs,
  definitionFingerprint,
  extendCoverage,
  splitByCoverage,
  type CountSource,
  type DayRange,
  type RollupCoverage,
  type SourcedMemberDayCounts,
} from './rollup-coverage';
export { distributionOf, quantile, type Distribution } from './quantiles';
export { maxPeriodDays, statisticsQuerySchema, type StatisticsQuery } from './statistics-query.schema';
export {
  copenhagenToday,
  REGION_CODES,
  STATISTICS_TIME_ZONE,
  StatisticsReports,
  type MemberDayCounts,
  type Report,
  type StatisticsSettings,
} from './statistics-reports';
export { danishChange, danishDate, danishMonth, danishNumber, danishPercent } from './danish-format';
export {
  klReportCsv,
  klReportData,
  klReportFormats,
  klReportQuerySchema,
  klReportTables,
  previousMonthOf,
  type KlReportData,
  type KlReportFormat,
  type KlReportQuery,
} from './kl-report';
export { categoryName, danishReason, renderKlReportHtml } from './kl-report-html';
export { memberBenchmark, percentileBand, percentileBands, type BenchmarkBucket, type MemberBenchmark, type PercentileBand } from './member-benchmark';
