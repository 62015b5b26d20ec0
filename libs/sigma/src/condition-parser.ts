/**
 * Sigma detection conditions: `and`, `or`, `not`, parentheses, `1 of pattern`, `all of pattern`,
 * `1 of them`, `all of them`. Precedence, loosest first: or, and, not, x of, parentheses.
 * The legacy aggregation syntax (`| count() by x > 5`, `near`) is rejected: correlation rules
 * replaced it.
 */
export type ConditionNode =
  | { kind: 'and'; items: ConditionNode[] }
  | { kind: 'or'; items: ConditionNode[] }
  | { kind: 'not'; item: ConditionNode }
  | { kind: 'identifier'; name: string }
  | { kind: 'of'; quantifier: 'one' | 'all'; pattern: string | null };

export class ConditionSyntaxError extends Error {}

interface Token {
  text: string;
  position: number;
}

export function parseCondition(condition: string): ConditionNode {
  const tokens = tokenize(condition);
  if (tokens.length === 0) throw new ConditionSyntaxError('the condition is empty');
  const parser = new Parser(tokens);
  const node = parser.expression();
  parser.expectEnd();
  return node;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\(|\)|\||[^\s()|]+/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0] === '|') {
      throw new ConditionSyntaxError("legacy aggregation ('| count() by ...') is not supported; write a correlation rule instead");
    }
    tokens.push({ text: match[0], position: match.index ?? 0 });
  }
  return tokens;
}

const keywords = new Set(['and', 'or', 'not', 'of', 'them']);

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  expression(): ConditionNode {
    const items = [this.conjunction()];
    while (this.acceptWord('or')) items.push(this.conjunction());
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  expectEnd(): void {
    const token = this.tokens[this.index];
    if (token) throw this.unexpected(token);
  }

  private conjunction(): ConditionNode {
    const items = [this.negation()];
    while (this.acceptWord('and')) items.push(this.negation());
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private negation(): ConditionNode {
    if (this.acceptWord('not')) return { kind: 'not', item: this.negation() };
    return this.primary();
  }

  private primary(): ConditionNode {
    const token = this.next();
    if (token.text === '(') {
      const inner = this.expression();
      const close = this.tokens[this.index];
      if (close?.text !== ')') throw new ConditionSyntaxError(`missing ')' for the '(' at position ${token.position + 1}`);
      this.index++;
      return inner;
    }
    const word = token.text.toLowerCase();
    if (this.peekWord() === 'of') {
      this.index++;
      if (word !== '1' && word !== 'all') {
        throw new ConditionSyntaxError(`only '1 of' and 'all of' are supported, not '${token.text} of'`);
      }
      const target = this.next();
      if (target.text === '(' || target.text === ')' || (keywords.has(target.text.toLowerCase()) && target.text.toLowerCase() !== 'them')) {
        throw this.unexpected(target);
      }
      return { kind: 'of', quantifier: word === '1' ? 'one' : 'all', pattern: target.text.toLowerCase() === 'them' ? null : target.text };
    }
    if (token.text === ')' || keywords.has(word)) throw this.unexpected(token);
    return { kind: 'identifier', name: token.text };
  }

  private next(): Token {
    const token = this.tokens[this.index++];
    if (!token) throw new ConditionSyntaxError('the condition ends too early');
    return token;
  }

  private peekWord(): string | undefined {
    return this.tokens[this.index]?.text.toLowerCase();
  }

  private acceptWord(word: string): boolean {
    if (this.peekWord() !== word) return false;
    this.index++;
    return true;
  }

  private unexpected(token: Token): ConditionSyntaxError {
    return new ConditionSyntaxError(`unexpected '${token.text}' at position ${token.position + 1}`);
  }
}
