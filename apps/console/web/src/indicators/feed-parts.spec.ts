/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultPartLimits, guessFormat, locateRejection, packItems, rejectionParts, splitFeed } from './feed-parts';

/** The real feed files of ../shared/data/threat-intel (its README). */
const feed = (path: string): string => readFileSync(resolve(__dirname, '../../../../../../shared/data/threat-intel', path), 'utf8');
const urlhaus = feed('abusech-urlhaus/urlhaus_online_sample_2000.csv');
const feodo = feed('abusech-feodo/ipblocklist.csv');
const poisonIvy = feed('stix21-oasis/cti-stix2-json-schemas/examples/threat-reports/poisonivy.json');
const xorist = feed('misp-pymisp/tests/57c4445b-c548-4654-af0b-4be3950d210f.json');

describe('splitFeed (CSV)', () => {
  it('splits the 2,000 URLhaus rows into four parts of 500, each behind the header, every row once and in order', () => {
    const split = splitFeed('csv', urlhaus);
    expect(split.entries).toBe(2000);
    expect(split.parts.map((p) => p.entries)).toEqual([500, 500, 500, 500]);
    const header = urlhaus.split('\n')[0];
    for (const part of split.parts) {
      expect(part.body.split('\n')[0]).toBe(header);
      expect(new TextEncoder().encode(part.body).length).toBeLessThanOrEqual(defaultPartLimits.maxBytes);
    }
    const rows = split.parts.flatMap((p) => p.body.split('\n').slice(1));
    expect(rows).toEqual(
      urlhaus
        .split('\n')
        .slice(1)
        .filter((l) => l.trim() !== ''),
    );
    expect(split.rejections).toEqual([]);
  });

  it("names the file's line for a rejection of a later part's row", () => {
    const [, second] = splitFeed('csv', urlhaus).parts;
    // Part line 2 is the part's first row: the file's row 501, on line 502.
    expect(locateRejection(second!, "line 2: url 'x': not a URL")).toBe("line 502: url 'x': not a URL");
    expect(second!.body.split('\n')[1]).toBe(urlhaus.split('\n')[501]);
  });

  it("repeats Feodo's banner and header in every part, keeps its footer out and checks it itself", () => {
    const split = splitFeed('csv', feodo, { maxEntries: 10, maxBytes: 100_000 });
    expect(split.parts.map((p) => p.entries)).toEqual([10, 10, 8]);
    for (const part of split.parts) {
      expect(part.body.split('\n').slice(0, 9)).toEqual(feodo.split('\n').slice(0, 9));
      expect(part.body).not.toContain('# END');
    }
    expect(split.rejections).toEqual([]);
    expect(locateRejection(split.parts[2]!, 'line 10: invalid first_seen_utc')).toBe('line 30: invalid first_seen_utc');

    const truncated = feodo
      .split('\n')
      .filter((_, i) => i !== 20)
      .join('\n');
    expect(splitFeed('csv', truncated, { maxEntries: 10, maxBytes: 100_000 }).rejections).toEqual([
      'line 37: footer announces 28 entries but 27 rows were read',
    ]);
  });

  it('sends a file within the limits whole, so the API checks its footer and header itself', () => {
    expect(splitFeed('csv', feodo)).toEqual({ parts: [{ body: feodo, entries: 28 }], entries: 28, rejections: [] });
    const noHeader = 'a,b\n1,2\n3,4\n';
    expect(splitFeed('csv', noHeader, { maxEntries: 1, maxBytes: 100 }).parts).toEqual([{ body: noHeader, entries: 3 }]);
  });

  it('reads a header written as the last comment (URLhaus as published)', () => {
    const published = `# URLhaus\n# ${urlhaus.split('\n')[0]}\n${urlhaus.split('\n').slice(1, 5).join('\n')}`;
    const split = splitFeed('csv', published, { maxEntries: 2, maxBytes: 100_000 });
    expect(split.parts.map((p) => p.entries)).toEqual([2, 2]);
    expect(split.parts[1]!.body.split('\n').slice(0, 2)).toEqual(published.split('\n').slice(0, 2));
    expect(locateRejection(split.parts[1]!, 'line 3: bad')).toBe('line 5: bad');
  });

  it('keeps each part within the byte limit, a row larger than a part alone', () => {
    const rows = urlhaus.split('\n').slice(0, 41).join('\n');
    const split = splitFeed('csv', rows, { maxEntries: 500, maxBytes: 2_000 });
    for (const part of split.parts) if (part.entries > 1) expect(new TextEncoder().encode(part.body).length).toBeLessThanOrEqual(2_000);
    expect(split.parts.reduce((sum, p) => sum + p.entries, 0)).toBe(40);
    expect(split.parts.length).toBeGreaterThan(1);
  });
});

describe('splitFeed (STIX)', () => {
  it("splits Poison Ivy's 25 indicators into bundles of 10, each with the bundle's identity, other objects left out", () => {
    const split = splitFeed('stix', poisonIvy, { maxEntries: 10, maxBytes: 512 * 1024 });
    expect(split.entries).toBe(25);
    expect(split.parts.map((p) => p.entries)).toEqual([10, 10, 5]);
    const original = JSON.parse(poisonIvy) as { id: string; objects: Array<{ id: string; type: string }> };
    for (const part of split.parts) {
      const bundle = JSON.parse(part.body) as typeof original;
      expect(bundle.id).toBe(original.id);
      expect(bundle.objects.filter((o) => o.type === 'identity')).toHaveLength(1);
      expect(new Set(bundle.objects.map((o) => o.type))).toEqual(new Set(['identity', 'indicator']));
      // Every object of the part is the file's object at the index the part records.
      bundle.objects.forEach((object, i) => expect(original.objects[part.indexes![0]!.file[i]!]).toEqual(object));
    }
    const ids = split.parts.flatMap((p) => (JSON.parse(p.body) as typeof original).objects.filter((o) => o.type === 'indicator').map((o) => o.id));
    expect(ids).toEqual(original.objects.filter((o) => o.type === 'indicator').map((o) => o.id));
  });

  it("names the file's object for a rejection of a part's object", () => {
    const part = splitFeed('stix', poisonIvy, { maxEntries: 10, maxBytes: 512 * 1024 }).parts[1]!;
    const bundle = JSON.parse(part.body) as { objects: Array<{ id: string }> };
    const original = JSON.parse(poisonIvy) as { objects: Array<{ id: string }> };
    const message = `objects[3].pattern (${bundle.objects[3]!.id}): unsupported`;
    const located = locateRejection(part, message);
    const index = Number(/^objects\[(\d+)\]/.exec(located)![1]);
    expect(original.objects[index]!.id).toBe(bundle.objects[3]!.id);
    expect(located).toBe(`objects[${index}].pattern (${bundle.objects[3]!.id}): unsupported`);
  });

  it('keeps every version of one indicator in the same part', () => {
    const version = (id: string, modified: string) => ({ type: 'indicator', id, modified, pattern: "[ipv4-addr:value = '45.137.21.66']" });
    const bundle = {
      type: 'bundle',
      id: 'bundle--1',
      objects: [
        version('indicator--a', '2024-01-01T00:00:00Z'),
        version('indicator--b', '2024-01-01T00:00:00Z'),
        version('indicator--a', '2024-02-01T00:00:00Z'),
      ],
    };
    const split = splitFeed('stix', JSON.stringify(bundle), { maxEntries: 2, maxBytes: 100_000 });
    expect(split.parts.map((p) => (JSON.parse(p.body) as typeof bundle).objects.map((o) => o.id))).toEqual([
      ['indicator--a', 'indicator--a'],
      ['indicator--b'],
    ]);
  });

  it('sends a document that is not JSON whole, for the API to say why', () => {
    expect(splitFeed('stix', '{not json', { maxEntries: 1, maxBytes: 10 }).parts).toEqual([{ body: '{not json', entries: 0 }]);
  });
});

describe('splitFeed (MISP)', () => {
  it("splits the CIRCL event's attributes, each part the same event with its organisation and tags", () => {
    const split = splitFeed('misp', xorist, { maxEntries: 4, maxBytes: 100_000 });
    expect(split.parts.map((p) => p.entries)).toEqual([4, 4, 1]);
    const original = JSON.parse(xorist) as { Event: { uuid: string; Orgc: unknown; Tag: unknown; Attribute: Array<{ uuid: string }> } };
    const events = split.parts.map((p) => (JSON.parse(p.body) as typeof original).Event);
    for (const event of events) {
      expect(event.uuid).toBe(original.Event.uuid);
      expect(event.Orgc).toEqual(original.Event.Orgc);
      expect(event.Tag).toEqual(original.Event.Tag);
    }
    expect(events.flatMap((e) => e.Attribute)).toEqual(original.Event.Attribute);
    const regkey = original.Event.Attribute[8]!.uuid;
    expect(locateRejection(split.parts[2]!, `Event.Attribute[0] (${regkey}): unsupported attribute type 'regkey|value'`)).toBe(
      `Event.Attribute[8] (${regkey}): unsupported attribute type 'regkey|value'`,
    );
  });

  it("splits a bare event and its objects, naming the file's object", () => {
    const attribute = (n: number) => ({ uuid: `a${n}`, type: 'ip-dst', value: `45.137.21.${n}`, to_ids: true });
    const event = { uuid: 'e', info: 'bare', Attribute: [attribute(1), attribute(2)], Object: [{ name: 'o', Attribute: [attribute(3)] }] };
    const split = splitFeed('misp', JSON.stringify(event), { maxEntries: 1, maxBytes: 100_000 });
    expect(split.parts).toHaveLength(3);
    const last = JSON.parse(split.parts[2]!.body) as typeof event;
    expect(last.Attribute).toEqual([]);
    expect(last.Object).toEqual(event.Object);
    expect(locateRejection(split.parts[2]!, '$.Object[0].Attribute[0] (a3): bad')).toBe('$.Object[0].Attribute[0] (a3): bad');
    expect(locateRejection(split.parts[1]!, '$.Attribute[0] (a2): bad')).toBe('$.Attribute[1] (a2): bad');
  });
});

describe('splitFeed (ThreatFox)', () => {
  it('splits an export by IOC id and an API answer by data, naming the entry', () => {
    const ioc = (n: number) => [{ ioc_value: `45.137.21.${n}:443`, ioc_type: 'ip:port' }];
    const exported = { '1': ioc(1), '2': ioc(2), '3': ioc(3) };
    const split = splitFeed('threatfox', JSON.stringify(exported), { maxEntries: 2, maxBytes: 100_000 });
    expect(split.parts.map((p) => Object.keys(JSON.parse(p.body) as object))).toEqual([['1', '2'], ['3']]);
    const answer = { query_status: 'ok', data: [1, 2, 3].map((n) => ioc(n)[0]) };
    const parts = splitFeed('threatfox', JSON.stringify(answer), { maxEntries: 2, maxBytes: 100_000 }).parts;
    expect((JSON.parse(parts[1]!.body) as typeof answer).query_status).toBe('ok');
    expect(locateRejection(parts[1]!, 'data[0] (9): bad')).toBe('data[2] (9): bad');
  });
});

describe('packItems', () => {
  it('starts a new run when the next item would pass either limit', () => {
    expect(
      packItems(
        [3, 3, 3, 9, 1],
        (n) => n,
        () => 1,
        1,
        { maxEntries: 2, maxBytes: 8 },
      ),
    ).toEqual([[3, 3], [3], [9], [1]]);
  });
});

describe('rejectionParts', () => {
  it('tells where from why as the API words a rejection', () => {
    expect(rejectionParts("line 12: invalid dateadded ''")).toEqual({ where: 'line 12', why: "invalid dateadded ''" });
    expect(rejectionParts('objects[3].pattern (indicator--1): unsupported object path')).toEqual({
      where: 'objects[3].pattern (indicator--1)',
      why: 'unsupported object path',
    });
    expect(rejectionParts('footer announces 2 entries but 1 rows were read')).toEqual({ where: '', why: 'footer announces 2 entries but 1 rows were read' });
  });
});

describe('guessFormat', () => {
  it('guesses from the name and the first characters', () => {
    expect(guessFormat('ipblocklist.csv', feodo)).toBe('csv');
    expect(guessFormat('urlhaus.txt', urlhaus)).toBe('csv');
    expect(guessFormat('poisonivy.json', poisonIvy)).toBe('stix');
    expect(guessFormat('event.json', xorist)).toBe('misp');
    expect(guessFormat('recent.json', '{"query_status": "ok", "data": []}')).toBe('threatfox');
  });
});
