/**
 * The Redis keys of the rule catalogue under one deployment's key prefix. They share the hash tag
 * `{<prefix>:rules}`, so the one script that writes a change touches them in one slot (Redis Cluster).
 */
export class RuleCatalogueKeys {
  private readonly base: string;

  constructor(prefix: string) {
    this.base = `{${prefix}:rules}`;
  }

  /** String: the catalogue revision, +1 per change. */
  get revision(): string {
    return `${this.base}:revision`;
  }

  /** Hash: document key (`<origin>/<path>`) → rule document JSON. */
  get documents(): string {
    return `${this.base}:documents`;
  }

  /** Hash: rule id → enablement JSON. */
  get rules(): string {
    return `${this.base}:enabled`;
  }

  /** Hash: folder (path prefix) → enablement JSON. */
  get folders(): string {
    return `${this.base}:folders`;
  }

  /** Hash: rule id → level override JSON. */
  get levels(): string {
    return `${this.base}:levels`;
  }

  /** Hash: tuning id → tuning JSON. */
  get tunings(): string {
    return `${this.base}:tunings`;
  }

  /** Pub/sub channel: the new revision after every change. */
  get channel(): string {
    return `${this.base}:changes`;
  }
}
