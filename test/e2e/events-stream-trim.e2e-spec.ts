import { ForwarderKeyRepository } from '@soc/auth';
import { E2eDeployment } from './support/deployment';
import { yesterdayUtc } from './support/events';
import { AppProcess, waitFor } from './support/stack';

/**
 * The events stream keeps only what a consumer group still needs (plus EVENTS_STREAM_RETAIN_SECONDS,
 * here 0): once the correlator and the indexer have acknowledged a batch, a collector trims it, so
 * Redis does not keep every event ever accepted (the growth bench:soak found).
 */
describe('events stream trimming', () => {
  let deployment: E2eDeployment;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    deployment = await E2eDeployment.create({ rules: {}, env: { EVENTS_STREAM_RETAIN_SECONDS: '0', STREAM_BATCH_SIZE: '10' } });
  });

  afterAll(() => deployment.close(apps));

  it('trims the entries both groups acknowledged, after every event is indexed', async () => {
    const { env, redis, es } = deployment;
    const collector = new AppProcess('collector', env).start();
    const correlator = new AppProcess('correlator', env).start();
    const alerting = new AppProcess('alerting', env).start();
    apps.push(collector, correlator, alerting);
    await Promise.all(apps.map((app) => app.waitReady()));

    const { key } = await new ForwarderKeyRepository(redis, env.KEY_PREFIX).create('0751');
    const events = 200;
    const body = Array.from({ length: events }, (_, i) =>
      JSON.stringify({
        '@timestamp': yesterdayUtc(8, 0, i % 60).toISOString(),
        event: { dataset: 'linux.sshd', outcome: 'failure' },
        host: { name: `trim-${i}` },
      }),
    ).join('\n');
    const reply = await fetch(`${collector.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `ApiKey ${key}`, 'content-type': 'application/x-ndjson' },
      body,
    });
    expect(reply.status).toBe(202);
    // 200 events in batches of 10: 20 entries were written.
    const index = `${env.INDEX_PREFIX}-events-*`;
    await waitFor(
      async () => {
        await es.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
        return (await es.count({ index, ignore_unavailable: true, allow_no_indices: true })).count === events;
      },
      60_000,
      () => alerting.log,
    );
    await waitFor(
      async () => (await redis.xlen(env.EVENTS_STREAM)) === 0,
      60_000,
      () => `stream not trimmed\n${collector.log}`,
    );
    const groups = (await redis.xinfo('GROUPS', env.EVENTS_STREAM)) as unknown[][];
    expect(groups.map((g) => g[1]).sort()).toEqual(['correlator', 'indexer']);
  });
});
