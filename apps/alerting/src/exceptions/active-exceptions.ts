import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import type { Detection } from '@soc/contracts';
import { ExceptionIndex, type AlertException } from '@soc/alerts';
import { ExceptionRepository } from '@soc/storage';
import { APP_CONFIG } from '../alerting.providers';

/**
 * The active exceptions, cached in the worker and refreshed every EXCEPTIONS_REFRESH_MS, so a
 * detection is checked without a round trip. A failed refresh keeps the last good set.
 */
@Injectable()
export class ActiveExceptions implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ActiveExceptions.name);
  private index = new ExceptionIndex([]);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: ExceptionRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.config.alerting.exceptionsRefreshMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    try {
      this.index = new ExceptionIndex(await this.repository.active());
    } catch (error) {
      this.logger.warn(`exceptions not refreshed: ${(error as Error).message}`);
    }
  }

  match(detection: Detection): AlertException | undefined {
    return this.index.match(detection);
  }
}
