import { ForbiddenException, HttpException, HttpStatus } from '@nestjs/common';
import { ProviderUnavailableError, SessionError } from '@soc/console-session';

const statusOf = {
  not_signed_in: HttpStatus.UNAUTHORIZED,
  session_expired: HttpStatus.UNAUTHORIZED,
  sign_in_failed: HttpStatus.BAD_REQUEST,
  sign_in_refused: HttpStatus.FORBIDDEN,
};

/** A `SessionError` (or the provider away: 503) as the console answers it: `{ error, message }` with its status; anything else unchanged. */
export function httpErrorOf(error: unknown): unknown {
  if (error instanceof ProviderUnavailableError) return new HttpException({ error: 'unavailable', message: error.message }, HttpStatus.SERVICE_UNAVAILABLE);
  if (!(error instanceof SessionError)) return error;
  return new HttpException({ error: error.code, message: error.message }, statusOf[error.code]);
}

/** The refusal of an unsafe request that did not come from the console's own page. */
export function crossOriginRefusal(): ForbiddenException {
  return new ForbiddenException({
    error: 'cross_origin_request',
    message: "refused: this request changes something and did not come from the console's own page (Origin or Sec-Fetch-Site)",
  });
}
