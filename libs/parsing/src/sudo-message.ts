import type { EcsObject } from './ecs-fields';
import { extractPamMessage, isPamMessage } from './pam-message';

const keyValuePattern = /^([A-Z]+)=(.*)$/s;

/**
 * sudo's command log: `alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls -l`,
 * optionally with a refusal before TTY (`3 incorrect password attempts`, `user NOT in
 * sudoers`). The invoker is `user.name`, the target account `user.effective.name`, and the
 * command sudo runs is `process.command_line` (`process.name` stays `sudo`, the syslog tag).
 */
export function extractSudoMessage(message: string): EcsObject | undefined {
  if (isPamMessage(message)) return extractPamMessage(message);
  const text = message.trimStart();
  const separator = text.indexOf(' : ');
  if (separator <= 0) return undefined;
  const invoker = text.slice(0, separator).trim();
  if (invoker.length === 0 || invoker.includes(' ')) return undefined;
  const segments = text.slice(separator + 3).split(' ; ');
  const values: Record<string, string> = {};
  const reasons: string[] = [];
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index];
    if (segment.startsWith('COMMAND=')) {
      // The command itself may contain ' ; '.
      values.COMMAND = [segment.slice(8), ...segments.slice(index + 1)].join(' ; ');
      break;
    }
    const pair = keyValuePattern.exec(segment);
    if (pair !== null) values[pair[1]] = pair[2];
    else reasons.push(segment.trim());
  }
  if (values.COMMAND === undefined && values.TTY === undefined && values.USER === undefined) return undefined;

  const reason = reasons.join('; ');
  const passwordFailure = /incorrect password attempt/.test(reason);
  const refused = reasons.length > 0;
  const event: EcsObject = {
    module: 'linux',
    dataset: 'linux.sudo',
    category: passwordFailure ? ['authentication', 'process'] : ['process'],
    type: passwordFailure ? ['start'] : refused ? ['denied'] : ['start'],
    outcome: refused ? 'failure' : 'success',
    action: 'sudo_command',
  };
  if (refused) event.reason = reason;
  const user: EcsObject = { name: invoker };
  if (values.USER !== undefined) user.effective = { name: values.USER };
  const document: EcsObject = { event, user };
  const process: EcsObject = {};
  if (values.COMMAND !== undefined) process.command_line = values.COMMAND;
  if (values.PWD !== undefined) process.working_directory = values.PWD;
  if (Object.keys(process).length > 0) document.process = process;
  return document;
}
