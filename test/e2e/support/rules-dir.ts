import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const failedSshLoginRuleId = '5b0f3c4e-2f57-4b8e-9d55-4b7f8f0f7a11';

/** A one-event rule, so every member's failed logins make one alert whose count the test knows. */
export const failedSshLoginRule = `
title: Failed SSH login
id: ${failedSshLoginRuleId}
status: test
level: low
author: Municipal SOC e2e
logsource: { product: linux, service: sshd }
detection:
  selection:
    event.outcome: failure
  condition: selection
`;

/** A temporary RULES_DIR holding the given rule files; `remove()` deletes it. */
export function rulesDir(files: Record<string, string>): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'rules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
