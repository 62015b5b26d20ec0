import { readFileSync } from 'node:fs';
import type { AppConfig } from '@soc/config';
import type { Member } from '@soc/members';
import {
  attackAttemptQuery,
  attackCategoryFilters,
  defaultAttackDefinition,
  definitionFingerprint,
  parseAttackDefinition,
  type AttackDefinition,
  type QueryClause,
} from '@soc/statistics';

/** The attack-attempt definition in force and what it becomes for Elasticsearch, with its fingerprint. */
export interface StatisticsDefinition {
  definition: AttackDefinition;
  attemptQuery: QueryClause;
  categoryFilters: Record<string, QueryClause>;
  /** Roll-ups are read only under the fingerprint they were counted with (docs/STATISTICS.md, Roll-ups). */
  fingerprint: string;
}

/** STATISTICS_DEFINITION_FILE (or the default definition) with every member's network ranges. */
export function statisticsDefinition(config: Pick<AppConfig, 'statistics'>, members: Member[]): StatisticsDefinition {
  const file = config.statistics.definitionFile;
  const definition = file ? parseAttackDefinition(readFileSync(file, 'utf8'), file) : defaultAttackDefinition;
  const ranges = members.map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
  const attemptQuery = attackAttemptQuery(definition, ranges);
  const categoryFilters = attackCategoryFilters(definition, ranges);
  return { definition, attemptQuery, categoryFilters, fingerprint: definitionFingerprint(attemptQuery, categoryFilters) };
}
