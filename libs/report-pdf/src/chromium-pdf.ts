import { spawn } from 'node:child_process';
import { access, constants, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's package (`apt-get install chromium`); scripts/test-tools.sh installs it for the tests. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  constructor(readonly path: string) {
    super(`Chromium not found at ${path}: install Debian's chromium (apt-get install chromium) to render PDF reports`);
    this.name = 'ChromiumMissingError';
  }
}

export class PdfRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfRenderError';
  }
}

export interface ChromiumPdfOptions {
  path?: string;
  /** Chromium is killed after this long and the render fails (default 60 s). */
  timeoutMs?: number;
}

/**
 * HTML to PDF with headless Chromium's `--print-to-pdf`: the adapter that does the I/O (a temp
 * directory, a child process) for the pure report renderer. Each render gets its own profile
 * directory, so concurrent renders do not share Chromium's profile lock; the page's own CSS
 * (`@page`) sets the paper size and margins.
 */
export class ChromiumPdf {
  private readonly path: string;
  private readonly timeoutMs: number;

  constructor(options: ChromiumPdfOptions = {}) {
    this.path = options.path ?? DEFAULT_CHROMIUM_PATH;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Throws ChromiumMissingError when the binary is not there or not executable. */
  async ensureAvailable(): Promise<void> {
    try {
      await access(this.path, constants.X_OK);
    } catch {
      throw new ChromiumMissingError(this.path);
    }
  }

  async render(html: string): Promise<Buffer> {
    await this.ensureAvailable();
    const dir = await mkdtemp(join(tmpdir(), 'soc-report-'));
    try {
      const input = join(dir, 'report.html');
      const output = join(dir, 'report.pdf');
      await writeFile(input, html, 'utf8');
      await this.run([
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        '--no-pdf-header-footer',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--print-to-pdf=${output}`,
        `file://${input}`,
      ]);
      const pdf = await readFile(output).catch(() => {
        throw new PdfRenderError('Chromium exited without writing the PDF');
      });
      if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new PdfRenderError('Chromium wrote something that is not a PDF');
      return pdf;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private run(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-2000);
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new PdfRenderError(`Chromium did not finish the PDF within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error.message.includes('ENOENT') ? new ChromiumMissingError(this.path) : new PdfRenderError(`Chromium failed to start: ${error.message}`));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new PdfRenderError(`Chromium exited with ${signal ?? `code ${code}`}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      });
    });
  }
}
