import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeUtf8Body } from './utf8';

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The charset rule of every app: a body is UTF-8 (JSON's only encoding, RFC 8259 §8.1), whatever
 * a `charset` parameter says. The check runs on the bytes the parser gets, which are the
 * decompressed ones for a gzipped body, so a plain and a gzipped body get the same answer.
 */
function decoded(body: Buffer, done: Done): string | undefined {
  const result = decodeUtf8Body(body);
  if (result.ok) return result.text;
  done(
    new BadRequestException({
      error: 'invalid_encoding',
      message: `the body is not valid UTF-8: the byte at offset ${result.offset} starts no valid UTF-8 sequence`,
      offset: result.offset,
    }),
  );
  return undefined;
}

/** The body as text, for controllers that parse it themselves (NDJSON, CSV, feed documents). */
export function utf8BodyParser(_request: FastifyRequest, body: Buffer, done: Done): void {
  const text = decoded(body, done);
  if (text !== undefined) done(null, text);
}

/** The body as JSON, parsed by Fastify's own parser (it refuses `__proto__` poisoning). */
export function utf8JsonBodyParser(fastify: FastifyInstance) {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  return (request: FastifyRequest, body: Buffer, done: Done): void => {
    const text = decoded(body, done);
    if (text !== undefined) parseJson(request, text, done);
  };
}
