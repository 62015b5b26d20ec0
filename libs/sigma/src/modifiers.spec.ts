import { base64OffsetFragments, leadingRegexOptions, parseFieldKey, transformValue, windashVariants } from './modifiers';
import { SigmaString } from './sigma-string';

const errorOf = (key: string): string | undefined => {
  const parsed = parseFieldKey(key);
  return 'error' in parsed ? parsed.error : undefined;
};

describe(parseFieldKey.name, () => {
  it('splits the field name from its modifiers, in order', () => {
    const parsed = parseFieldKey('CommandLine|wide|base64offset|contains');
    expect(parsed).toEqual({
      chain: {
        field: 'CommandLine',
        modifiers: ['wide', 'base64offset', 'contains'],
        all: false,
        cased: false,
        type: undefined,
        regexFlags: '',
        transforms: ['wide', 'base64offset', 'contains'],
      },
    });
  });

  it('reads re sub-modifiers as regular expression flags', () => {
    expect(parseFieldKey('CommandLine|re|i|s')).toMatchObject({ chain: { type: 're', regexFlags: 'is' } });
  });

  it('reads a key without a field name as a keyword search', () => {
    expect(parseFieldKey('|all')).toMatchObject({ chain: { field: '', all: true } });
  });

  it('rejects an unknown modifier', () => {
    expect(errorOf('CommandLine|containz')).toBe("unknown modifier 'containz'");
  });

  it('rejects a specified modifier it cannot evaluate exactly', () => {
    expect(errorOf('Workstation|expand')).toBe("modifier 'expand' is not supported: placeholders need a lookup the engine does not have");
    expect(errorOf('UtcTime|hour')).toBe("modifier 'hour' is not supported: time-part modifiers are not supported");
    expect(errorOf('Status|neq')).toBe("modifier 'neq' is not supported: not supported yet");
  });

  it('rejects a modifier given twice', () => {
    expect(errorOf('CommandLine|contains|contains')).toBe("modifier 'contains' is given twice");
  });

  it('rejects modifiers that contradict each other', () => {
    expect(errorOf('IpAddress|re|cidr')).toBe("modifiers 're' and 'cidr' cannot be combined");
    expect(errorOf('Image|startswith|endswith')).toBe("modifiers 'startswith' and 'endswith' cannot be combined");
    expect(errorOf('CommandLine|base64|base64offset|contains')).toBe("modifiers 'base64' and 'base64offset' cannot be combined");
    expect(errorOf('CommandLine|re|contains')).toBe("modifiers 're' and 'contains' cannot be combined");
    expect(errorOf('CommandLine|re|cased')).toBe("modifiers 're' and 'cased' cannot be combined");
    expect(errorOf('IpAddress|cidr|all')).toBe("modifiers 'cidr' and 'all' cannot be combined");
  });

  it('rejects a regular expression flag without re', () => {
    expect(errorOf('CommandLine|contains|i')).toBe("regular expression flag 'i' needs the 're' modifier");
  });

  it('rejects a UTF-16 encoding that is not Base64-encoded next', () => {
    expect(errorOf('CommandLine|wide|contains')).toBe("'wide' must be followed by base64 or base64offset");
  });

  it('rejects base64offset without contains', () => {
    expect(errorOf('CommandLine|base64offset')).toBe("'base64offset' must be followed by contains: its values are fragments of a longer Base64 text");
  });
});

describe(transformValue.name, () => {
  it('places wildcards for contains, startswith and endswith', () => {
    const [contains] = (transformValue(SigmaString.parse('x'), ['contains']) as { values: SigmaString[] }).values;
    expect(contains.parts).toHaveLength(3);
    const [starts] = (transformValue(SigmaString.parse('x*'), ['startswith']) as { values: SigmaString[] }).values;
    expect(starts.parts).toHaveLength(2);
  });

  it('rejects a windash value with too many flags', () => {
    expect(transformValue(SigmaString.parse('-a -b -c -d -e'), ['windash'])).toEqual({
      error: 'windash would expand this value into 3125 variants (at most 625)',
    });
  });
});

describe(base64OffsetFragments.name, () => {
  it('gives fragments found in the Base64 of the value after any prefix and before any suffix', () => {
    const value = Buffer.from('Invoke-Mimikatz');
    const fragments = base64OffsetFragments(value);
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd', 'abcde']) {
      for (const suffix of ['', 'z', 'zy', 'zyx']) {
        const encoded = Buffer.concat([Buffer.from(prefix), value, Buffer.from(suffix)]).toString('base64');
        expect(fragments[prefix.length % 3].length).toBeGreaterThan(10);
        expect(encoded).toContain(fragments[prefix.length % 3]);
      }
    }
  });
});

describe(windashVariants.name, () => {
  it('varies dashes that start a flag, not dashes inside words', () => {
    const texts = windashVariants(SigmaString.parse('Set-Item -Force')).map((v) => v.plain);
    expect(texts).toEqual(['Set-Item -Force', 'Set-Item /Force', 'Set-Item \u2013Force', 'Set-Item \u2014Force', 'Set-Item \u2015Force']);
  });
});

describe(leadingRegexOptions.name, () => {
  it("turns PCRE's options at the start of a pattern into the same JavaScript flags", () => {
    expect(leadingRegexOptions('(?i)mimikatz', '')).toEqual({ source: 'mimikatz', flags: 'i' });
    expect(leadingRegexOptions('(?is)a.b', 'm')).toEqual({ source: 'a.b', flags: 'ims' });
    expect(leadingRegexOptions('(?i)x', 'i')).toEqual({ source: 'x', flags: 'i' });
  });

  it('leaves an option elsewhere in the pattern, or any other group, as it is', () => {
    expect(leadingRegexOptions('a(?i)b', '')).toEqual({ source: 'a(?i)b', flags: '' });
    expect(leadingRegexOptions('(?:set).*', '')).toEqual({ source: '(?:set).*', flags: '' });
    expect(leadingRegexOptions('(?x)a b', '')).toEqual({ source: '(?x)a b', flags: '' });
  });
});
