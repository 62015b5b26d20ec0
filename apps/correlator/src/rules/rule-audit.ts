import type { OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import type { RuleAuditRecord } from '@soc/rule-store';
import { AuditRepository, createElasticsearchClient, ensureIndexTemplates, IndexNames, type ElasticsearchClient } from '@soc/storage';

/**
 * Rule changes in the audit trail alerting keeps for triage and exceptions (`<INDEX_PREFIX>-audit`,
 * docs/ALERTING.md): target `rule`, `rule_folder` or `rule_tuning`. The index templates are put
 * before the first entry (idempotent), so an audit index never starts without its mapping even if
 * alerting has not run yet. Elasticsearch is reached only when a rule changes.
 */
export class RuleAudit implements OnModuleDestroy {
  private client?: ElasticsearchClient;
  private ready?: Promise<AuditRepository>;

  constructor(private readonly config: AppConfig) {}

  readonly record = async (record: RuleAuditRecord): Promise<void> => {
    await (await this.repository()).record(record);
  };

  private repository(): Promise<AuditRepository> {
    if (!this.ready) {
      const client = (this.client = createElasticsearchClient(this.config.elasticsearch.url));
      const names = new IndexNames(this.config.elasticsearch.indexPrefix);
      this.ready = ensureIndexTemplates(client, names, this.config.elasticsearch.index).then(() => new AuditRepository(client, names));
      this.ready.catch(() => (this.ready = undefined));
    }
    return this.ready;
  }

  async onModuleDestroy(): Promise<void> {
    await this.client?.close();
  }
}
