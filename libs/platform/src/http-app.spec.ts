import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errors } from '@elastic/elasticsearch';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { connect, type AddressInfo } from 'node:net';
import { createHttpApp } from './http-app';

@Controller()
class ProbeController {
  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: unknown): { body: unknown } {
    return { body };
  }

  @Get('items/:id')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Get('refused-by-elasticsearch')
  refused(): never {
    throw new errors.ResponseError({
      statusCode: 400,
      body: { error: { type: 'search_phase_execution_exception', root_cause: [{ type: 'parse_exception', reason: 'failed to parse date field [abc]' }] } },
      headers: {},
      warnings: null,
      meta: {} as never,
    });
  }

  @Get('crash')
  crash(): never {
    throw new TypeError("Cannot read properties of undefined (reading 'hits')");
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

const limit = 200;

async function started(textBodies: boolean): Promise<{
  app: NestFastifyApplication;
  inject: (options: InjectOptions) => Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }>;
}> {
  const app = await createHttpApp(ProbeModule, {
    name: 'probe',
    host: '127.0.0.1',
    port: 0,
    logLevel: 'silent',
    shutdownTimeoutMs: 25_000,
    bodyLimitBytes: limit,
    textBodies,
  });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  return {
    app,
    inject: async (options) => {
      const response = await fastify.inject(options);
      return { status: response.statusCode, body: response.json() as Record<string, unknown>, headers: response.headers };
    },
  };
}

const latin1 = Buffer.from('{"text":"K\xf8benhavn"}', 'latin1');

describe(createHttpApp.name, () => {
  describe('a JSON app', () => {
    let probe: Awaited<ReturnType<typeof started>>;
    beforeAll(async () => (probe = await started(false)));
    afterAll(() => probe.app.close());

    it('parses a UTF-8 JSON body', async () => {
      const reply = await probe.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"text":"København"}' });
      expect(reply).toMatchObject({ status: 200, body: { body: { text: 'København' } } });
    });

    it('refuses a body that is not UTF-8, naming the byte offset', async () => {
      const reply = await probe.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: latin1 });
      expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_encoding', offset: 10 } });
      expect(reply.body.message).toBe('the body is not valid UTF-8: the byte at offset 10 starts no valid UTF-8 sequence');
    });

    it.each([
      [
        'a body over the limit',
        { payload: JSON.stringify({ text: 'x'.repeat(limit) }) },
        413,
        'payload_too_large',
        `the request body is larger than ${limit} bytes`,
      ],
      ['invalid JSON', { payload: '{"text":' }, 400, 'invalid_json', 'the body is not valid JSON'],
      ['an empty JSON body', { payload: '' }, 400, 'invalid_body', 'the body is empty but Content-Type is application/json'],
      ['__proto__ poisoning', { payload: '{"__proto__":{"admin":true}}' }, 400, 'invalid_json', 'the body is not valid JSON'],
    ])('answers %s as {error, message}', async (_name, options, status, error, message) => {
      const reply = await probe.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, ...options });
      expect(reply).toMatchObject({ status, body: { error, message } });
    });

    it('answers another content type with 415', async () => {
      for (const type of ['text/plain', 'application/xml']) {
        const reply = await probe.inject({ method: 'POST', url: '/echo', headers: { 'content-type': type }, payload: 'x' });
        expect(reply).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
      }
    });

    it('answers an unknown route, a bad URL and an over-long path parameter in the same shape', async () => {
      expect(await probe.inject({ method: 'GET', url: '/nope' })).toMatchObject({ status: 404, body: { error: 'not_found', message: 'Cannot GET /nope' } });
      expect(await probe.inject({ method: 'GET', url: `/items/${'a'.repeat(101)}` })).toMatchObject({ status: 414, body: { error: 'uri_too_long' } });
      expect(await probe.inject({ method: 'GET', url: '/items/%E0%A4%A' })).toMatchObject({ status: 400, body: { error: 'invalid_url' } });
    });

    it("keeps Elasticsearch's text out of a refused query", async () => {
      const reply = await probe.inject({ method: 'GET', url: '/refused-by-elasticsearch' });
      expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_query' } });
      expect(JSON.stringify(reply.body)).not.toMatch(/search_phase|parse_exception|failed to parse/);
    });

    it('answers an unexpected error with 500 internal and nothing of it', async () => {
      const reply = await probe.inject({ method: 'GET', url: '/crash' });
      expect(reply).toEqual({ status: 500, body: { error: 'internal', message: 'internal error' }, headers: expect.anything() });
    });
  });

  describe('a text-bodies app', () => {
    let probe: Awaited<ReturnType<typeof started>>;
    beforeAll(async () => (probe = await started(true)));
    afterAll(() => probe.app.close());

    it('hands NDJSON over as text', async () => {
      const reply = await probe.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-ndjson' }, payload: '{"a":1}\n{"a":2}' });
      expect(reply).toMatchObject({ status: 200, body: { body: '{"a":1}\n{"a":2}' } });
    });

    it('refuses Latin-1 with invalid_encoding, not a Content-Length error', async () => {
      const reply = await probe.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-ndjson' }, payload: latin1 });
      expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_encoding', offset: 10 } });
    });

    it('answers a body over the limit as 413 payload_too_large', async () => {
      const reply = await probe.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-ndjson' }, payload: 'x'.repeat(limit + 1) });
      expect(reply).toMatchObject({ status: 413, body: { error: 'payload_too_large', message: `the request body is larger than ${limit} bytes` } });
    });
  });

  describe('a request Node refuses before routing', () => {
    let app: NestFastifyApplication;
    let port: number;
    beforeAll(async () => {
      app = await createHttpApp(ProbeModule, { name: 'probe', host: '127.0.0.1', port: 0, logLevel: 'silent', shutdownTimeoutMs: 25_000 });
      await app.listen(0, '127.0.0.1');
      port = (app.getHttpServer().address() as AddressInfo).port;
    });
    afterAll(() => app.close());

    /** Sends raw bytes on a real socket (inject never reaches Node's parser) and reads until close. */
    function rawExchange(request: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
        socket.on('error', reject);
        socket.on('close', () => resolve(answer));
      });
    }

    it('answers a URL over the header limit as 431 {error, message} and says it closes', async () => {
      const answer = await rawExchange(`GET /items/x?size=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      expect(head.toLowerCase()).toContain('connection: close');
      expect(JSON.parse(body)).toEqual({ error: 'header_too_large', message: expect.stringContaining('16 KiB') });
    });

    it('answers bytes that are not HTTP as 400 bad_request', async () => {
      const [head, body] = (await rawExchange('\x00\x01 not http\r\n\r\n')).split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(body)).toMatchObject({ error: 'bad_request' });
    });
  });
});
