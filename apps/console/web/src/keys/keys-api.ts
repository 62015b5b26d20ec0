import type { CollectorPaths } from '@soc/api-client';
import { collector } from '../ingestion/collector-api';
import type { SignedInUser } from '../session';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
export type ForwarderKey = Json<CollectorPaths['/v1/forwarder-keys']['get']['responses'][200]>['keys'][number];
export type IssuedKey = Json<CollectorPaths['/v1/forwarder-keys']['post']['responses'][201]>;
export type KeyAuditEntry = Json<CollectorPaths['/v1/forwarder-keys/audit']['get']['responses'][200]>['entries'][number];
type OwnKeyBody = NonNullable<CollectorPaths['/v1/forwarder-keys']['post']['requestBody']>['content']['application/json'];
export type KeyFormat = NonNullable<OwnKeyBody['format']>;

/** The formats a key may declare (the collector's `X-Log-Format` values); the type fails if the API's list changes. */
export const keyFormats = ['auto', 'ecs', 'windows-json', 'syslog', 'sshd', 'apache-access', 'nginx-access'] as const satisfies readonly KeyFormat[];
type MissingFormat = Exclude<KeyFormat, (typeof keyFormats)[number]>;
export const allFormatsListed: MissingFormat extends never ? true : false = true;

/** What a new key declares; `member_id` is used for a SOC administrator only (a member's is its token's). */
export interface NewKey {
  member_id: string;
  label: string;
  format: KeyFormat | '';
  dataset: string;
  time_zone: string;
}

/** A refusal in the API's words, with each field it names (`problems`: `path: message`). */
export class KeyRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: string[],
  ) {
    super(problems.length > 0 ? `${message}: ${problems.join('; ')}` : message);
  }
}

function answerOf<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const error = result.error as { message?: unknown; problems?: Array<{ path?: string; message?: string }> } | undefined;
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${result.response.status}`;
  const problems = (error?.problems ?? []).map((p) => (p.path ? `${p.path}: ${p.message}` : String(p.message)));
  throw new KeyRefusal(result.response.status, message, problems);
}

/**
 * The forwarder-key routes for the signed-in role: a member's own at `/v1/forwarder-keys` (the
 * collector takes the member from the token), a SOC administrator's at `/v1/admin/forwarder-keys`.
 */
export function keyApi(user: SignedInUser) {
  const admin = user.role === 'soc_admin';
  return {
    async list(member?: string): Promise<ForwarderKey[]> {
      if (admin) return answerOf(await collector.GET('/v1/admin/forwarder-keys', { params: { query: member ? { member } : {} } })).keys;
      return answerOf(await collector.GET('/v1/forwarder-keys')).keys;
    },
    async audit(member?: string): Promise<KeyAuditEntry[]> {
      if (admin)
        return answerOf(await collector.GET('/v1/admin/forwarder-keys/audit', { params: { query: { size: 50, ...(member ? { member } : {}) } } })).entries;
      return answerOf(await collector.GET('/v1/forwarder-keys/audit', { params: { query: { size: 50 } } })).entries;
    },
    async create(key: NewKey): Promise<IssuedKey> {
      const declared = {
        label: key.label,
        ...(key.format ? { format: key.format } : {}),
        ...(key.dataset ? { dataset: key.dataset } : {}),
        ...(key.time_zone ? { time_zone: key.time_zone } : {}),
      };
      if (admin) return answerOf(await collector.POST('/v1/admin/forwarder-keys', { body: { ...declared, member_id: key.member_id } }));
      return answerOf(await collector.POST('/v1/forwarder-keys', { body: declared }));
    },
    async rotate(id: string): Promise<IssuedKey> {
      if (admin) return answerOf(await collector.POST('/v1/admin/forwarder-keys/{id}/rotate', { params: { path: { id } } }));
      return answerOf(await collector.POST('/v1/forwarder-keys/{id}/rotate', { params: { path: { id } } }));
    },
    async revoke(id: string): Promise<void> {
      if (admin) answerOf(await collector.DELETE('/v1/admin/forwarder-keys/{id}', { params: { path: { id } } }));
      else answerOf(await collector.DELETE('/v1/forwarder-keys/{id}', { params: { path: { id } } }));
    },
  };
}
