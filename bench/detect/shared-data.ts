import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** ../shared/data beside the checkout (compiled to dist/bench/detect, four levels below it). */
export const sharedDataDirectory = join(__dirname, '..', '..', '..', '..', 'shared', 'data');

/** The lines of a shared data file, without the empty last line after a final newline. */
export function readSharedLines(...parts: string[]): string[] {
  const lines = readFileSync(join(sharedDataDirectory, ...parts), 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function readSharedText(...parts: string[]): string {
  return readFileSync(join(sharedDataDirectory, ...parts), 'utf8');
}
