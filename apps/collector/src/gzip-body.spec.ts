import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { BodyError, decodeRequestBody } from './gzip-body';

async function read(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('decodeRequestBody', () => {
  it('passes an unencoded body through untouched', () => {
    const body = Readable.from([Buffer.from('{}')]);
    expect(decodeRequestBody(undefined, body, 10)).toBe(body);
  });

  it('decompresses gzip and reports the compressed length read', async () => {
    const compressed = gzipSync('{"message":"a"}\n{"message":"b"}\n');
    const decoded = decodeRequestBody('gzip', Readable.from([compressed]), 1_000);
    expect(await read(decoded)).toBe('{"message":"a"}\n{"message":"b"}\n');
    expect((decoded as Readable & { receivedEncodedLength?: number }).receivedEncodedLength).toBe(compressed.length);
  });

  it('refuses a body that is not gzip', async () => {
    const decoded = decodeRequestBody('gzip', Readable.from([Buffer.from('plain text, not gzip')]), 1_000);
    await expect(read(decoded)).rejects.toThrow('the body is not valid gzip: incorrect header check');
  });

  it('stops decompressing once the body passes the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    const decoded = decodeRequestBody('gzip', Readable.from([bomb]), 100_000);
    const error = await read(decoded).catch((e: BodyError) => e);
    expect(error).toBeInstanceOf(BodyError);
    expect((error as BodyError).getStatus()).toBe(413);
    expect((error as BodyError).message).toBe('the decompressed body is larger than 100000 bytes');
  });

  it('refuses another content encoding', () => {
    expect(() => decodeRequestBody('br', Readable.from([]), 10)).toThrow('Content-Encoding "br" is not supported; send gzip or nothing');
  });
});
