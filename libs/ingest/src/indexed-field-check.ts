import { z } from 'zod';
import { indexedEventFields, type FieldProblem, type IndexedField } from '@soc/contracts';

interface FieldNode {
  field?: IndexedField;
  children: Map<string, FieldNode>;
}

/** A flattened field's own depth_limit in Elasticsearch: object levels, the field's own object included. */
const flattenedDepthLimit = 20;
const integerRange = { min: -2_147_483_648, max: 2_147_483_647 };
// Doubles cannot hold ±(2^63 - 1): the open bound refuses whatever JSON would carry as 2^63.
const longBound = 9_223_372_036_854_775_808;
const numericText = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
// zod's own patterns, as the event contract uses them; the regular expressions first, because a
// safeParse per value cost more than the rest of the check (forms like ::ffff:192.0.2.1 fall through).
const ipv4 = z.regexes.ipv4;
const ipv6 = z.regexes.ipv6;
const ip = z.union([z.ipv4(), z.ipv6()]);
const isoDateTime = z.regexes.datetime({ offset: true, local: false, precision: null });
const fractionDigits = /\.(\d+)/;

function isIp(value: unknown): boolean {
  return typeof value === 'string' && (ipv4.test(value) || ipv6.test(value) || ip.safeParse(value).success);
}

/**
 * Checks every mapped field of a canonical event (`canonicaliseEvent`) the way Elasticsearch
 * will parse it, from the same table the mapping is derived from (`indexedEventFields`), so an
 * accepted event cannot be refused by the index for its shape. Each problem names the field
 * and why. Where Elasticsearch is lenient in ways no sender needs (epoch-millisecond dates,
 * IPv6 zone ids) this is stricter; it is never more lenient.
 */
export function checkIndexedFields(event: Record<string, unknown>, tree: FieldNode = eventFieldTree): FieldProblem[] {
  const problems: FieldProblem[] = [];
  checkObject(event, tree, '', problems);
  return problems;
}

/** The table as a tree of path segments, built once. */
export function fieldTree(fields: Readonly<Record<string, IndexedField>>): FieldNode {
  const root: FieldNode = { children: new Map() };
  for (const [path, field] of Object.entries(fields)) {
    let node = root;
    for (const segment of path.split('.')) {
      let child = node.children.get(segment);
      if (!child) node.children.set(segment, (child = { children: new Map() }));
      node = child;
    }
    node.field = field;
  }
  return root;
}

const eventFieldTree = fieldTree(indexedEventFields);

function checkObject(object: Record<string, unknown>, node: FieldNode, path: string, problems: FieldProblem[]): void {
  for (const key of Object.keys(object)) {
    const child = node.children.get(key);
    if (child) checkValue(object[key], child, path === '' ? key : `${path}.${key}`, problems);
  }
}

function checkValue(value: unknown, node: FieldNode, path: string, problems: FieldProblem[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // Elasticsearch indexes each element (of nested arrays too) as a value of the same field.
    for (const element of value) checkValue(element, node, path, problems);
    return;
  }
  if (!node.field) {
    if (isPlainObject(value)) checkObject(value, node, path, problems);
    else problems.push({ path, message: `must be an object (fields are mapped below it), got ${describe(value)}` });
    return;
  }
  const problem = leafProblem(value, node.field);
  if (problem) problems.push({ path, message: problem });
}

function leafProblem(value: unknown, field: IndexedField): string | undefined {
  switch (field.type) {
    case 'keyword':
    case 'text':
      return isScalar(value) ? undefined : `must be a string, number or boolean (a ${field.type} field), got ${describe(value)}`;
    case 'ip':
      return isIp(value) ? undefined : `must be an IPv4 or IPv6 address, got ${describe(value)}`;
    case 'integer':
      return numberProblem(value, integerRange.min, integerRange.max, 'integer');
    case 'long':
      return numberProblem(value, -longBound, longBound, 'long');
    case 'date':
      return isDate(value) ? undefined : `must be an ISO 8601 date-time with an offset (at most 9 fraction digits), got ${describe(value)}`;
    case 'flattened':
      if (!isPlainObject(value)) return `must be an object (a flattened field), got ${describe(value)}`;
      return objectDepth(value, 1) > flattenedDepthLimit ? `is nested more than ${flattenedDepthLimit} levels deep (a flattened field's limit)` : undefined;
  }
}

/** Numbers and numeric text as Elasticsearch coerces them (a fraction is truncated), within range. */
function numberProblem(value: unknown, min: number, max: number, type: string): string | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && numericText.test(value) ? Number(value) : Number.NaN;
  const inRange = type === 'long' ? number > min && number < max : number >= min && number <= max;
  return Number.isFinite(number) && inRange ? undefined : `must be a number of type ${type} (${min} to ${max}), got ${describe(value)}`;
}

function isDate(value: unknown): boolean {
  if (typeof value !== 'string' || !isoDateTime.test(value)) return false;
  const fraction = fractionDigits.exec(value);
  return fraction === null || fraction[1].length <= 9;
}

function objectDepth(value: unknown, depth: number): number {
  if (Array.isArray(value)) return value.reduce<number>((deepest, element) => Math.max(deepest, objectDepth(element, depth)), depth);
  if (!isPlainObject(value)) return depth;
  let deepest = depth;
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) deepest = Math.max(deepest, objectDepth(inner, isPlainObject(inner) ? depth + 1 : depth));
  }
  return deepest;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (isPlainObject(value)) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}
