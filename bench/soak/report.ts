import { linearTrend, verdict, type Trend, type Verdict } from '../../tools/soak/trend';
import type { Sample } from './sampler';

const MiB = 1024 * 1024;

interface SeriesDefinition {
  name: string;
  unit: string;
  value: (s: Sample) => number | null;
  /** The rise over the run below which a significant slope is still called noise, given the series' mean. */
  noise: (mean: number) => number;
  noiseRule: string;
}

export interface SeriesReport extends Partial<Trend> {
  unit: string;
  verdict: Verdict;
  noise_threshold: number;
  noise_rule: string;
}

function definitions(apps: string[], groups: string[]): SeriesDefinition[] {
  const memory = (floorMiB: number) => ({
    noise: (mean: number) => Math.max(floorMiB * MiB, 0.1 * mean),
    noiseRule: `max(${floorMiB} MiB, 10 % of the mean)`,
  });
  const count = (floor: number) => ({ noise: (mean: number) => Math.max(floor, 0.1 * mean), noiseRule: `max(${floor}, 10 % of the mean)` });
  return [
    ...apps.flatMap((app) => [
      { name: `${app}.rss_bytes`, unit: 'bytes', value: (s: Sample) => s.apps[app]?.rss_bytes ?? null, ...memory(16) },
      { name: `${app}.heap_used_bytes`, unit: 'bytes', value: (s: Sample) => s.apps[app]?.heap_used_bytes ?? null, ...memory(8) },
      {
        name: `${app}.event_loop_p99_ms`,
        unit: 'ms',
        value: (s: Sample) => s.apps[app]?.event_loop_p99_ms ?? null,
        noise: (mean: number) => Math.max(20, 0.5 * mean),
        noiseRule: 'max(20 ms, 50 % of the mean)',
      },
    ]),
    { name: 'redis.used_memory_bytes', unit: 'bytes', value: (s) => s.redis_used_memory_bytes, ...memory(16) },
    { name: 'redis.events_stream_memory_bytes', unit: 'bytes', value: (s) => s.events_stream_memory_bytes, ...memory(1) },
    { name: 'redis.events_stream_length', unit: 'entries', value: (s) => s.events_stream_length, ...count(100) },
    { name: 'redis.run_keys', unit: 'keys', value: (s) => s.run_keys, ...count(100) },
    ...groups.map((g) => ({ name: `redis.group_${g}_lag`, unit: 'entries', value: (s: Sample) => s.groups[g]?.lag ?? null, ...count(50) })),
    ...groups.map((g) => ({ name: `redis.group_${g}_pending`, unit: 'entries', value: (s: Sample) => s.groups[g]?.pending ?? null, ...count(50) })),
    { name: 'detections_queue_waiting', unit: 'jobs', value: (s) => s.detections_queue_waiting, ...count(50) },
    {
      name: 'detect_latency_p99_ms',
      unit: 'ms',
      value: (s) => s.detect_latency_p99_ms,
      noise: (mean) => Math.max(250, 0.5 * mean),
      noiseRule: 'max(250 ms, 50 % of the mean)',
    },
    {
      name: 'detect_latency_p50_ms',
      unit: 'ms',
      value: (s) => s.detect_latency_p50_ms,
      noise: (mean) => Math.max(250, 0.5 * mean),
      noiseRule: 'max(250 ms, 50 % of the mean)',
    },
    { name: 'load_average_1m', unit: 'load', value: (s) => s.load_average_1m, noise: () => 1, noiseRule: '1.0' },
  ];
}

const rounded = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 1000) / 1000);

/** Slope per hour, its error, start and end, and a verdict for every series, over the samples after warm-up. */
export function seriesReports(samples: Sample[], warmupSeconds: number): Record<string, SeriesReport> {
  const steady = samples.filter((s) => s.t >= warmupSeconds);
  const apps = Object.keys(samples[0]?.apps ?? {});
  const groups = [...new Set(samples.flatMap((s) => Object.keys(s.groups)))];
  const reports: Record<string, SeriesReport> = {};
  for (const d of definitions(apps, groups)) {
    const points = steady.flatMap((s) => {
      const v = d.value(s);
      return v === null || !Number.isFinite(v) ? [] : [{ t: s.t, v }];
    });
    const trend = linearTrend(points);
    const noise = trend ? d.noise(trend.mean) : 0;
    const numbers = trend
      ? Object.fromEntries(Object.entries(trend).map(([k, v]) => [k, Array.isArray(v) ? v.map(rounded) : rounded(v as number)]))
      : { samples: points.length };
    reports[d.name] = { ...numbers, unit: d.unit, verdict: verdict(trend, noise), noise_threshold: rounded(noise), noise_rule: d.noiseRule };
  }
  return reports;
}
