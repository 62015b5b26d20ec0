import { z } from 'zod';

/** One precise problem: where in the input, and why. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** Turns a zod error into `{ path, message }` pairs naming each failing field. */
export function describeZodError(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.') || '(root)',
    message: issue.message,
  }));
}
