import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every `.yml`/`.yaml` file under the rules folder, named relative to it (for error locations). */
export function readRuleFiles(dir: string): Array<{ name: string; text: string }> {
  const files: Array<{ name: string; text: string }> = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) files.push({ name: relative(dir, path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(dir);
  return files.sort((a, b) => a.name.localeCompare(b.name));
}
