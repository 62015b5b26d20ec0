import { parseStixPattern, type StixPatternParse } from './stix-pattern';

const comparisons = (result: StixPatternParse) => {
  if (!result.ok) throw new Error(`expected success, got: ${result.reason}`);
  return result.comparisons.map((c) => [c.objectType, c.property.join('.'), c.value]);
};
const reason = (result: StixPatternParse): string => {
  if (result.ok) throw new Error('expected the pattern to be refused');
  return result.reason;
};

describe('parseStixPattern', () => {
  it('reads a single comparison, with or without inner spaces', () => {
    expect(comparisons(parseStixPattern("[ipv4-addr:value = '192.0.2.1']"))).toEqual([['ipv4-addr', 'value', '192.0.2.1']]);
    expect(comparisons(parseStixPattern("[ ipv4-addr:value='10.0.0.0' ]"))).toEqual([['ipv4-addr', 'value', '10.0.0.0']]);
  });

  it('reads quoted property names', () => {
    expect(comparisons(parseStixPattern("[file:hashes.'SHA-256' = 'abc']"))).toEqual([['file', 'hashes.SHA-256', 'abc']]);
    expect(comparisons(parseStixPattern("[file:hashes.MD5 = 'abc']"))).toEqual([['file', 'hashes.MD5', 'abc']]);
  });

  it('reads OR inside one observation, between observations, and in parentheses', () => {
    const expected = [
      ['domain-name', 'value', 'a.example'],
      ['ipv4-addr', 'value', '192.0.2.1'],
    ];
    expect(comparisons(parseStixPattern("[domain-name:value = 'a.example' OR ipv4-addr:value = '192.0.2.1']"))).toEqual(expected);
    expect(comparisons(parseStixPattern("[domain-name:value = 'a.example'] OR [ipv4-addr:value = '192.0.2.1']"))).toEqual(expected);
    expect(comparisons(parseStixPattern("([domain-name:value = 'a.example'] OR ([ipv4-addr:value = '192.0.2.1']))"))).toEqual(expected);
    expect(comparisons(parseStixPattern("[(domain-name:value = 'a.example') OR (ipv4-addr:value = '192.0.2.1')]"))).toEqual(expected);
  });

  it("unescapes \\' and \\\\ in string literals", () => {
    expect(comparisons(parseStixPattern("[url:value = 'http://a.example/it\\'s\\\\x']"))).toEqual([['url', 'value', "http://a.example/it's\\x"]]);
  });

  it('refuses AND between comparisons', () => {
    expect(reason(parseStixPattern("[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c']"))).toBe(
      "unsupported comparison operator 'AND': only OR of equality comparisons can be indexed",
    );
  });

  it.each(['AND', 'FOLLOWEDBY'])('refuses %s between observations', (operator) => {
    expect(reason(parseStixPattern(`[ipv4-addr:value = '192.0.2.1'] ${operator} [domain-name:value = 'a.example']`))).toBe(
      `unsupported observation operator '${operator}': only OR of observations can be indexed`,
    );
  });

  it.each([
    ['WITHIN', "[ipv4-addr:value = '192.0.2.1'] WITHIN 300 SECONDS"],
    ['REPEATS', "[ipv4-addr:value = '192.0.2.1'] REPEATS 5 TIMES"],
    ['START', "[ipv4-addr:value = '192.0.2.1'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'"],
  ])('refuses the %s qualifier', (qualifier, pattern) => {
    expect(reason(parseStixPattern(pattern))).toBe(`unsupported qualifier '${qualifier}': windowed observations cannot be indexed as values`);
  });

  it.each(['MATCHES', 'LIKE', 'IN', 'ISSUBSET', 'ISSUPERSET'])('refuses the %s operator', (operator) => {
    expect(reason(parseStixPattern(`[email-message:subject ${operator} '^x']`))).toBe(
      `unsupported comparison operator '${operator}' on 'email-message:subject': only '=' can be indexed`,
    );
  });

  it.each(['!=', '<', '>', '<=', '>='])('refuses the %s operator', (operator) => {
    expect(reason(parseStixPattern(`[network-traffic:dst_port ${operator} '443']`))).toBe(
      `unsupported comparison operator '${operator}' on 'network-traffic:dst_port': only '=' can be indexed`,
    );
  });

  it('refuses NOT', () => {
    expect(reason(parseStixPattern("[ipv4-addr:value NOT = '192.0.2.1']"))).toBe("unsupported negation 'NOT' in comparison on 'ipv4-addr:value'");
  });

  it('refuses EXISTS', () => {
    expect(reason(parseStixPattern('[EXISTS windows-registry-key:values]'))).toBe("unsupported operator 'EXISTS': it tests presence, not a value");
  });

  it('refuses a value that is not a quoted string', () => {
    expect(reason(parseStixPattern('[network-traffic:dst_port = 443]'))).toBe(
      "unsupported value for 'network-traffic:dst_port': only a quoted string can be indexed, found '443]'",
    );
  });

  it('reports syntax errors with their offset', () => {
    expect(reason(parseStixPattern("ipv4-addr:value = '1.2.3.4'"))).toBe(
      "pattern syntax error at offset 0: expected '[' or '(' but found 'ipv4-addr:value = '1.2.3.4''",
    );
    expect(reason(parseStixPattern("[ipv4-addr:value = '1.2.3.4'"))).toBe("pattern syntax error at offset 28: expected ']' but found the end");
    expect(reason(parseStixPattern("[ipv4-addr:value = '1.2.3.4]"))).toBe('pattern syntax error at offset 19: unterminated string literal');
    expect(reason(parseStixPattern("[ipv4-addr:value = 'a\\n']"))).toBe("pattern syntax error at offset 21: invalid escape '\\n' in string literal");
    expect(reason(parseStixPattern("[ipv4-addr = '1.2.3.4']"))).toBe("pattern syntax error at offset 10: expected ':' after object type 'ipv4-addr'");
    expect(reason(parseStixPattern("[ipv4-addr:value ~ '1.2.3.4']"))).toBe(
      "pattern syntax error at offset 17: expected a comparison operator after 'ipv4-addr:value'",
    );
    expect(reason(parseStixPattern("[:value = '1.2.3.4']"))).toBe("pattern syntax error at offset 1: expected an object path such as 'ipv4-addr:value'");
    expect(reason(parseStixPattern("[file:hashes. = 'x']"))).toBe('pattern syntax error at offset 13: expected a property name');
    expect(reason(parseStixPattern("[file:parent_ref[x] = 'y']"))).toBe('pattern syntax error at offset 16: expected a list index such as [0] or [*]');
    expect(reason(parseStixPattern("[ipv4-addr:value = '1.2.3.4'] garbage"))).toBe("pattern syntax error at offset 30: unexpected 'garbage'");
  });
});
