import { formatUtcTimestamp } from './calendar';
import type { EcsObject } from './ecs-fields';
import { normaliseIp } from './network-address';
import { urlFieldsFromTarget } from './url-fields';

/**
 * Drupal's watchdog through its core syslog module, whose default format is
 * `!base_url|!timestamp|!type|!ip|!request_uri|!referer|!uid|!link|!message`:
 * `https://example.com|1430068525|user|1.2.3.4|https://example.com/?q=user|...|0||Login attempt failed for drupaladmin.`
 * The syslog tag is the site's identity (`drupal` by default, often the site name), so the
 * message is recognised by its shape, not its tag.
 *
 * The request URI and referer are the client's and may hold `|` themselves (fail2ban gh-2742:
 * `...?test=|&test2=|0||Login attempt failed for tester|2||Session revisited for drupaladmin.`),
 * so the first four fields are read from the left and uid, link and message from the right;
 * whatever lies between is the URI and referer. A message with a `|` of its own is thus misread
 * (as fail2ban does): at worst it is not taken for a login failure.
 */

const headPattern = /^(https?:\/\/[^|\s]{1,2048})\|(\d{9,11})\|([^|]{0,64})\|([0-9A-Fa-f.:]{2,45})\|/;
const tailPattern = /\|(\d{1,10})\|([^|]*)\|([^|]*)$/;

/**
 * Watchdog messages of the `user` type, as Drupal 7 to 11 write them: `Login attempt failed for
 * %user.` (Drupal 8+: for an existing account), `Login attempt failed from %ip.` (no such
 * account; fail2ban's test logs also have a user name there), `Session opened for %name.`
 */
const loginFailedPattern = /^Login attempt failed (for|from) (.+)\.$/;
const sessionOpenedPattern = /^Session opened for (.+)\.$/;
const sessionClosedPattern = /^Session closed for (.+)\.$/;

/** True when `message` is a Drupal watchdog record (cheap test before `extractDrupalWatchdog`). */
export function looksLikeDrupalWatchdog(message: string): boolean {
  return headPattern.test(message) && tailPattern.test(message);
}

/** ECS fields of one Drupal watchdog record, or undefined when `message` is not one. */
export function extractDrupalWatchdog(message: string): EcsObject | undefined {
  const head = headPattern.exec(message);
  if (head === null) return undefined;
  const rest = message.slice(head[0].length);
  const tail = tailPattern.exec(rest);
  if (tail === null) return undefined;
  const [, baseUrl, epochSeconds, type, address] = head;
  const [, uid, link, text] = tail;
  const ip = normaliseIp(address);
  if (ip === undefined) return undefined;

  const drupal: EcsObject = { base_url: baseUrl, type, uid: Number(uid) };
  if (link.length > 0) drupal.link = link;
  const event: EcsObject = { module: 'drupal', dataset: 'linux.drupal', kind: 'event' };
  const document: EcsObject = {};
  const timestamp = formatUtcTimestamp(Number(epochSeconds) * 1000);
  if (timestamp !== undefined) document['@timestamp'] = timestamp;
  document.event = event;
  document.source = { address, ip };
  // `request_uri|referer`: split at the first `|` that starts a URL, else at the first `|`.
  const between = rest.slice(0, tail.index);
  const split = between.search(/\|(?:https?:\/\/|$)/);
  const requestUri = split === -1 ? between : between.slice(0, split);
  const referrer = split === -1 ? '' : between.slice(split + 1);
  if (requestUri.length > 0) document.url = urlFieldsFromTarget(requestUri);
  if (referrer.length > 0) document.http = { request: { referrer } };
  document.drupal = drupal;
  document.message = text;

  if (type === 'user') categoriseUserMessage(text, Number(uid), ip, document, event);
  return document;
}

function categoriseUserMessage(text: string, uid: number, ip: string, document: EcsObject, event: EcsObject): void {
  const failed = loginFailedPattern.exec(text);
  if (failed !== null) {
    event.category = ['authentication', 'web'];
    event.type = ['start'];
    event.outcome = 'failure';
    event.action = 'drupal_login_failed';
    const named = failed[2];
    // `from %ip` names the client, not an account.
    if (!(failed[1] === 'from' && normaliseIp(named) === ip)) document.user = { name: named };
    return;
  }
  const opened = sessionOpenedPattern.exec(text);
  if (opened !== null) {
    event.category = ['authentication', 'session', 'web'];
    event.type = ['start'];
    event.outcome = 'success';
    event.action = 'drupal_login';
    document.user = { name: opened[1], id: String(uid) };
    return;
  }
  const closed = sessionClosedPattern.exec(text);
  if (closed !== null) {
    event.category = ['session', 'web'];
    event.type = ['end'];
    event.action = 'drupal_logout';
    document.user = { name: closed[1], id: String(uid) };
  }
}
