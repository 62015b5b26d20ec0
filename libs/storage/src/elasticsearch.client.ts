import { Client } from '@elastic/elasticsearch';

/** A client that fails within seconds when Elasticsearch is away, instead of hanging. */
export function createElasticsearchClient(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 2, sniffOnStart: false });
}

export async function pingElasticsearch(client: Client): Promise<boolean> {
  try {
    return await client.ping({}, { requestTimeout: 1_000, maxRetries: 0 });
  } catch {
    return false;
  }
}

export type { Client as ElasticsearchClient };
