import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';
import { describeZodError } from '@soc/contracts';

/** Which part of the request failed its schema: the error code of the 400. */
export type RequestPart = 'invalid_body' | 'invalid_query' | 'invalid_path';

/**
 * Parses a body, query or path parameters at the boundary with the route's zod schema; a 400
 * names every failing field (`problems`) and the first in `message`.
 */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown, error: RequestPart): z.output<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const problems = describeZodError(parsed.error);
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new BadRequestException({ error, message: `${problems[0]!.path}: ${problems[0]!.message}${more}`, problems });
  }
  return parsed.data;
}

/** A cursor the server did not hand out (or one of another shape): 400 `invalid_cursor` naming the parameter. */
export function invalidCursor(parameter: string, message = 'not a cursor returned as next_cursor'): BadRequestException {
  return new BadRequestException({ error: 'invalid_cursor', message: `${parameter}: ${message}`, parameter });
}
