import { Logger } from '@nestjs/common';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { parseConfig } from '@soc/config';
import type { SocEvent } from '@soc/contracts';
import { RelpFramer, relpMaxDataBytes, type RelpFrame } from '@soc/relp';
import type { SubmitOutcome } from '../ingest-pipeline';
import { RelpConnection } from './relp-connection';
import type { SyslogInputContext } from './syslog-input.context';

const librelpOpen = 'relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog';
const line = (n: number) => `<38>1 2026-11-28T10:00:00Z web01 sshd 77 - - Failed password for root from 198.51.100.${n} port 4242 ssh2`;
const encode = (frames: Array<[number, string, string?]>) =>
  frames.map(([txnr, command, data = '']) => `${txnr} ${command} ${Buffer.byteLength(data)}${data ? ` ${data}` : ''}\n`).join('');

/** The seams the connection talks to, kept by the test: the pipeline's answers and the dead letters' timing are the test's. */
class Seams {
  readonly submitted: SocEvent[][] = [];
  readonly refusals: Array<[string, number]> = [];
  readonly deadLetters: string[] = [];
  outcome: () => Promise<SubmitOutcome> = async () => ({ accepted: 1 });
  deadLetterStored: Promise<void> = Promise.resolve();

  context(): SyslogInputContext {
    const config = parseConfig({});
    return {
      pipeline: {
        submit: async (_member: string, _transport: string, events: SocEvent[]) => {
          this.submitted.push(events);
          return this.outcome();
        },
      },
      deadLetters: {
        record: async (_member: string, _transport: string, _raw: string, reason: string) => {
          this.deadLetters.push(reason);
          await this.deadLetterStored;
        },
      },
      metrics: { refused: (_member: string, _transport: string, reason: string, count: number) => this.refusals.push([reason, count]) },
      identities: {},
      maxMessageBytes: 1000,
      timeZone: 'UTC',
      eventLimits: config.ingest.eventLimits,
      eventTimeWindow: config.ingest.eventTimeWindow,
      logger: new Logger('relp-connection.spec'),
    } as unknown as SyslogInputContext;
  }
}

describe(RelpConnection.name, () => {
  let server: Server;
  let accepted: Promise<Socket>;
  let client: Socket;
  let received: RelpFrame[];
  let closed: Promise<void>;

  beforeEach(async () => {
    let accept!: (socket: Socket) => void;
    accepted = new Promise((resolve) => (accept = resolve));
    server = createServer(accept);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = connect((server.address() as { port: number }).port, '127.0.0.1');
    const framer = new RelpFramer({ maxDataBytes: relpMaxDataBytes });
    received = [];
    client.on('data', (chunk: Buffer) => received.push(...framer.push(chunk)));
    closed = new Promise((resolve) => client.on('close', () => resolve()));
  });

  afterEach(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  async function start(seams: Seams): Promise<void> {
    new RelpConnection(await accepted, { memberId: '0751', format: 'auto' }, 'syslog_relp', seams.context()).start();
  }

  const answers = () => received.map((frame) => `${frame.txnr} ${frame.command} ${frame.data.toString().split('\n')[0]}`);

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setImmediate(resolve));
  }

  it('answers in command order: a message stored later holds back the answers after it', async () => {
    const seams = new Seams();
    let store!: () => void;
    seams.deadLetterStored = new Promise((resolve) => (store = resolve));
    await start(seams);
    client.write(
      encode([
        [1, 'open', librelpOpen],
        [2, 'syslog', line(1)],
        [3, 'syslog', 'x'.repeat(1001)],
        [4, 'syslog', line(2)],
      ]),
    );
    await until(() => seams.submitted.flat().length === 2 && received.length === 2);
    expect(answers()).toEqual(['1 rsp 200 OK', '2 rsp 200 OK']);
    expect(seams.deadLetters).toEqual(['message of 1001 bytes exceeds SYSLOG_MAX_MESSAGE_BYTES (1000)']);
    store();
    await until(() => received.length === 4);
    expect(answers()).toEqual(['1 rsp 200 OK', '2 rsp 200 OK', '3 rsp 200 OK', '4 rsp 200 OK']);
  });

  it('closes with serverclose and answers nothing of a refused batch (the pipeline counts the refusal)', async () => {
    const seams = new Seams();
    seams.outcome = async () => ({ refused: 'backlog', retryAfterSeconds: 2 });
    await start(seams);
    client.write(
      encode([
        [1, 'open', librelpOpen],
        [2, 'syslog', line(1)],
        [3, 'syslog', line(2)],
      ]),
    );
    await closed;
    expect(answers()).toEqual(['1 rsp 200 OK', '0 serverclose ']);
    expect(seams.submitted.flat()).toHaveLength(2);
    expect(seams.refusals).toEqual([]);
  });

  it('answers 500 and counts as invalid a batch whose submission throws: sending it again would fail again', async () => {
    const seams = new Seams();
    seams.outcome = async () => {
      throw new RangeError('too deep');
    };
    await start(seams);
    client.write(
      encode([
        [1, 'open', librelpOpen],
        [2, 'syslog', line(1)],
      ]),
    );
    await until(() => received.length === 2);
    expect(answers()).toEqual(['1 rsp 200 OK', '2 rsp 500 internal error']);
    expect(seams.refusals).toEqual([['invalid', 1]]);
  });

  it('sends serverclose and closes on a framing error', async () => {
    await start(new Seams());
    client.write('1 open x\n');
    await closed;
    expect(answers()).toEqual(['0 serverclose ']);
  });
});
