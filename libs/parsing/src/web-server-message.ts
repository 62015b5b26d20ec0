import { extractAccessLogFields, type WebServer } from './access-log';
import { extractApacheErrorFields, type WebErrorLogOptions } from './apache-error-log';
import type { EcsObject } from './ecs-fields';
import { extractNginxErrorFields, findNginxErrorStart } from './nginx-error-log';
import { isParseFailure } from './parse-result';

/**
 * A web server's line forwarded through syslog (`apache2: 1.2.3.4 - - [...] "GET ..."`,
 * `httpd[1]: [core:error] ...`, `nginx: 2015/01/21 ... [error] ...`): access or error log,
 * recognised by its shape.
 */
export function extractWebServerMessage(server: WebServer, message: string, options: WebErrorLogOptions): EcsObject {
  if (message.startsWith('[')) {
    const fields = extractApacheErrorFields(message, options);
    if (!isParseFailure(fields)) {
      const event = fields.event as EcsObject;
      event.module = server;
      event.dataset = `${server}.error`;
      return fields;
    }
  }
  const nginxStart = findNginxErrorStart(message);
  if (nginxStart !== -1) {
    const fields = extractNginxErrorFields(message.slice(nginxStart), options);
    if (!isParseFailure(fields)) {
      const event = fields.event as EcsObject;
      event.module = server;
      event.dataset = `${server}.error`;
      return fields;
    }
  }
  const access = extractAccessLogFields(message);
  if (!isParseFailure(access)) {
    const event = access.event as EcsObject;
    event.module = server;
    event.dataset = `${server}.access`;
    return access;
  }
  // Anything else a web server logs through syslog comes from its error log.
  return { event: { module: server, dataset: `${server}.error` } };
}
