import { Client } from '@elastic/elasticsearch';

/** A client that fails within seconds when Elasticsearch is away, instead of hanging. */
export function createElasticsearchClient(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 2, sniffOnStart: false });
}

/** Ready means the cluster serves reads and writes (yellow or green). */
export async function pingElasticsearch(client: Client): Promise<boolean> {
  try {
    const health = await client.cluster.health({}, { requestTimeout: 1_000, maxRetries: 0 });
    return health.status !== 'red';
  } catch {
    return false;
  }
}

export type { Client as ElasticsearchClient };
