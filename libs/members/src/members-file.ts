import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { membersFileSchema, type MembersFile } from './member.schema';

/** Reads and validates a members file (YAML or JSON), naming each bad field with its path. */
export function loadMembersFile(path: string): MembersFile {
  const document: unknown = parseYaml(readFileSync(path, 'utf8'));
  const result = membersFileSchema.safeParse(document ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${path}: invalid members file\n  - ${problems.join('\n  - ')}`);
  }
  return result.data;
}
