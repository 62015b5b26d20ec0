import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StructuredLogger } from '@soc/platform';
import { clearedCookieHeader, ConsoleSignIn, SessionError, cookieHeader, cookieValue, pendingSignInSeconds, type SignedInUser } from '@soc/console-session';
import type { ConsoleConfig } from '@soc/config';
import { CONSOLE_CONFIG, SESSION_COOKIE, SIGN_IN_COOKIE } from './console.providers';
import { isSameOriginRequest } from './same-origin';
import { crossOriginRefusal, httpErrorOf } from './session-errors';

const callbackPath = '/auth/callback';

/** Sign-in, who is signed in, and sign-out (docs/AUTH.md, "Console sign-in"). */
@Controller('auth')
export class AuthController {
  private readonly log = new StructuredLogger(AuthController.name);

  constructor(
    private readonly signIn: ConsoleSignIn,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  /** Sends the browser to the provider's sign-in, holding the sign-in's id in a cookie only the callback path receives. */
  @Get('login')
  async login(@Res() reply: FastifyReply): Promise<void> {
    const { url, signInId } = await this.signIn.begin().catch((error: unknown) => {
      throw httpErrorOf(error);
    });
    await reply
      .header('set-cookie', cookieHeader(SIGN_IN_COOKIE, signInId, { path: callbackPath, maxAgeSeconds: pendingSignInSeconds }))
      .header('cache-control', 'no-store')
      .redirect(url, 302);
  }

  /** The provider's redirect back: code exchanged, tokens verified, session created, browser sent to the start page. */
  @Get('callback')
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
    const signInId = cookieValue(request.headers.cookie, SIGN_IN_COOKIE);
    reply.header('cache-control', 'no-store');
    let sessionId: string;
    try {
      const signedIn = await this.signIn.complete(signInId, query);
      sessionId = signedIn.sessionId;
      const { sub, role, member_id } = signedIn.user;
      this.log.info({ sub, role, member_id }, 'signed in');
    } catch (error) {
      if (error instanceof SessionError) this.log.warn({ reason: error.code, detail: error.message }, 'sign-in refused');
      reply.header('set-cookie', clearedCookieHeader(SIGN_IN_COOKIE, callbackPath));
      throw httpErrorOf(error);
    }
    await reply
      .header('set-cookie', [clearedCookieHeader(SIGN_IN_COOKIE, callbackPath), cookieHeader(SESSION_COOKIE, sessionId, { path: '/' })])
      .redirect('/', 302);
  }

  /** Who is signed in, from the provider's verified token: name, role, member id. */
  @Get('me')
  async me(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SignedInUser> {
    reply.header('cache-control', 'no-store');
    return this.signIn.user(cookieValue(request.headers.cookie, SESSION_COOKIE)).catch((error: unknown) => {
      throw httpErrorOf(error);
    });
  }

  /**
   * Ends the console's session and then the provider's: the browser is sent to the provider's
   * end-session endpoint with `id_token_hint`, which returns it to the start page. Only from the
   * console's own page (a cross-site form cannot sign someone out).
   */
  @Post('logout')
  @HttpCode(303)
  async logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!isSameOriginRequest(request.headers, new URL(this.config.publicUrl).origin)) throw crossOriginRefusal();
    const endSessionUrl = await this.signIn.end(cookieValue(request.headers.cookie, SESSION_COOKIE)).catch((error: unknown) => {
      throw httpErrorOf(error);
    });
    await reply
      .header('set-cookie', clearedCookieHeader(SESSION_COOKIE, '/'))
      .header('cache-control', 'no-store')
      .redirect(endSessionUrl ?? '/', 303);
  }
}
