/**
 * Keeps responses in the order their commands arrived, whatever order they are decided in
 * (a `close` answered at once must still follow the `syslog` commands before it, answered when
 * their batch is accepted). Pure; the caller writes what `take` releases.
 */
export class RelpResponseOrder {
  private readonly slots: Array<{ txnr: number; response?: Buffer }> = [];

  get outstanding(): number {
    return this.slots.length;
  }

  /** A command arrived: its response will be released in this place. */
  reserve(txnr: number): void {
    this.slots.push({ txnr });
  }

  /** A command's response is decided; throws for a TXNR that holds no open place. */
  settle(txnr: number, response: Buffer): void {
    const slot = this.slots.find((candidate) => candidate.txnr === txnr && candidate.response === undefined);
    if (!slot) throw new Error(`no outstanding command with TXNR ${txnr}`);
    slot.response = response;
  }

  /** The responses now free to send: the settled ones at the head, in order. */
  take(): Buffer[] {
    const ready: Buffer[] = [];
    while (this.slots.length > 0 && this.slots[0].response !== undefined) ready.push(this.slots.shift()!.response!);
    return ready;
  }
}
