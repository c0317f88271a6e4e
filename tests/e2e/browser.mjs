// Shared by the browser tests: Debian's Chromium driven by playwright-core (never a downloaded
// browser), a fresh profile each time, and a page that records console problems and any request
// that leaves the page's origin.

import { chromium } from 'playwright-core';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080/';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
}

/** A new page at `hash` with `problems` (console errors/warnings, page errors, foreign requests). */
export async function open(browser, { hash = '', width = 1280, height = 800, reducedMotion = 'reduce', colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, reducedMotion, colorScheme });
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(BASE_URL).origin;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request outside the origin: ${u}`);
  });
  await page.goto(new URL(hash, BASE_URL).href);
  await page.waitForSelector('[data-epoch]');
  return { page, context, problems };
}

/** The epoch shown in the status line. */
export async function epoch(page) {
  return Number(await page.locator('#status [data-epoch]').getAttribute('data-epoch'));
}

export async function points(page) {
  return Number((await page.locator('#loss-chart').getAttribute('data-points')) ?? 0);
}

/** Polls `predicate` until it is true; a machine under load redraws late, so never read once. */
export async function until(page, predicate, what, timeout = 20000) {
  const start = Date.now();
  let last;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch (e) {
      last = e; // an element not there yet: keep polling
    }
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await page.waitForTimeout(50);
  }
}

/** Waits until `locator`'s attribute `name` equals `value`. */
export async function untilAttribute(page, locator, name, value, what = `${name}="${value}"`) {
  let seen;
  await until(page, async () => (seen = await locator.getAttribute(name, { timeout: 1000 })) === value, `${what} (last seen ${JSON.stringify(seen)})`);
}

/** Waits until `locator`'s text matches `pattern`. */
export async function untilText(page, locator, pattern, what = String(pattern)) {
  let seen;
  await until(page, async () => pattern.test((seen = await locator.textContent({ timeout: 1000 })) ?? ''), `${what} (last seen ${JSON.stringify(seen)})`);
}
