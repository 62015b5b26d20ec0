import type { EcsObject } from './ecs-fields';
import { extractPamMessage, isPamMessage } from './pam-message';

/**
 * su(1): `Successful su for root by alice`, `FAILED su for root by alice`, and the older
 * `+ /dev/pts/1 alice:root` / `- /dev/pts/1 alice:root`. The person running su is `user.name`,
 * the account switched to is `user.effective.name`. shadow-utils logs both forms for one su, so
 * the short form is `type: info`: only the long form counts as an authentication attempt.
 */
export function extractSuMessage(message: string): EcsObject | undefined {
  if (isPamMessage(message)) return extractPamMessage(message);
  let success: boolean;
  let invoker: string;
  let target: string;
  let attempt = true;
  const modern = /^(Successful|FAILED) su for (\S+) by (\S+)$/.exec(message);
  const legacy = /^([+-]) \S+ ([^:\s]+):(\S+)$/.exec(message);
  if (modern !== null) {
    success = modern[1] === 'Successful';
    target = modern[2];
    invoker = modern[3];
  } else if (legacy !== null) {
    success = legacy[1] === '+';
    invoker = legacy[2];
    target = legacy[3];
    attempt = false;
  } else {
    return undefined;
  }
  return {
    event: {
      module: 'linux',
      dataset: 'linux.auth',
      category: ['authentication'],
      type: attempt ? ['start'] : ['info'],
      outcome: success ? 'success' : 'failure',
      action: 'su',
    },
    user: { name: invoker, effective: { name: target } },
  };
}
