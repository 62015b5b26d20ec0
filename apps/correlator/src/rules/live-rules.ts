import type { OnModuleDestroy } from '@nestjs/common';
import type { CorrelationEngine } from '@soc/correlation';
import { StructuredLogger } from '@soc/platform';
import { createRedis, type Redis } from '@soc/redis';
import { CatalogueCompiler, type AppliedDocument, type RuleProvenance } from '@soc/rule-catalogue';
import { RuleCatalogueRepository } from '@soc/rule-store';
import { formatRuleError, type EngineOptions, type RuleSet } from '@soc/sigma';

/** The engine a batch runs with, and what its detections name of each rule. */
export interface RunningRules {
  engine: CorrelationEngine;
  provenance: ReadonlyMap<string, RuleProvenance>;
  /** The catalogue revision it was built from. */
  revision: number;
}

/** What this replica applied, for its metrics and the revision route. */
export interface AppliedCatalogue {
  revision: number;
  rules: number;
  /** Documents whose latest text did not compile here: running their previous text (kept) or left out. */
  refused: Array<{ document: string; kept_previous: boolean; errors: string[] }>;
  applied_at: string;
  compile_ms: number;
}

export interface LiveRulesOptions {
  redisUrl: string;
  keyPrefix: string;
  pollMs: number;
  engineOptions: Partial<EngineOptions>;
  /** A new engine around a rule set (same indicators, members and options): window and campaign state stay in Redis. */
  engineFor: (ruleSet: RuleSet) => CorrelationEngine;
  onApplied?: (applied: AppliedCatalogue) => void;
}

/**
 * This replica's rules, followed live from the rule catalogue (docs/RULES.md). A change is announced
 * on the catalogue's channel; a revision poll catches a missed announcement. The new rule set is
 * built incrementally (only changed documents are parsed again) and swapped in whole: a batch reads
 * `current` once, so it runs with one rule set from start to end, and the next batch with the new one.
 * Window state lives in Redis by rule, so unchanged rules keep their windows across the swap.
 */
export class LiveRules implements OnModuleDestroy {
  private readonly logger = new StructuredLogger(LiveRules.name);
  private readonly compiler: CatalogueCompiler;
  private readonly repository: RuleCatalogueRepository;
  private applied = new Map<string, AppliedDocument>();
  private running!: RunningRules;
  private report!: AppliedCatalogue;
  private timer?: NodeJS.Timeout;
  /** One reload at a time; a request during one runs once more after it. */
  private reloading?: Promise<void>;
  private again = false;

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly options: LiveRulesOptions,
  ) {
    this.compiler = new CatalogueCompiler(options.engineOptions);
    this.repository = new RuleCatalogueRepository(redis, options.keyPrefix);
  }

  /** Builds the rules of the current revision (refusing to start without any), then follows changes. */
  static async start(options: LiveRulesOptions): Promise<LiveRules> {
    const live = new LiveRules(createRedis(options.redisUrl, 'worker', 'correlator-rules'), createRedis(options.redisUrl, 'consumer', 'correlator-rules-changes'), options);
    await live.build(await live.repository.snapshot());
    await live.subscriber.subscribe(live.repository.keys.channel);
    live.subscriber.on('message', (_channel: string, message: string) => {
      if (Number(message) > live.running.revision) live.reload();
    });
    live.timer = setInterval(() => {
      live.repository.revision().then(
        (revision) => {
          if (revision > live.running.revision) live.reload();
        },
        (error: Error) => live.logger.warn({ error: error.message }, 'rule catalogue revision poll failed'),
      );
    }, options.pollMs);
    live.timer.unref();
    return live;
  }

  get current(): RunningRules {
    return this.running;
  }

  get status(): AppliedCatalogue {
    return this.report;
  }

  /** Applies the newest revision (when newer than the running one). Resolves once applied. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.again = false;
          const snapshot = await this.repository.snapshot();
          if (snapshot.revision > this.running.revision) await this.build(snapshot);
        } while (this.again);
      } catch (error) {
        this.logger.error({ error: (error as Error).message }, 'rule catalogue reload failed: the running rules stay');
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  private async build(snapshot: Awaited<ReturnType<RuleCatalogueRepository['snapshot']>>): Promise<void> {
    const started = performance.now();
    const compiled = this.compiler.compile(snapshot, this.applied);
    const engine = this.options.engineFor(compiled.ruleSet);
    const compileMs = Math.round(performance.now() - started);
    this.applied = compiled.applied;
    this.running = { engine, provenance: compiled.provenance, revision: compiled.revision };
    const refused = compiled.refused.map((r) => ({ document: r.key, kept_previous: r.keptPrevious, errors: r.errors.map(formatRuleError) }));
    this.report = { revision: compiled.revision, rules: compiled.ruleSet.rules.length, refused, applied_at: new Date().toISOString(), compile_ms: compileMs };
    for (const r of refused) this.logger.error({ revision: compiled.revision, ...r }, 'rule document refused: it does not compile here');
    this.logger.info({ revision: compiled.revision, rules: this.report.rules, parsed: compiled.parsed, refused: refused.length, ms: compileMs }, 'rule catalogue applied');
    this.options.onApplied?.(this.report);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.reloading;
    this.subscriber.disconnect();
    this.redis.disconnect();
  }
}
