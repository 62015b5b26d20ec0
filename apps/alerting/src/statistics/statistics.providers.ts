import type { Provider } from '@nestjs/common';
import { TokenVerifier, tokenVerifierFor } from '@soc/auth';
import { loadConfig } from '@soc/config';
import { loadMembersFile, MemberDirectory } from '@soc/members';
import { StatisticsReports } from '@soc/statistics';
import {
  createElasticsearchClient,
  IndexNames,
  RollupMemberDayCounts,
  StatisticsRepository,
  StatisticsRollupRepository,
  type ElasticsearchClient,
} from '@soc/storage';
import { statisticsDefinition } from './statistics-definition';

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
    inject: [StatisticsRepository, STATISTICS_ELASTICSEARCH, STATISTICS_MEMBERS],
    useFactory: (repository: StatisticsRepository, client: ElasticsearchClient, directory: MemberDirectory) => {
      const config = loadConfig();
      const members = directory.all();
      const { definition, attemptQuery, categoryFilters, fingerprint } = statisticsDefinition(config, members);
      // Daily roll-ups where they cover the period under this definition, raw events elsewhere (docs/STATISTICS.md, Roll-ups).
      const rollups = new StatisticsRollupRepository(client, new IndexNames(config.elasticsearch.indexPrefix), repository, config.elasticsearch.index.replicas);
      const counts = new RollupMemberDayCounts(rollups, repository, fingerprint);
      return new StatisticsReports(counts, definition, attemptQuery, categoryFilters, members, {
        threshold: config.statistics.threshold,
        minMunicipalities: config.statistics.minMunicipalities,
        nameMunicipalities: config.statistics.nameMunicipalities,
        finalAfterDays: config.statistics.finalAfterDays,
      });
    },
  },
];
