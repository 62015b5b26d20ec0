import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ConsoleConfig } from '@soc/config';
import { CONSOLE_CONFIG } from '../console.providers';
import { loadSpaFiles } from './spa-files';

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SOC console</title></head><body><main><h1>SOC console</h1><p>The console's web application is not built: run <code>npm run build</code> (it builds apps/console/web into dist/console-web) and start the console again.</p></main></body></html>`;

/**
 * The single-page application (apps/console/web, docs/CONSOLE.md) at `/`, and its hashed assets at
 * `/assets/<file>`. Signing in, the session and the API proxy stay the server's: the page holds no
 * token and calls only the console's own routes.
 */
@Controller()
export class SpaController {
  private readonly files = loadSpaFiles();
  /**
   * Scripts and styles from the console itself only (none inline), requests to the console only,
   * no framing, no referrer to other sites; the sign-out form may go to the console and, through
   * its redirect, to the provider's end-session endpoint (Chromium holds a form's redirects to
   * `form-action` too).
   */
  private readonly contentSecurityPolicy: string;

  constructor(@Inject(CONSOLE_CONFIG) config: ConsoleConfig) {
    const provider = new URL(config.oidc.issuer).origin;
    this.contentSecurityPolicy = [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "img-src 'self' data:",
      `form-action 'self' ${provider}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; ');
  }

  @Get()
  page(@Res({ passthrough: true }) reply: FastifyReply): string {
    reply
      .code(this.files ? 200 : 503)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', this.contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('cache-control', 'no-store');
    return this.files?.index ?? notBuiltPage;
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const found = this.files?.assets.get(file);
    if (!found) throw new NotFoundException({ error: 'not_found', message: `no asset ${file}` });
    reply
      .header('content-type', found.contentType)
      .header('x-content-type-options', 'nosniff')
      // Vite names each file by its content's hash: a new build is new names.
      .header('cache-control', 'public, max-age=31536000, immutable');
    return found.body;
  }
}
