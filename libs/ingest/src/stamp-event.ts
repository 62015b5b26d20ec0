import { randomUUID } from 'node:crypto';
import type { InboundEvent, SocEvent } from '@soc/contracts';

/**
 * Makes an accepted event ours: a fresh id, the arrival time, and the member of the credential
 * it came with. Whatever `organization` the payload claimed is replaced: identity comes from
 * the credential, never from the data.
 */
export function stampEvent(inbound: InboundEvent, memberId: string, ingested: string): SocEvent {
  return {
    ...inbound,
    '@timestamp': inbound['@timestamp'] ?? ingested,
    event: { ...inbound.event, id: randomUUID(), ingested },
    organization: { id: memberId },
  };
}
