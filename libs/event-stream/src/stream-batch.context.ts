import { BaseRpcContext } from '@nestjs/microservices';

type StreamBatchArgs = [stream: string, group: string, entryId: string, entryIds?: string[]];

/** What a handler may know about the stream entry (or merged entries) it is processing. */
export class StreamBatchContext extends BaseRpcContext<StreamBatchArgs> {
  getStream(): string {
    return this.args[0];
  }
  getGroup(): string {
    return this.args[1];
  }
  /** The entry, or the first of the merged entries. */
  getEntryId(): string {
    return this.args[2];
  }
  /** Every entry behind the batch: one, or several when the server merges (`mergeEvents`). */
  getEntryIds(): string[] {
    return this.args[3] ?? [this.args[2]];
  }
}
