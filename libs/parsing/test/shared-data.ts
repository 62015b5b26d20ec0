import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inboundEventSchema, type InboundEvent } from '@soc/contracts';

/** Test data shared by all engineers, outside the repository (see ../shared/data/README.md). */
export const sharedDataDirectory = join(__dirname, '../../../../shared/data');

export function sharedDataPath(...parts: string[]): string {
  return join(sharedDataDirectory, ...parts);
}

export function readSharedText(...parts: string[]): string {
  return readFileSync(sharedDataPath(...parts), 'utf8');
}

/** The lines of a file, without the empty last line after a final newline. */
export function readSharedLines(...parts: string[]): string[] {
  const lines = readSharedText(...parts).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Every event a parser produces must satisfy the contract the collector publishes. */
export function schemaIssues(event: InboundEvent): string | undefined {
  const parsed = inboundEventSchema.safeParse(event);
  return parsed.success ? undefined : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

type EventFields = {
  category?: string[];
  type?: string[];
  outcome?: string;
  action?: string;
  dataset?: string;
  module?: string;
};

export function eventFields(event: InboundEvent): EventFields {
  return (event.event ?? {}) as EventFields;
}

/** One failed credential check: category authentication, type start, outcome failure. */
export function isFailedAuthentication(event: InboundEvent): boolean {
  const fields = eventFields(event);
  return (fields.category ?? []).includes('authentication') && (fields.type ?? []).includes('start') && fields.outcome === 'failure';
}

/** The peer an event names: IP, else domain, else the raw address. */
export function sourceHost(event: InboundEvent): string | undefined {
  return event.source?.ip ?? event.source?.domain ?? event.source?.address;
}

/** Renders an instant as the wall-clock time of `timeZone` (`YYYY-MM-DDTHH:MM:SS`). */
export function wallClock(iso: string, timeZone: string): string {
  const parts: Record<string, string> = {};
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const part of formatter.formatToParts(new Date(iso))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}
