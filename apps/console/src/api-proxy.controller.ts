import { Readable } from 'node:stream';
import { All, Controller, HttpException, HttpStatus, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleSignIn, cookieValue } from '@soc/console-session';
import { proxiedApps, type ConsoleConfig, type ProxiedApp } from '@soc/config';
import { CONSOLE_CONFIG, SESSION_COOKIE } from './console.providers';
import { isSameOriginRequest, isUnsafeMethod } from './same-origin';
import { crossOriginRefusal, httpErrorOf } from './session-errors';

/** Request headers passed on to an API (Last-Event-ID: a live stream resuming); the browser's cookies never are. */
const forwardedRequestHeaders = ['accept', 'accept-language', 'content-type', 'last-event-id', 'x-correlation-id'];
/** Response headers passed back; an API's own cookies or hop-by-hop headers never are. */
const forwardedResponseHeaders = [
  'content-type',
  'content-disposition',
  'cache-control',
  'etag',
  'last-modified',
  'location',
  'retry-after',
  'x-correlation-id',
];

/**
 * `/api/<app>/<path>` → `<app's URL>/<path>` with the session's access token as the bearer, the
 * answer's status and body streamed back unchanged: what a person may see stays decided by the
 * API (member isolation included), the console adds nothing and removes nothing.
 */
@Controller('api')
export class ApiProxyController {
  constructor(
    private readonly signIn: ConsoleSignIn,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @All(':app/*')
  async forward(@Param('app') app: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!(proxiedApps as readonly string[]).includes(app)) {
      throw new NotFoundException({ error: 'not_found', message: `no API ${app}: the console proxies ${proxiedApps.join(', ')}` });
    }
    if (isUnsafeMethod(request.method) && !isSameOriginRequest(request.headers, new URL(this.config.publicUrl).origin)) throw crossOriginRefusal();
    const token = await this.signIn.accessToken(cookieValue(request.headers.cookie, SESSION_COOKIE)).catch((error: unknown) => {
      throw httpErrorOf(error);
    });
    const target = `${this.config.apis[app as ProxiedApp]}${request.url.slice(`/api/${app}`.length)}`;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    for (const name of forwardedRequestHeaders) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const hasBody = request.body !== undefined && request.body !== null && !['GET', 'HEAD'].includes(request.method);
    let answer: Response;
    try {
      answer = await fetch(target, {
        method: request.method,
        headers,
        redirect: 'manual',
        ...(hasBody ? { body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) } : {}),
      });
    } catch {
      throw new HttpException(
        { error: 'unavailable', message: `the ${app} API is not reachable; retry after Retry-After seconds` },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    reply.code(answer.status);
    for (const name of forwardedResponseHeaders) {
      const value = answer.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    await reply.send(answer.body ? Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream) : undefined);
  }
}
