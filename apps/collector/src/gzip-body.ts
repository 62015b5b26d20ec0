import { HttpException } from '@nestjs/common';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A refused body, answered as `{ error, message }` like every other collector error. */
export class BodyError extends HttpException {
  constructor(status: number, code: string, message: string) {
    super({ error: code, message }, status);
  }
}

/**
 * Decompresses a `Content-Encoding: gzip` request body on the fly, refusing (413) as soon as
 * the decompressed size passes `limitBytes`, so a small zip bomb cannot fill memory. A body
 * that is not gzip is a 400. Other encodings are refused with 415.
 */
export function decodeRequestBody(encoding: string | undefined, payload: Readable, limitBytes: number): Readable {
  const coding = (encoding ?? 'identity').trim().toLowerCase();
  if (coding === 'identity') return payload;
  if (coding !== 'gzip' && coding !== 'x-gzip') {
    throw new BodyError(415, 'unsupported_content_encoding', `Content-Encoding "${coding}" is not supported; send gzip or nothing`);
  }
  let encodedBytes = 0;
  payload.on('data', (chunk: Buffer) => (encodedBytes += chunk.length));
  const gunzip = createGunzip();
  let decodedBytes = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      decodedBytes += chunk.length;
      if (decodedBytes > limitBytes) {
        done(new BodyError(413, 'payload_too_large', `the decompressed body is larger than ${limitBytes} bytes`));
        return;
      }
      done(null, chunk);
    },
    flush(done: TransformCallback) {
      // Fastify compares what it read with Content-Length: give it the compressed count.
      (capped as Transform & { receivedEncodedLength?: number }).receivedEncodedLength = encodedBytes;
      done();
    },
  });
  gunzip.on('error', (error: Error) => capped.destroy(new BodyError(400, 'invalid_gzip', `the body is not valid gzip: ${error.message}`)));
  capped.on('error', () => {
    payload.unpipe(gunzip);
    payload.resume();
    gunzip.destroy();
  });
  payload.pipe(gunzip).pipe(capped);
  return capped;
}
