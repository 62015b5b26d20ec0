import { BadRequestException, HttpException, InternalServerErrorException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { Client, errors } from '@elastic/elasticsearch';
import { errorCodes } from 'fastify';
import Redis, { Cluster, ReplyError } from 'ioredis';
import { IdentityProviderUnavailableError } from '@soc/auth';
import { errorResponseOf } from './error-response';

const context = { bodyLimitBytes: 1_000 };
const backendWords = /search_phase|_exception|Exception|\bERR\b|Caused by|root_cause|Result window|ECONNREFUSED|Stream isn't/;

const esResponseError = (statusCode: number, body: unknown) => new errors.ResponseError({ statusCode, body, headers: {}, warnings: null, meta: {} as never });

describe(errorResponseOf.name, () => {
  describe('HttpExceptions', () => {
    it('keeps a code, message and details it was given', () => {
      const response = errorResponseOf(new HttpException({ error: 'invalid_gzip', message: 'the body is not valid gzip', offset: 3 }, 400), context);
      expect(response).toMatchObject({ status: 400, body: { error: 'invalid_gzip', message: 'the body is not valid gzip', offset: 3 }, internal: false });
    });

    it('writes the message of a 400 that only listed problems, naming the first field', () => {
      const problems = [
        { path: 'size', message: 'Too big' },
        { path: 'page', message: 'Too small' },
      ];
      const response = errorResponseOf(new BadRequestException({ error: 'invalid_query', problems }), context);
      expect(response.body).toEqual({ error: 'invalid_query', message: 'size: Too big (and 1 more problem)', problems });
    });

    it('names the line of an ingest problem', () => {
      const problems = [{ line: 2, path: 'source.ip', message: 'Invalid IPv4 address' }];
      expect(errorResponseOf(new BadRequestException({ error: 'invalid_events', problems }), context).body.message).toBe(
        'line 2 source.ip: Invalid IPv4 address',
      );
    });

    it("rewrites Nest's own shape into a code and a message", () => {
      expect(errorResponseOf(new NotFoundException('Cannot GET /nope'), context).body).toEqual({ error: 'not_found', message: 'Cannot GET /nope' });
      expect(errorResponseOf(new HttpException('Too many', 429), context).body).toEqual({ error: 'too_many_requests', message: 'Too many' });
    });

    it('gives a body without a code one from its status', () => {
      expect(errorResponseOf(new HttpException({ status: 'down' }, 409), context).body).toEqual({ error: 'conflict', message: 'conflict', status: 'down' });
    });

    it('answers a 500 HttpException as internal, whatever it carried', () => {
      const response = errorResponseOf(new InternalServerErrorException({ error: 'x', message: 'ERR secret detail' }), context);
      expect(response).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' }, headers: {}, internal: true });
    });

    it('adds Retry-After to a 503', () => {
      const response = errorResponseOf(new ServiceUnavailableException({ error: 'backlog', message: 'behind' }), context);
      expect(response).toMatchObject({ status: 503, body: { error: 'backlog' }, headers: { 'retry-after': '5' } });
    });
  });

  describe("Fastify's errors", () => {
    it.each([
      [new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), 413, 'payload_too_large', 'the request body is larger than 1000 bytes'],
      [new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), 415, 'unsupported_media_type', "this endpoint does not accept the request's Content-Type"],
      [new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH(), 400, 'invalid_content_length', "the body's length differs from its Content-Length header"],
      [new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(), 400, 'invalid_body', 'the body is empty but Content-Type is application/json'],
      [new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), 400, 'invalid_json', 'the body is not valid JSON'],
      [new errorCodes.FST_ERR_BAD_URL('/%zz'), 400, 'invalid_url', 'the URL is not validly percent-encoded'],
      [new errorCodes.FST_ERR_MAX_PARAM_LENGTH('/a'), 414, 'uri_too_long', 'a path parameter is longer than 100 characters'],
    ])('maps %s', (error, status, code, message) => {
      expect(errorResponseOf(error, context)).toEqual({ status, body: { error: code, message }, headers: {}, internal: false });
    });

    it("answers a Fastify error that is not the request's fault as internal", () => {
      expect(errorResponseOf(new errorCodes.FST_ERR_CTP_ALREADY_PRESENT('text/csv'), context).body).toEqual({ error: 'internal', message: 'internal error' });
    });
  });

  describe('Elasticsearch', () => {
    it('answers a refused query as a 400 without its text', () => {
      const error = esResponseError(400, {
        error: {
          type: 'search_phase_execution_exception',
          caused_by: { type: 'illegal_argument_exception', reason: 'Result window is too large, from + size must be less than or equal to: [10000]' },
          root_cause: [{ type: 'illegal_argument_exception', reason: 'Result window is too large' }],
        },
      });
      const response = errorResponseOf(error, context);
      expect(response).toMatchObject({ status: 400, body: { error: 'invalid_query' }, internal: true });
      expect(JSON.stringify(response.body)).not.toMatch(backendWords);
    });

    it('answers any other refusal as internal', () => {
      const response = errorResponseOf(esResponseError(404, { error: { type: 'index_not_found_exception', reason: 'no such index [x]' } }), context);
      expect(response).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' }, headers: {}, internal: true });
    });

    it.each([429, 503])('answers an overloaded cluster (%i) as unavailable', (status) => {
      expect(errorResponseOf(esResponseError(status, { error: { type: 'es_rejected_execution_exception' } }), context)).toMatchObject({
        status: 503,
        body: { error: 'unavailable' },
        headers: { 'retry-after': '5' },
      });
    });

    it('answers an unreachable cluster as 503 unavailable with Retry-After', async () => {
      const client = new Client({ node: 'http://127.0.0.1:1', maxRetries: 0, requestTimeout: 2_000 });
      const error = await client.ping().then(
        () => undefined,
        (e: unknown) => e,
      );
      await client.close();
      expect(error).toBeInstanceOf(errors.ConnectionError);
      const response = errorResponseOf(error, context);
      expect(response).toMatchObject({ status: 503, body: { error: 'unavailable' }, headers: { 'retry-after': '5' } });
      expect(JSON.stringify(response.body)).not.toMatch(backendWords);
    });
  });

  describe('Redis', () => {
    it('answers a client without a connection as 503 unavailable', async () => {
      const redis = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
      const error = await redis.get('x').then(
        () => undefined,
        (e: unknown) => e,
      );
      redis.disconnect();
      expect(error).toBeInstanceOf(Error);
      expect(errorResponseOf(error, context)).toMatchObject({ status: 503, body: { error: 'unavailable' }, headers: { 'retry-after': '5' } });
    });

    it('answers a Redis Cluster client that cannot reach the cluster, or whose failover outlasted its retries, as 503 unavailable', async () => {
      const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true, enableOfflineQueue: false, clusterRetryStrategy: () => null });
      cluster.on('error', () => undefined);
      const error = await cluster.get('x').then(
        () => undefined,
        (e: unknown) => e,
      );
      cluster.disconnect();
      expect((error as Error).message).toBe("Cluster isn't ready and enableOfflineQueue options is false");
      expect(errorResponseOf(error, context)).toMatchObject({ status: 503, body: { error: 'unavailable' } });
      const redirections = new Error('Too many Cluster redirections. Last error: Error: Connection is closed.');
      expect(errorResponseOf(redirections, context)).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    });

    it('answers a loading Redis as unavailable and any other reply error as internal', () => {
      expect(errorResponseOf(new ReplyError('LOADING Redis is loading the dataset in memory'), context).status).toBe(503);
      const response = errorResponseOf(new ReplyError('ERR invalid cursor'), context);
      expect(response).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' }, headers: {}, internal: true });
    });
  });

  it('answers an identity provider whose keys cannot be fetched as 503 unavailable, its address kept out', () => {
    const error = new IdentityProviderUnavailableError('the signing keys of http://idp.internal/realms/soc could not be fetched: connect ECONNREFUSED');
    expect(errorResponseOf(error, context)).toEqual({
      status: 503,
      body: { error: 'unavailable', message: 'a back-end service is unavailable; retry after Retry-After seconds' },
      headers: { 'retry-after': '5' },
      internal: true,
    });
  });

  it('answers anything else as 500 internal, keeping its text out', () => {
    for (const thrown of [new TypeError("Cannot read properties of undefined (reading 'x')"), 'a string', undefined, { statusCode: 400, message: 'ERR raw' }]) {
      expect(errorResponseOf(thrown, context)).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' }, headers: {}, internal: true });
    }
  });
});
