import type { OnApplicationBootstrap } from '@nestjs/common';
import { jobs, unhandledJobKinds, type JobKind, type SocApp } from '@soc/contracts';

/**
 * The job kinds an app runs a worker for. Every `createWorker` registers here; once the app has
 * started its modules (`onApplicationBootstrap`), a job kind the catalogue says this app handles
 * with no worker stops the start-up with its name, instead of jobs piling up unnoticed.
 */
export class JobHandlers implements OnApplicationBootstrap {
  private readonly kinds = new Set<string>();

  constructor(readonly app: SocApp) {}

  register(kind: Pick<JobKind, 'kind' | 'handledBy'>): void {
    if (kind.handledBy.app !== this.app) throw new Error(`${kind.kind} jobs are handled by ${kind.handledBy.app}, not ${this.app} (libs/contracts catalogue)`);
    if (this.kinds.has(kind.kind)) throw new Error(`${this.app} registered a second worker for ${kind.kind} jobs`);
    this.kinds.add(kind.kind);
  }

  /** Throws naming each catalogue job kind this app must handle and has no worker for. */
  check(): void {
    const missing = unhandledJobKinds(this.app, this.kinds);
    if (missing.length === 0) return;
    const named = missing.map((name) => `${name} (${jobs[name].kind} jobs)`).join(', ');
    throw new Error(`${this.app} has no worker for ${named}: the catalogue in libs/contracts says ${this.app} handles them`);
  }

  onApplicationBootstrap(): void {
    this.check();
  }
}
