import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** A built file as the console serves it. */
export interface SpaFile {
  body: Buffer;
  contentType: string;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Where `npm run build` puts the single-page application (apps/console/web/vite.config.ts):
 * `<dist>/console-web`, found from this file's place in the compiled tree (dist/apps/console/src/spa,
 * or dist/nest/console/… under `nest start --watch`), else under the working directory.
 */
export function builtSpaDir(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === 'dist') return join(dir, 'console-web');
  }
  return join(process.cwd(), 'dist', 'console-web');
}

/**
 * The built application, read once at start-up: its page and its assets by file name. Only these
 * files are ever served (no path from a request reaches the file system). `undefined` when it was
 * not built, which the console answers with a page saying so.
 */
export function loadSpaFiles(dir = builtSpaDir()): { index: string; assets: Map<string, SpaFile> } | undefined {
  const indexPath = join(dir, 'index.html');
  if (!existsSync(indexPath)) return undefined;
  const assets = new Map<string, SpaFile>();
  const assetsDir = join(dir, 'assets');
  for (const name of existsSync(assetsDir) ? readdirSync(assetsDir) : []) {
    const contentType = contentTypes[extname(name)];
    if (contentType) assets.set(name, { body: readFileSync(join(assetsDir, name)), contentType });
  }
  return { index: readFileSync(indexPath, 'utf8'), assets };
}
