import { join } from 'node:path';
import { CorrelationEngine, type CorrelationStores } from '@soc/correlation';
import { MemberDirectory } from '@soc/members';
import type { RuleSet } from '@soc/sigma';
import type { IndicatorIndex } from '@soc/indicators';
import type { RawLine } from './corpus';
import { CorpusStream } from './corpus-stream';
import { seed, sigmahqCorpus, warmSeed } from './engine-corpus';
import { buildIndex, generateIndicators } from './indicator-set';
import { RedisStores } from './redis-stores';
import { compileRuleFiles, realRuleDocuments, ruleFiles } from './rule-variants';
import { sigmaConfiguration } from './sigmahq';
import type { ChildMessage, ConfigurationName, ParentMessage, ProcessRun } from './process-turns';

/**
 * One configuration of `bench:engine`'s SigmaHQ part in a process of its own, as a correlator runs
 * one rule set (started by `processTurns`, which tells it when to take its turn). Builds the same
 * corpora as every other process (seeded), its rule set and an index of 100k indicators, and the
 * in-memory stores or, with `redis`, the correlator's own on a redis-server of its own.
 */
const rulesDir = join(__dirname, '..', '..', '..', 'rules');
/** The warm-up pass's first event number (`eventIdOf`): far beyond any measured corpus's lines. */
const warmIdBase = 1_000_000_000;

function ruleSetOf(configuration: ConfigurationName): RuleSet {
  if (configuration === 'sigmahq') return sigmaConfiguration(rulesDir).ruleSet;
  const real = realRuleDocuments(rulesDir);
  return compileRuleFiles(ruleFiles(real, configuration === 'ours' ? real.length : 30, seed));
}

function send(message: ChildMessage): void {
  process.send!(message);
}

async function main(): Promise<void> {
  let engine: CorrelationEngine | undefined;
  let redis: RedisStores | undefined;
  let corpora: { measured: RawLine[]; warm: RawLine[] } | undefined;
  let index: IndicatorIndex | undefined;
  let stream: CorpusStream | undefined;
  let storeBefore = 0;

  const storeSeconds = async (): Promise<number> => (redis === undefined ? 0 : redis.cpuSeconds());
  const handle = async (message: ParentMessage): Promise<void> => {
    switch (message.type) {
      case 'init': {
        const measured = sigmahqCorpus(seed);
        corpora = { measured: measured.raw, warm: sigmahqCorpus(warmSeed).raw };
        const members = MemberDirectory.withDefaults({ members: [...measured.ranges].map(([id, range]) => ({ id, network_ranges: [range] })) } as never);
        index = buildIndex(generateIndicators(100_000, seed));
        engine = new CorrelationEngine(ruleSetOf(message.configuration), index, members);
        if (message.redis) redis = await RedisStores.start();
        send({ type: 'ready' });
        return;
      }
      case 'start': {
        const lines = message.pass === 'warm' ? corpora!.warm : corpora!.measured;
        const stores: Partial<CorrelationStores> = redis?.stores() ?? {};
        // The warm-up pass stamps ids of its own: with the Redis stores, both passes share the state.
        stream = new CorpusStream(engine!, index!, lines, lines.length, stores, message.pass === 'warm' ? warmIdBase : 0);
        storeBefore = await storeSeconds();
        send({ type: 'started' });
        return;
      }
      case 'turn': {
        for (let b = 0; b < message.batches && !stream!.done; b++) await stream!.next();
        send({ type: 'turned', done: stream!.done });
        return;
      }
      case 'finish': {
        const store = (await storeSeconds()) - storeBefore;
        const run = stream!.finish();
        const result: ProcessRun = {
          events: run.events,
          failures: run.failures,
          engineCpuSeconds: run.engine.cpuSeconds,
          engineWallSeconds: run.engine.wallSeconds,
          parseCpuSeconds: run.parse.cpuSeconds,
          decodeCpuSeconds: run.decode.cpuSeconds,
          detections: run.detections.length,
          storeCpuSeconds: store,
        };
        stream = undefined;
        send({ type: 'finished', run: result });
        return;
      }
      case 'stop':
        await redis?.stop();
        process.disconnect();
        return;
    }
  };
  // One message at a time, in order: the parent waits for each answer anyway.
  let queue = Promise.resolve();
  process.on('message', (message: ParentMessage) => {
    queue = queue
      .then(() => handle(message))
      .catch((error: unknown) => {
        send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      });
  });
}

void main();
