import { Injectable } from '@nestjs/common';
import type { Principal } from '@soc/auth';
import { actorOf, scopeOf } from '@soc/auth';
import type { AlertStatus } from '@soc/contracts';
import { checkTransition, type StoredAlert } from '@soc/alerts';
import { AlertRepository, AuditRepository } from '@soc/storage';
import { IncidentsQueue } from '../incidents/incidents.queue';
import { FalsePositiveSightingsRepository } from './false-positive-sightings.repository';

export class AlertNotFoundError extends Error {
  readonly code = 'not_found';
}

/**
 * Every change an analyst (or a member, on its own alerts) makes: checked, applied with optimistic
 * concurrency in the caller's scope, and written to the audit trail with before and after.
 */
@Injectable()
export class TriageService {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly audit: AuditRepository,
    private readonly incidents: IncidentsQueue,
    private readonly falsePositives: FalsePositiveSightingsRepository,
  ) {}

  async changeStatus(principal: Principal, id: string, status: AlertStatus, reason?: string): Promise<StoredAlert> {
    const changed = await this.alerts.update(scopeOf(principal), id, (alert) => {
      checkTransition(alert.status, status, reason);
      return { ...alert, status, updated_at: new Date().toISOString() };
    });
    if (!changed) throw new AlertNotFoundError(`no alert ${id}`);
    const { before, after } = changed;
    await this.record(principal, after, 'status_changed', { status: before.status }, { status: after.status }, reason);
    await this.incidents.settle(id, after.status, after.assignee);
    if (status === 'false_positive') await this.falsePositives.record(after.observables.map((o) => o.value));
    return after;
  }

  async assign(principal: Principal, id: string, assignee: string | null): Promise<StoredAlert> {
    const changed = await this.alerts.update(scopeOf(principal), id, (alert) => ({ ...alert, assignee, updated_at: new Date().toISOString() }));
    if (!changed) throw new AlertNotFoundError(`no alert ${id}`);
    await this.record(principal, changed.after, 'assigned', { assignee: changed.before.assignee ?? null }, { assignee });
    await this.incidents.settle(id, changed.after.status, assignee);
    return changed.after;
  }

  async comment(principal: Principal, id: string, text: string): Promise<{ by: string; by_name?: string; at: string; text: string }> {
    const comment = { by: principal.sub, ...(principal.name === undefined ? {} : { by_name: principal.name }), at: new Date().toISOString(), text };
    const changed = await this.alerts.update(scopeOf(principal), id, (alert) => ({
      ...alert,
      comments: [...(alert.comments ?? []), comment].slice(-500),
      updated_at: comment.at,
    }));
    if (!changed) throw new AlertNotFoundError(`no alert ${id}`);
    await this.record(principal, changed.after, 'commented', undefined, { text });
    return comment;
  }

  private async record(principal: Principal, alert: StoredAlert, action: string, before: unknown, after: unknown, reason?: string): Promise<void> {
    await this.audit.record({
      target: { type: 'alert', id: alert.id },
      organization: alert.organization,
      actor: actorOf(principal),
      action,
      before,
      after,
      ...(reason ? { reason } : {}),
    });
  }
}
