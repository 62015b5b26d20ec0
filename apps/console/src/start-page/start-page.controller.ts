import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ConsoleConfig } from '@soc/config';
import { CONSOLE_CONFIG } from '../console.providers';
import { startPageHtml } from './start-page.html';
import { startPageScript } from './start-page.script';

/** The start page and its script (the seed issue 17's single-page application replaces). */
@Controller()
export class StartPageController {
  /**
   * Scripts from the console itself only, no framing, no referrer to other sites; the sign-out form may go to the
   * console and, through its redirect, to the provider's end-session endpoint (Chromium holds
   * redirects of a form to `form-action` too).
   */
  private readonly contentSecurityPolicy: string;

  constructor(@Inject(CONSOLE_CONFIG) config: ConsoleConfig) {
    const provider = new URL(config.oidc.issuer).origin;
    this.contentSecurityPolicy = `default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'self' ${provider}; frame-ancestors 'none'; base-uri 'none'`;
  }

  @Get()
  page(@Res({ passthrough: true }) reply: FastifyReply): string {
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', this.contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin')
      .header('cache-control', 'no-store');
    return startPageHtml;
  }

  @Get('start-page.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  script(): string {
    return startPageScript;
  }
}
