import { Document, isMap, isPair, isScalar, isSeq, LineCounter } from 'yaml';

/** A path inside one YAML document: map keys and list indexes, e.g. `['detection', 'selection', 0]`. */
export type DocumentPath = readonly (string | number)[];

/** Where a problem is: the file, which YAML document in it, the path in that document and, when known, the line. */
export interface RuleLocation {
  file: string;
  /** 1-based: multi-document files hold a correlation rule and its base rules. */
  document: number;
  /** Dotted path with list indexes in brackets, e.g. `detection.selection[1].CommandLine|contains`. */
  path: string;
  line?: number;
  column?: number;
}

/** One reason a rule was rejected. Errors are collected, never thrown one at a time. */
export interface RuleError {
  location: RuleLocation;
  message: string;
}

export function formatPath(path: DocumentPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? segment : `.${segment}`;
  }
  return text === '' ? '(document)' : text;
}

/** `file:line:column (document 2) path: message`, the form editors and CI logs link to. */
export function formatRuleError(error: RuleError): string {
  const { file, document, path, line, column } = error.location;
  const position = line === undefined ? file : `${file}:${line}:${column ?? 1}`;
  const doc = document > 1 ? ` (document ${document})` : '';
  return `${position}${doc} ${path}: ${error.message}`;
}

/**
 * The origin of one rule document. It turns document paths into locations with line numbers, so that
 * every later stage (schema, detection compiler, correlation resolver) reports where a problem is.
 */
export class RuleSource {
  constructor(
    readonly file: string,
    readonly document: number,
    private readonly yaml?: Document,
    private readonly lines?: LineCounter,
  ) {}

  locate(path: DocumentPath): RuleLocation {
    const location: RuleLocation = { file: this.file, document: this.document, path: formatPath(path) };
    const offset = this.offsetOf(path);
    if (offset !== undefined && this.lines) {
      const { line, col } = this.lines.linePos(offset);
      location.line = line;
      location.column = col;
    }
    return location;
  }

  error(path: DocumentPath, message: string): RuleError {
    return { location: this.locate(path), message };
  }

  /** The deepest node the path reaches; for a map entry, its key, which is where a reader looks. */
  private offsetOf(path: DocumentPath): number | undefined {
    if (!this.yaml) return undefined;
    let node: unknown = this.yaml.contents;
    let offset = rangeStart(node);
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = node.items[segment];
        offset = rangeStart(node) ?? offset;
      } else {
        break;
      }
    }
    return offset;
  }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}
