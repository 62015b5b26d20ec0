import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@soc/config';
import { APP_CONFIG } from '../collector.providers';
import { IngestDeadLetters } from '../ingest-dead-letters';
import { IngestionMetrics } from '../ingestion-metrics';
import { IngestPipeline } from '../ingest-pipeline';
import { DatagramSyslogInput } from './datagram-syslog.input';
import { ForwarderIdentities } from './forwarder-identities';
import { StreamSyslogInput } from './stream-syslog.input';
import type { SyslogInputContext } from './syslog-input.context';

/**
 * Opens the syslog inputs named in `SYSLOG_INPUTS` when the collector starts, and closes them
 * (submitting what was already read) before it stops. A port that cannot be bound stops start-up.
 */
@Injectable()
export class SyslogInputs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SyslogInputs');
  private readonly open: Array<{ close(): Promise<void> }> = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pipeline: IngestPipeline,
    private readonly deadLetters: IngestDeadLetters,
    private readonly metrics: IngestionMetrics,
    private readonly identities: ForwarderIdentities,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { inputs, host, ports, tls, maxMessageBytes, timeZone } = this.config.syslog;
    const context: SyslogInputContext = {
      pipeline: this.pipeline,
      deadLetters: this.deadLetters,
      metrics: this.metrics,
      identities: this.identities,
      maxMessageBytes,
      timeZone,
      logger: this.logger,
      eventLimits: this.config.ingest.eventLimits,
      eventTimeWindow: this.config.ingest.eventTimeWindow,
    };
    for (const input of new Set(inputs)) {
      if (input === 'udp') {
        const udp = new DatagramSyslogInput(context);
        this.open.push(udp);
        this.logger.log(`syslog UDP input on ${host}:${await udp.listen(ports.udp, host)}`);
      } else if (input === 'relp' || input === 'relp_tls') {
        const relp = new StreamSyslogInput(input === 'relp' ? 'syslog_relp' : 'syslog_relp_tls', context, tls);
        this.open.push(relp);
        this.logger.log(`syslog ${input === 'relp' ? 'RELP' : 'RELP TLS'} input on ${host}:${await relp.listen(ports[input], host)}`);
      } else {
        const stream = new StreamSyslogInput(input === 'tcp' ? 'syslog_tcp' : 'syslog_tls', context, tls);
        this.open.push(stream);
        this.logger.log(`syslog ${input.toUpperCase()} input on ${host}:${await stream.listen(ports[input], host)}`);
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.open.splice(0).map((input) => input.close()));
  }
}
