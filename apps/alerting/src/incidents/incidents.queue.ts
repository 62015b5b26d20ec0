import { Queue } from 'bullmq';
import { incidentPriority, isBeingWorked } from '@soc/alerts';
import type { AppConfig } from '@soc/config';
import type { Alert, AlertStatus } from '@soc/contracts';
import { createRedis } from '@soc/redis';

export interface IncidentItem {
  alert_id: string;
  member: string;
  severity: Alert['severity'];
  risk_score: number;
  rule: string;
  priority: number;
  enqueued_at: string;
}

/**
 * The incident-response work list: one job per new alert, routed by member, ordered by
 * priority. Analysts take an item by acknowledging or assigning the alert, which removes it.
 */
export class IncidentsQueue {
  readonly queue: Queue;

  constructor(config: AppConfig) {
    this.queue = new Queue(config.alerting.incidentsQueue, {
      connection: createRedis(config.redis.url, 'worker', 'alerting-incidents'),
      prefix: `${config.redis.keyPrefix}:bull`,
    });
    this.queue.on('error', () => undefined);
  }

  /** Idempotent: the job id is the alert id. */
  async enqueue(alert: Alert): Promise<void> {
    const item: IncidentItem = {
      alert_id: alert.id, member: alert.organization.id, severity: alert.severity, risk_score: alert.risk_score,
      rule: alert.rule.title, priority: incidentPriority(alert), enqueued_at: new Date().toISOString(),
    };
    await this.queue.add('incident', item, { jobId: alert.id, priority: item.priority, removeOnComplete: true });
  }

  /** An alert being worked (`isBeingWorked`) leaves the list. */
  async settle(alertId: string, status: AlertStatus, assignee?: string | null): Promise<void> {
    if (!isBeingWorked(status, assignee)) return;
    await this.queue.remove(alertId).catch(() => undefined);
  }

  async waiting(member?: string, size = 100): Promise<IncidentItem[]> {
    const jobs = await this.queue.getJobs(['prioritized', 'waiting'], 0, 9_999, true);
    return jobs
      .map((job) => job.data as IncidentItem)
      .filter((item) => !member || item.member === member)
      .sort((a, b) => a.priority - b.priority || a.enqueued_at.localeCompare(b.enqueued_at))
      .slice(0, size);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
