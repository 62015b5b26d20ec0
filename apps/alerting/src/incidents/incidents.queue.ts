import type { OnModuleDestroy } from '@nestjs/common';
import { incidentPriority, isBeingWorked } from '@soc/alerts';
import type { AppConfig } from '@soc/config';
import { jobs, type Alert, type AlertStatus, type IncidentItem } from '@soc/contracts';
import { createQueue, jobSettings, type JobQueue } from '@soc/jobs';

export type { IncidentItem } from '@soc/contracts';

/**
 * The incident-response work list (`jobs.incidents`): one job per new alert, routed by member,
 * ordered by priority. Analysts take an item by acknowledging or assigning the alert, which
 * removes it; no worker runs it.
 */
export class IncidentsQueue implements OnModuleDestroy {
  private readonly jobs: JobQueue<typeof jobs.incidents.payload, 'incident'>;

  constructor(config: AppConfig) {
    this.jobs = createQueue(jobs.incidents, { redisUrl: config.redis.url, settings: jobSettings(config), connectionName: 'alerting-incidents' });
  }

  /** The BullMQ queue, for reads. */
  get queue() {
    return this.jobs.queue;
  }

  /** Idempotent: the job id is the alert id. */
  async enqueue(alert: Alert): Promise<void> {
    await this.enqueueMany([alert]);
  }

  /** Many new alerts with one BullMQ `addBulk` (one Redis round trip); each job id is still its alert id. */
  async enqueueMany(alerts: readonly Alert[]): Promise<void> {
    const enqueuedAt = new Date().toISOString();
    await this.jobs.addBulk(
      alerts.map((alert) => {
        const item: IncidentItem = {
          alert_id: alert.id,
          member: alert.organization.id,
          severity: alert.severity,
          risk_score: alert.risk_score,
          rule: alert.rule.title,
          priority: incidentPriority(alert),
          enqueued_at: enqueuedAt,
        };
        return { name: 'incident' as const, payload: item, options: { jobId: alert.id, priority: item.priority } };
      }),
    );
  }

  /** An alert being worked (`isBeingWorked`) leaves the list. */
  async settle(alertId: string, status: AlertStatus, assignee?: string | null): Promise<void> {
    if (!isBeingWorked(status, assignee)) return;
    await this.queue.remove(alertId).catch(() => undefined);
  }

  async waiting(member?: string, size = 100): Promise<IncidentItem[]> {
    const waiting = await this.queue.getJobs(['prioritized', 'waiting'], 0, 9_999, true);
    return waiting
      .map((job) => job.data as IncidentItem)
      .filter((item) => !member || item.member === member)
      .sort((a, b) => a.priority - b.priority || a.enqueued_at.localeCompare(b.enqueued_at))
      .slice(0, size);
  }

  /** Closes the queue and its Redis connection. */
  async close(): Promise<void> {
    await this.jobs.close();
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }
}
