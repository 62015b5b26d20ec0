import type { EcsObject } from './ecs-fields';

/**
 * Cisco IOS and IOS XE write every syslog message as `%FACILITY-SEVERITY-MNEMONIC: text`
 * (`%SYS-5-CONFIG_I: Configured from console by admin on vty0`), after their own sequence number
 * and timestamp (`<189>6705: Feb 17 13:40:03.673: %PARSER-5-...`), which the RFC 3164 reader
 * already takes as the header: the `%…` part arrives here as the tag. A facility may have a
 * sub-facility (`%SEC_LOGIN-5-LOGIN_SUCCESS`, `%LINEPROTO-5-UPDOWN`).
 */
const tagPattern = /^%([A-Z][A-Z0-9_]{0,39}(?:-[A-Z][A-Z0-9_]{0,39})?)-([0-7])-([A-Z][A-Z0-9_]{0,59})$/;

/**
 * The archive configuration logger's line for each command a user entered
 * (`archive` / `log config` / `notify syslog`): `User:admin  logged command:no logging console`.
 * These are the device's command accounting as syslog carries it, the lines SigmaHQ's `cisco/aaa`
 * rules are written for (its regression sample for them is one).
 */
const loggedCommandCode = 'PARSER-5-CFGLOG_LOGGEDCMD';
const loggedCommandPattern = /^User:(\S{1,128}) {1,2}logged command:(.*)$/s;

/** Whether a syslog tag is a Cisco IOS message code (`%SYS-5-CONFIG_I`). */
export function isCiscoIosTag(tag: string | undefined): boolean {
  return tag !== undefined && tag.charCodeAt(0) === 0x25 /* % */ && tagPattern.test(tag);
}

/**
 * ECS fields of one Cisco IOS message given its tag (`%FACILITY-SEVERITY-MNEMONIC`) and text, or
 * undefined when the tag is not one. `message` is the whole Cisco message, code included, as the
 * device wrote it: SigmaHQ's Cisco keyword rules search for codes (`%SYS-5-CONFIG_P:`) and text
 * alike. Command-log lines are `cisco.aaa`, every other message `cisco.ios`.
 */
export function extractCiscoIosMessage(tag: string, text: string): EcsObject | undefined {
  const parts = tagPattern.exec(tag);
  if (parts === null) return undefined;
  const [, facility, severity, mnemonic] = parts;
  const code = `${facility}-${severity}-${mnemonic}`;
  const command = code === loggedCommandCode ? loggedCommandPattern.exec(text) : null;
  const event: EcsObject = { module: 'cisco', dataset: command === null ? 'cisco.ios' : 'cisco.aaa', code, severity: Number(severity) };
  const document: EcsObject = {
    event,
    message: `%${code}: ${text}`,
    observer: { vendor: 'Cisco', type: 'network' },
    cisco: { ios: { facility, severity: Number(severity), mnemonic } },
  };
  if (command !== null) {
    event.category = ['configuration'];
    event.type = ['change'];
    event.action = 'command-logged';
    document.user = { name: command[1] };
    (document.cisco as { ios: EcsObject }).ios.command = command[2];
  }
  return document;
}

/**
 * A Cisco IOS message whose code the header reader did not take as the tag: with
 * `service timestamps … show-timezone` the zone (`CET:`) stands where the tag would, and the
 * message is `%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin] …`.
 */
export function extractCiscoIosText(message: string): EcsObject | undefined {
  if (message.charCodeAt(0) !== 0x25 /* % */) return undefined;
  const colon = message.indexOf(': ');
  if (colon === -1 || colon > 160) return undefined;
  return extractCiscoIosMessage(message.slice(0, colon), message.slice(colon + 2));
}
