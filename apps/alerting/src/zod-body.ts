import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';
import { describeZodError } from '@soc/contracts';

/** Parses a body or query at the boundary; a 400 names every failing field. */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown, error: 'invalid_body' | 'invalid_query'): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new BadRequestException({ error, problems: describeZodError(parsed.error) });
  return parsed.data;
}
