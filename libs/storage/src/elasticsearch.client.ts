import { Client } from '@elastic/elasticsearch';

/**
 * A client that fails within seconds when Elasticsearch is away, instead of hanging. `url` is one
 * node or the nodes of a cluster, comma-separated (ELASTICSEARCH_URL): requests take turns among
 * them, and one that cannot reach its node (refused, reset, 502–504) is retried on another, so a
 * stopped node costs no request while another answers.
 */
export function createElasticsearchClient(url: string): Client {
  const nodes = url
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  return new Client({ nodes, requestTimeout: 30_000, maxRetries: 2, sniffOnStart: false });
}

/**
 * Ready means the cluster serves reads and writes (yellow or green). One retry per other node: a
 * cluster with one node stopped is still ready (the retry goes to the next node of the list).
 */
export async function pingElasticsearch(client: Client): Promise<boolean> {
  try {
    const health = await client.cluster.health({}, { requestTimeout: 1_000, maxRetries: client.connectionPool.size - 1 });
    return health.status !== 'red';
  } catch {
    return false;
  }
}

export type { Client as ElasticsearchClient };
