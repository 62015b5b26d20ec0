import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a Compose file the product relies on (the schema check covers the rest). */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean | null>;
  volumes?: string[];
  ports?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; start_period?: string };
  read_only?: boolean;
  cap_drop?: string[];
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function readComposeFile(path: string): ComposeFile {
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

/** `KEY=value` lines of a .env file, comments and blank lines left out. */
export function readEnvFile(path: string): Record<string, string> {
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$\$/g;

/** The variables a value interpolates, with whether Compose requires them (`${X:?…}`) or has a default. */
export function interpolatedVariables(value: string): { name: string; required: boolean; hasDefault: boolean }[] {
  return [...value.matchAll(reference)]
    .filter((m) => m[0] !== '$$')
    .map((m) => ({ name: m[1], required: m[2]?.endsWith('?') ?? false, hasDefault: m[2]?.endsWith('-') ?? false }));
}

/** Compose's interpolation of `${X}`, `${X:-default}`, `${X:?message}` and `$$`, as `docker compose config` does it. */
export function interpolate(value: string, variables: Record<string, string>): string {
  return value.replace(reference, (whole, name: string | undefined, operator: string | undefined, argument: string | undefined) => {
    if (whole === '$$') return '$';
    const set = variables[name as string];
    const empty = set === undefined || (operator?.startsWith(':') && set === '');
    if (operator?.endsWith('?') && empty) throw new Error(`required variable ${name} is missing: ${argument}`);
    if (operator?.endsWith('-') && empty) return argument ?? '';
    return set ?? '';
  });
}
