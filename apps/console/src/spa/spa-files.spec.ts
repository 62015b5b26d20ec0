import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtSpaDir, loadSpaFiles } from './spa-files';

describe('builtSpaDir', () => {
  it('finds console-web beside the compiled apps, in the build and in the watch tree', () => {
    expect(builtSpaDir('/app/dist/apps/console/src/spa')).toBe('/app/dist/console-web');
    expect(builtSpaDir('/app/dist/nest/console/apps/console/src/spa')).toBe('/app/dist/console-web');
  });
});

describe('loadSpaFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-web-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the page and the assets it knows a content type for', () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'notes.txt'), 'not served');
    const files = loadSpaFiles(dir)!;
    expect(files.index).toBe('<!doctype html><title>x</title>');
    expect([...files.assets.keys()]).toEqual(['index-abc.js']);
    expect(files.assets.get('index-abc.js')!.contentType).toBe('text/javascript; charset=utf-8');
  });

  it('answers undefined when the application was not built', () => {
    expect(loadSpaFiles(dir)).toBeUndefined();
  });
});
