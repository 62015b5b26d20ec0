import { BenchProcess, freePort } from '../support/bench-process';

/** A collector for bench:ingest: a production process with its syslog TCP input on a port of its own. */
export interface BenchCollector {
  url: string;
  syslogPort: number;
  stop(): Promise<void>;
}

export async function startBenchCollector(env: Record<string, string>): Promise<BenchCollector> {
  const syslogPort = await freePort();
  const collector = await BenchProcess.start('collector', env, { SYSLOG_TCP_PORT: String(syslogPort) }, { cpuProfileDir: process.env.BENCH_CPU_PROF });
  return { url: collector.url, syslogPort, stop: () => collector.stop() };
}
