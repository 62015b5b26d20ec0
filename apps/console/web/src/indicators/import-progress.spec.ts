import { splitFeed } from './feed-parts';
import { importParts, partAnswered, partFailed, percentDone, startProgress, type ImportProgress } from './import-progress';

const csv = ['id,dateadded,url', ...Array.from({ length: 5 }, (_, i) => `"${i}","2025-04-21 12:35:06","http://45.137.21.${i}/a"`)].join('\n');
const split = splitFeed('csv', csv, { maxEntries: 2, maxBytes: 100_000 });

describe('import progress', () => {
  it('counts parts, accepted and rejected, with each rejection placed in the file', () => {
    let progress = startProgress(split);
    expect([progress.parts, progress.partsDone, progress.state, percentDone(progress)]).toEqual([3, 0, 'running', 0]);
    progress = partAnswered(progress, split.parts[0]!, { imported: 2, errors: [] });
    progress = partAnswered(progress, split.parts[1]!, { imported: 1, errors: ['line 3: bad url'] });
    expect([progress.partsDone, progress.accepted, progress.rejected, percentDone(progress), progress.state]).toEqual([2, 3, 1, 66, 'running']);
    expect(progress.rejections).toEqual(['line 5: bad url']);
    progress = partAnswered(progress, split.parts[2]!, { imported: 1, errors: [] });
    expect([percentDone(progress), progress.state]).toEqual([100, 'done']);
  });

  it("starts with the splitter's own rejections", () => {
    const withFooter = splitFeed('csv', `${csv}\n# END 9 entries`, { maxEntries: 2, maxBytes: 100_000 });
    expect(startProgress(withFooter)).toMatchObject({ rejected: 1, rejections: ['line 7: footer announces 9 entries but 5 rows were read'] });
  });

  it('names the part refused as a whole', () => {
    const progress = partFailed(partAnswered(startProgress(split), split.parts[0]!, { imported: 2, errors: [] }), 'role soc_analyst may not use this endpoint');
    expect(progress).toMatchObject({ state: 'failed', partsDone: 1, failure: { part: 2, message: 'role soc_analyst may not use this endpoint' } });
  });
});

describe('importParts', () => {
  it('sends one part after the other and reports after each', async () => {
    const sent: string[] = [];
    const seen: ImportProgress[] = [];
    const end = await importParts(
      split,
      async (part) => {
        sent.push(part.body);
        return { imported: part.entries, errors: [] };
      },
      (p) => seen.push(p),
    );
    expect(sent).toEqual(split.parts.map((p) => p.body));
    expect(seen.map((p) => p.partsDone)).toEqual([0, 1, 2, 3, 3]);
    expect(end).toMatchObject({ state: 'done', accepted: 5, rejected: 0 });
  });

  it('stops at a part the API refuses, and when asked to between parts', async () => {
    let calls = 0;
    const failed = await importParts(
      split,
      async () => {
        if (++calls === 2) throw new Error('the request body is larger than 1048576 bytes');
        return { imported: 2, errors: [] };
      },
      () => undefined,
    );
    expect(calls).toBe(2);
    expect(failed).toMatchObject({ state: 'failed', partsDone: 1, failure: { part: 2 } });

    let sent = 0;
    const stopped = await importParts(
      split,
      async () => ({ imported: ++sent, errors: [] }),
      () => undefined,
      () => sent === 1,
    );
    expect(stopped).toMatchObject({ state: 'stopped', partsDone: 1 });
  });
});
