import { freePort } from '../../../bench/support/bench-process';
import { elasticsearchUrl } from '../../../test/support';
import { createElasticsearchClient, pingElasticsearch } from './elasticsearch.client';

describe(createElasticsearchClient.name, () => {
  it('fails over from a node that refuses connections to one that answers, for requests and readiness alike', async () => {
    // A port nothing listens on stands for a stopped node of the cluster.
    const stopped = `http://127.0.0.1:${await freePort()}`;
    const client = createElasticsearchClient(`${stopped}, ${elasticsearchUrl}`);
    try {
      expect(client.connectionPool.size).toBe(2);
      for (let i = 0; i < 4; i++) {
        // Turns alternate between the two: half of these first reach the stopped node and are retried.
        expect(await pingElasticsearch(client)).toBe(true);
        expect((await client.cluster.health()).status).not.toBe('red');
      }
    } finally {
      await client.close();
    }
  });

  it('is not ready when no node answers', async () => {
    const client = createElasticsearchClient(`http://127.0.0.1:${await freePort()},http://127.0.0.1:${await freePort()}`);
    try {
      expect(await pingElasticsearch(client)).toBe(false);
    } finally {
      await client.close();
    }
  });
});
