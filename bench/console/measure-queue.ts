import type { BrowserContext } from 'playwright-core';

/** One opening of the queue, in ms since the page's navigation started (its `performance.now()`). */
export interface QueueOpening {
  first_row_ms: number;
  interactive_ms: number;
  all_loaded_ms: number;
  rows_in_dom: number;
  alerts_loaded: number;
}

/**
 * Recorded inside the page (added before any of its scripts, through the DevTools protocol, which
 * the console's Content-Security-Policy does not stop): the moment the first row appears, the moment
 * the second row becomes the current one (after the `j` the bench presses), and the moment the
 * count says every open alert is loaded. The page's own clock, so Playwright's polling adds nothing.
 */
function recorder(expected: number): void {
  const marks: Record<string, number> = {};
  (globalThis as any).queueMarks = marks;
  const observer = new (globalThis as any).MutationObserver(() => {
    const doc = (globalThis as any).document;
    if (marks.first_row === undefined && doc.querySelector('#alert-rows tr')) marks.first_row = performance.now();
    if (marks.moved === undefined && doc.querySelector('#alert-row-1[aria-current="true"]')) marks.moved = performance.now();
    const shown = Number((doc.querySelector('#queue-count')?.textContent ?? '').replace(/\D.*$/, ''));
    if (marks.all_loaded === undefined && shown >= expected) marks.all_loaded = performance.now();
  });
  observer.observe((globalThis as any).document, { subtree: true, childList: true, attributes: true, characterData: true });
}

/** Opens the queue in a new tab of the signed-in context, presses `j` as soon as a row is there, and waits until every alert is loaded. */
export async function openQueueOnce(context: BrowserContext, consoleUrl: string, expected: number): Promise<QueueOpening> {
  const page = await context.newPage();
  try {
    await page.addInitScript(recorder, expected);
    await page.goto(`${consoleUrl}/#/queue`);
    await page.waitForSelector('#alert-row-0', { timeout: 300_000 });
    await page.focus('#alert-row-0');
    await page.keyboard.press('j');
    await page.waitForFunction(() => (globalThis as any).queueMarks.moved !== undefined && (globalThis as any).queueMarks.all_loaded !== undefined, undefined, {
      timeout: 600_000,
      polling: 250,
    });
    const marks = (await page.evaluate(() => (globalThis as any).queueMarks)) as Record<string, number>;
    const rowsInDom = await page.locator('#alert-rows tr').count();
    const loaded = Number(((await page.locator('#queue-count').textContent()) ?? '').replace(/\D.*$/, ''));
    return {
      first_row_ms: Math.round(marks.first_row!),
      interactive_ms: Math.round(marks.moved!),
      all_loaded_ms: Math.round(marks.all_loaded!),
      rows_in_dom: rowsInDom,
      alerts_loaded: loaded,
    };
  } finally {
    await page.close();
  }
}
