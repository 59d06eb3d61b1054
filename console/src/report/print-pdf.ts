/**
 * Prints an HTML document to PDF with headless Chromium (Debian's `chromium`, driven by
 * playwright-core). The page needs no network: the report is self-contained.
 */
import { chromium } from 'playwright-core';

/** Debian's package; CHROMIUM_PATH moves it. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a headless run on a server without a desktop, a GPU or a user profile to sync. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

export async function printHtmlToPdf(html: string, executablePath: string = DEFAULT_CHROMIUM_PATH): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    // Any request would mean the report is not self-contained: refuse it.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '8mm', right: '8mm' }, scale: 0.7 });
  } finally {
    await browser.close();
  }
}
