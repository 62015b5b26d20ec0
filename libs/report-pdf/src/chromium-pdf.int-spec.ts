import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromiumMissingError, ChromiumPdf, PdfRenderError } from './chromium-pdf';

describe(ChromiumPdf.name, () => {
  const dir = mkdtempSync(join(tmpdir(), 'chromium-pdf-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const script = (name: string, body: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('prints HTML to a PDF with Debian’s chromium (scripts/test-tools.sh installs it)', async () => {
    const pdf = await new ChromiumPdf().render('<!DOCTYPE html><html lang="da"><body><h1>Angrebsforsøg</h1></body></html>');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('names the path and the package when Chromium is missing', async () => {
    const missing = new ChromiumPdf({ path: join(dir, 'no-chromium') }).render('<p>x</p>');
    await expect(missing).rejects.toBeInstanceOf(ChromiumMissingError);
    await expect(missing).rejects.toThrow(
      `Chromium not found at ${join(dir, 'no-chromium')}: install Debian's chromium (apt-get install chromium) to render PDF reports`,
    );
  });

  it('fails with Chromium’s last words when it exits with an error', async () => {
    const failing = script('failing', 'echo "[ERROR] no display" >&2; exit 3');
    await expect(new ChromiumPdf({ path: failing }).render('<p>x</p>')).rejects.toThrow(new PdfRenderError('Chromium exited with code 3: [ERROR] no display'));
  });

  it('fails when Chromium exits without writing the PDF', async () => {
    await expect(new ChromiumPdf({ path: script('silent', 'exit 0') }).render('<p>x</p>')).rejects.toThrow(
      new PdfRenderError('Chromium exited without writing the PDF'),
    );
  });

  it('kills a Chromium that does not finish within the timeout', async () => {
    const hanging = script('hanging', 'exec sleep 30');
    await expect(new ChromiumPdf({ path: hanging, timeoutMs: 300 }).render('<p>x</p>')).rejects.toThrow(
      new PdfRenderError('Chromium did not finish the PDF within 300 ms'),
    );
  });
});
