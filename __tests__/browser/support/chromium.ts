/** Headless Chromium for the browser tests: Debian's `chromium` (or FLEURON_CHROMIUM), driven by playwright-core; the tests skip without it. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.FLEURON_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The narrowest phone screen the theme is made for, in CSS pixels. */
export const NARROW = 320;

const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(`SKIPPED: the browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set FLEURON_CHROMIUM)`);
}
export const describeWithBrowser = available ? describe : describe.skip;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
