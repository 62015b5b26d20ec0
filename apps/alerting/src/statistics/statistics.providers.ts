import { readFileSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import { TokenVerifier, tokenVerifierFor } from '@soc/auth';
import { loadConfig } from '@soc/config';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { attackAttemptQuery, attackCategoryFilters, defaultAttackDefinition, parseAttackDefinition } from '@soc/statistics';
import { createElasticsearchClient, IndexNames, StatisticsRepository, type ElasticsearchClient } from '@soc/storage';
import { StatisticsService } from './statistics.service';

/**
 * The statistics module builds its own providers from the (cached) config rather than reaching
 * into the alerting module's, so it can be wired in with one import and moved out later.
 */
export const STATISTICS_ELASTICSEARCH = Symbol('STATISTICS_ELASTICSEARCH');

export const statisticsProviders: Provider[] = [
  {
    provide: TokenVerifier,
    useFactory: () => {
      const config = loadConfig();
      return tokenVerifierFor(config.auth, MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined));
    },
  },
  { provide: STATISTICS_ELASTICSEARCH, useFactory: () => createElasticsearchClient(loadConfig().elasticsearch.url) },
  {
    provide: StatisticsRepository,
    inject: [STATISTICS_ELASTICSEARCH],
    useFactory: (client: ElasticsearchClient) => new StatisticsRepository(client, new IndexNames(loadConfig().elasticsearch.indexPrefix)),
  },
  {
    provide: StatisticsService,
    inject: [StatisticsRepository],
    useFactory: (repository: StatisticsRepository) => {
      const config = loadConfig();
      const file = config.statistics.definitionFile;
      const definition = file ? parseAttackDefinition(readFileSync(file, 'utf8'), file) : defaultAttackDefinition;
      const members = MemberDirectory.withDefaults(config.membersFile ? loadMembersFile(config.membersFile) : undefined).all();
      const ranges = members.map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
      return new StatisticsService(
        repository, definition, attackAttemptQuery(definition, ranges), attackCategoryFilters(definition, ranges), members,
        {
          threshold: config.statistics.threshold, minMunicipalities: config.statistics.minMunicipalities,
          nameMunicipalities: config.statistics.nameMunicipalities, finalAfterDays: config.statistics.finalAfterDays,
        },
      );
    },
  },
];
