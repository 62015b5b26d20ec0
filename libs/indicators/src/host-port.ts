/** A host (IP address or name) with the port a feed wrote after it, if any. */
export interface HostPort {
  readonly host: string;
  readonly port?: number;
}

/** Why a port could not be read: the text names the port as written. */
export class PortRejection {
  constructor(readonly reason: string) {}
}

/**
 * Splits `host:port` as feeds write C2 endpoints (`1.2.3.4:8080`, `[2001:db8::1]:443`,
 * `evil.example:8443`). An IPv6 address without brackets is never split: in `2001:db8::1:80`
 * the last group is part of the address, so a port needs the bracketed form. Brackets around a
 * bare IPv6 address (`[2001:db8::1]`) are dropped.
 */
export function splitHostPort(text: string): HostPort | PortRejection {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return new PortRejection(`'${text}' has no closing ']'`);
    const host = text.slice(1, close);
    const rest = text.slice(close + 1);
    if (rest === '') return { host };
    if (!rest.startsWith(':')) return new PortRejection(`'${text}' has '${rest}' after ']' where ':<port>' belongs`);
    return withPort(text, host, rest.slice(1));
  }
  const colon = text.indexOf(':');
  // No colon, or more than one (an IPv6 address): nothing to split.
  if (colon < 0 || text.indexOf(':', colon + 1) >= 0) return { host: text };
  return withPort(text, text.slice(0, colon), text.slice(colon + 1));
}

function withPort(text: string, host: string, portText: string): HostPort | PortRejection {
  if (!/^\d{1,5}$/.test(portText)) return new PortRejection(`the port '${portText}' in '${text}' is not a number`);
  const port = Number(portText);
  if (port > 65535) return new PortRejection(`the port ${port} in '${text}' is above 65535`);
  return { host, port };
}
