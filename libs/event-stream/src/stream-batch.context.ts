import { BaseRpcContext } from '@nestjs/microservices';

type StreamBatchArgs = [stream: string, group: string, entryId: string];

/** What a handler may know about the stream entry it is processing. */
export class StreamBatchContext extends BaseRpcContext<StreamBatchArgs> {
  getStream(): string {
    return this.args[0];
  }
  getGroup(): string {
    return this.args[1];
  }
  getEntryId(): string {
    return this.args[2];
  }
}
