import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (scripts/test-tools.sh installs it): Playwright cannot download its own browsers here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A headless Chromium for browser e2e tests, quiet on the network (no updates, sync or QUIC). Each
 * launch gets a fresh temporary profile from Playwright, and each `newContext()` a fresh cookie jar;
 * close it in `afterAll`.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
