import { BadRequestException, ConflictException, HttpException, NotFoundException } from '@nestjs/common';
import { InvalidTransitionError, ReasonRequiredError } from '@soc/alerts';
import { invalidCursor } from '@soc/platform';
import { InvalidCursorError } from '@soc/storage';
import { AlertNotFoundError } from './triage.service';

/** The HTTP answer of a refused change; anything else is rethrown as it is. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof InvalidTransitionError) return new ConflictException({ error: error.code, message: error.message });
  if (error instanceof ReasonRequiredError) return new BadRequestException({ error: error.code, message: error.message });
  // The same answer for "absent" and "another member's": existence is not disclosed.
  if (error instanceof AlertNotFoundError) return new NotFoundException({ error: error.code, message: error.message });
  if (error instanceof InvalidCursorError) return invalidCursor('search_after');
  return error;
}

export async function orHttpError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw toHttpError(error);
  }
}

/** A per-id result of a bulk action: the status code and message the single call would give. */
export function bulkResult(id: string, error?: unknown): { id: string; ok: boolean; status: number; error?: string; message?: string } {
  if (!error) return { id, ok: true, status: 200 };
  const http = toHttpError(error);
  if (http instanceof HttpException) {
    const body = http.getResponse() as { error?: string; message?: string };
    return { id, ok: false, status: http.getStatus(), error: body.error, message: body.message };
  }
  throw error;
}
