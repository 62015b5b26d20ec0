import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { DeclareAccess } from './route-access';

/** A dependency the app cannot serve without; readiness fails while any is down. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<boolean>;
}

export const READINESS_PROBES = Symbol('READINESS_PROBES');

/** Probes answer without credentials (bind them to an internal interface). */
@Controller('health')
@DeclareAccess({ auth: 'none' })
export class HealthController {
  constructor(@Inject(READINESS_PROBES) private readonly probes: ReadinessProbe[]) {}

  /** The process runs and its event loop answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Every dependency answers; 503 naming those that do not. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up'> }> {
    const results = await Promise.all(this.probes.map(async (p) => [p.name, await p.check().catch(() => false)] as const));
    const checks = Object.fromEntries(results.map(([name, up]) => [name, up ? 'up' : 'down']));
    const down = results.filter(([, up]) => !up).map(([name]) => name);
    if (down.length > 0) {
      throw new HttpException(
        { error: 'unavailable', message: `not ready: ${down.join(', ')} down`, status: 'unavailable', checks },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { status: 'ok', checks: checks as Record<string, 'up'> };
  }
}
