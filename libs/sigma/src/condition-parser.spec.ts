import { ConditionSyntaxError, parseCondition } from './condition-parser';

const syntaxError = (condition: string): string => {
  try {
    parseCondition(condition);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error.message;
    throw error;
  }
  throw new Error(`'${condition}' parsed`);
};

describe(parseCondition.name, () => {
  it('binds not tighter than and, and and tighter than or', () => {
    expect(parseCondition('a or not b and c')).toEqual({
      kind: 'or',
      items: [
        { kind: 'identifier', name: 'a' },
        {
          kind: 'and',
          items: [
            { kind: 'not', item: { kind: 'identifier', name: 'b' } },
            { kind: 'identifier', name: 'c' },
          ],
        },
      ],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parseCondition('(a or b) and c')).toEqual({
      kind: 'and',
      items: [
        {
          kind: 'or',
          items: [
            { kind: 'identifier', name: 'a' },
            { kind: 'identifier', name: 'b' },
          ],
        },
        { kind: 'identifier', name: 'c' },
      ],
    });
  });

  it('reads 1 of and all of, with patterns and them', () => {
    expect(parseCondition('1 of selection_* and not all of them')).toEqual({
      kind: 'and',
      items: [
        { kind: 'of', quantifier: 'one', pattern: 'selection_*' },
        { kind: 'not', item: { kind: 'of', quantifier: 'all', pattern: null } },
      ],
    });
  });

  it('accepts upper-case operators', () => {
    expect(parseCondition('a AND NOT b')).toEqual({
      kind: 'and',
      items: [
        { kind: 'identifier', name: 'a' },
        { kind: 'not', item: { kind: 'identifier', name: 'b' } },
      ],
    });
  });

  it('rejects the legacy aggregation syntax', () => {
    expect(syntaxError('selection | count(TargetUserName) by IpAddress > 3')).toBe(
      "legacy aggregation ('| count() by ...') is not supported; write a correlation rule instead",
    );
  });

  it('rejects quantifiers other than 1 and all', () => {
    expect(syntaxError('2 of selection*')).toBe("only '1 of' and 'all of' are supported, not '2 of'");
  });

  it('rejects an unclosed parenthesis', () => {
    expect(syntaxError('(a or b')).toBe("missing ')' for the '(' at position 1");
  });

  it('rejects a misplaced operator', () => {
    expect(syntaxError('a and or b')).toBe("unexpected 'or' at position 7");
    expect(syntaxError('a b')).toBe("unexpected 'b' at position 3");
  });

  it('rejects a condition that stops early', () => {
    expect(syntaxError('a and')).toBe('the condition ends too early');
  });

  it('rejects an empty condition', () => {
    expect(syntaxError('   ')).toBe('the condition is empty');
  });
});
