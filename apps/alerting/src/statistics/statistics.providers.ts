import { readFileSync } from 'node:fs';
import type { Provider } from '@nestjs/common';
import { TokenVerifier, tokenVerifierFor } from '@soc/auth';
import { loadConfig } from '@soc/config';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { attackAttemptQuery, attackCategoryFilters, defaultAttackDefinition, parseAttackDefinition, StatisticsReports } from '@soc/statistics';
import { createElasticsearchClient, IndexNames, StatisticsRepository, type ElasticsearchClient } from '@soc/storage';

/**
 * The statistics module builds its own providers from the (cached) config rather than reaching
 * into the alerting module's, so it can be wired in with one import and moved out later.
 */
export const STATISTICS_ELASTICSEARCH = Symbol('STATISTICS_ELASTICSEARCH');
/** The member directory (members file read once) the module's verifier and reports share. */
const STATISTICS_MEMBERS = Symbol('STATISTICS_MEMBERS');

export const statisticsProviders: Provider[] = [
  {
    provide: STATISTICS_MEMBERS,
    useFactory: () => {
      const file = loadConfig().membersFile;
      return MemberDirectory.withDefaults(file ? loadMembersFile(file) : undefined);
    },
  },
  {
    provide: TokenVerifier,
    inject: [STATISTICS_MEMBERS],
    useFactory: (members: MemberDirectory) => tokenVerifierFor(loadConfig().auth, members),
  },
  { provide: STATISTICS_ELASTICSEARCH, useFactory: () => createElasticsearchClient(loadConfig().elasticsearch.url) },
  {
    provide: StatisticsRepository,
    inject: [STATISTICS_ELASTICSEARCH],
    useFactory: (client: ElasticsearchClient) => new StatisticsRepository(client, new IndexNames(loadConfig().elasticsearch.indexPrefix)),
  },
  {
    provide: StatisticsReports,
    inject: [StatisticsRepository, STATISTICS_MEMBERS],
    useFactory: (repository: StatisticsRepository, directory: MemberDirectory) => {
      const config = loadConfig();
      const file = config.statistics.definitionFile;
      const definition = file ? parseAttackDefinition(readFileSync(file, 'utf8'), file) : defaultAttackDefinition;
      const members = directory.all();
      const ranges = members.map((m) => ({ memberId: m.id, ranges: m.network_ranges }));
      return new StatisticsReports(repository, definition, attackAttemptQuery(definition, ranges), attackCategoryFilters(definition, ranges), members, {
        threshold: config.statistics.threshold,
        minMunicipalities: config.statistics.minMunicipalities,
        nameMunicipalities: config.statistics.nameMunicipalities,
        finalAfterDays: config.statistics.finalAfterDays,
      });
    },
  },
];
