import type { Command } from 'commander';
import type { AppConfig } from '@soc/config';
import { EventStreamPartitions } from '@soc/event-stream';
import { createRedis } from '@soc/redis';

/** One consumer group of one partition, as `XINFO GROUPS` tells it. */
interface GroupState {
  group: string;
  lag: number | null;
  pending: number;
}

/**
 * `npm run cli -- streams partitions [--keys-only]` (docs/SCALING.md, "Partitioned events
 * stream"): the stream keys EVENTS_STREAM and EVENTS_STREAM_PARTITIONS give, partition 0 first,
 * each with its consumer groups' lag (entries not yet delivered) and pending (delivered, not
 * acknowledged). What an operator needs to watch a partition or to write one KEDA trigger per
 * partition (docs/DEPLOYMENT.md, "Autoscaling"); `--keys-only` names the keys without Redis.
 */
export function registerStreamCommands(program: Command, config: AppConfig): void {
  const streams = program.command('streams').description('the events stream and its partitions (EVENTS_STREAM, EVENTS_STREAM_PARTITIONS)');
  streams
    .command('partitions')
    .description("list the partitions' stream keys with each consumer group's lag and pending; --keys-only without Redis")
    .option('--keys-only', 'only the keys, without asking Redis')
    .action(async (options: { keysOnly?: boolean }) => {
      const partitions = new EventStreamPartitions(config.streams.events, config.streams.partitions);
      const head = { stream: config.streams.events, partitions: partitions.count };
      if (options.keysOnly) {
        process.stdout.write(`${JSON.stringify({ ...head, keys: partitions.keys })}\n`);
        return;
      }
      const redis = createRedis(config.redis.url, 'worker', 'cli-streams');
      try {
        const keys = [];
        for (const [partition, key] of partitions.keys.entries()) {
          const infos = (await redis.xinfo('GROUPS', key).catch(() => [])) as unknown[][];
          keys.push({ partition, key, groups: infos.map(groupState) });
        }
        process.stdout.write(`${JSON.stringify({ ...head, keys })}\n`);
      } finally {
        redis.disconnect();
      }
    });
}

/** XINFO GROUPS answers each group as a flat list of names and values. */
function groupState(flat: unknown[]): GroupState {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1];
  // `lag` is null when Redis cannot tell (entries deleted inside the group's range).
  return {
    group: String(fields['name']),
    lag: fields['lag'] === null || fields['lag'] === undefined ? null : Number(fields['lag']),
    pending: Number(fields['pending'] ?? 0),
  };
}
