import { Controller, Get, HttpException, HttpStatus, Inject, Optional } from '@nestjs/common';
import { DeclareAccess } from './route-access';

/** A dependency the app cannot serve without; readiness fails while any is down. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<boolean>;
}

export const READINESS_PROBES = Symbol('READINESS_PROBES');

/**
 * Something an operator should look at that must not stop the app serving (dead letters piling up):
 * readiness stays 200, with `status: 'degraded'` and the reasons, for monitoring to alert on.
 */
export interface HealthWarningSource {
  warnings(): Promise<string[]>;
}

export const HEALTH_WARNINGS = Symbol('HEALTH_WARNINGS');

/** Probes answer without credentials (bind them to an internal interface). */
@Controller('health')
@DeclareAccess({ auth: 'none' })
export class HealthController {
  constructor(
    @Inject(READINESS_PROBES) private readonly probes: ReadinessProbe[],
    @Optional() @Inject(HEALTH_WARNINGS) private readonly warningSources: HealthWarningSource[] = [],
  ) {}

  /** The process runs and its event loop answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency answers; 503 naming those that do not; 200 `degraded` with the warnings when there are any. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok' | 'degraded'; checks: Record<string, 'up'>; warnings?: string[] }> {
    const results = await Promise.all(this.probes.map(async (p) => [p.name, await p.check().catch(() => false)] as const));
    const checks = Object.fromEntries(results.map(([name, up]) => [name, up ? 'up' : 'down']));
    const down = results.filter(([, up]) => !up).map(([name]) => name);
    if (down.length > 0) {
      throw new HttpException(
        { error: 'unavailable', message: `not ready: ${down.join(', ')} down`, status: 'unavailable', checks },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    // A warning source that fails (its store away) warns instead of failing readiness.
    const warnings = (
      await Promise.all(this.warningSources.map((w) => w.warnings().catch((error: Error) => [`warning check failed: ${error.message}`])))
    ).flat();
    if (warnings.length > 0) return { status: 'degraded', checks: checks as Record<string, 'up'>, warnings };
    return { status: 'ok', checks: checks as Record<string, 'up'> };
  }
}
