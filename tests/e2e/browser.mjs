// Shared by the browser tests: Debian's Chromium driven by playwright-core (never a downloaded
// browser), a fresh profile each time, and a page that records console problems and any request
// that leaves the page's origin; waits that poll the state they assert, with limits sized to the
// work; a PNG reader for checking screenshots.

import { chromium } from 'playwright-core';
import { inflateSync } from 'node:zlib';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080/';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Every wait's limit is sized to the work it waits for on a machine several times slower than a
 * developer's (an epoch at H 512 on 7300 sums: ~25 s here, over 100 s there), and multiplied by
 * E2E_TIMEOUT_SCALE (default 1) for a slower one still. A limit only bounds a failing wait: a
 * passing one returns as soon as its state is there.
 */
export const SCALE = Math.max(1, Number(process.env.E2E_TIMEOUT_SCALE) || 1);
/** `ms` scaled by E2E_TIMEOUT_SCALE. */
export const limit = (ms) => Math.round(ms * SCALE);

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS });
}

/**
 * A new page at `hash` with `problems` (console errors/warnings, page errors, foreign requests),
 * once the status line shows the first report: within `ready` ms (scaled), which a large model's
 * starting loss can take. `base`: another server than BASE_URL's (a static folder).
 * `serviceWorkers: 'block'` keeps sw.js out, for a test that routes requests (Playwright's routes
 * never see what a service worker fetches).
 */
export async function open(
  browser,
  { hash = '', width = 1280, height = 800, reducedMotion = 'reduce', colorScheme = 'light', ready = 30000, base = BASE_URL, serviceWorkers = 'allow' } = {},
) {
  // downloads kept for the test to read (Playwright's default, said so: the chart downloads rely on it)
  const context = await newContext(browser, { viewport: { width, height }, reducedMotion, colorScheme, acceptDownloads: true, serviceWorkers });
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(base).origin;
  page.on('console', (m) => {
    // Playwright's own word that it blocked sw.js, as asked
    if (serviceWorkers === 'block' && m.text() === 'Service Worker registration blocked by Playwright') return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request outside the origin: ${u}`);
  });
  await page.goto(new URL(hash, base).href);
  await page.waitForSelector('[data-epoch]', { timeout: limit(ready) });
  return { page, context, problems };
}

/**
 * Waits until the service worker (sw.js) has kept this build and controls the page: from then on
 * the page opens without a network. A machine under load precaches slowly (2 MB, 80 files).
 */
export async function untilOfflineReady(page) {
  await until(
    page,
    () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return registration?.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
      }),
    'the service worker activated and controlling the page',
    60000,
  );
}

/** A browser context whose Playwright waits (clicks, waitFor, navigation) have the scaled default limit. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(limit(30000));
  return context;
}

/** The epoch shown in the status line. */
export async function epoch(page) {
  return Number(await page.locator('#status [data-epoch]').getAttribute('data-epoch'));
}

export async function points(page) {
  return Number((await page.locator('#loss-chart').getAttribute('data-points')) ?? 0);
}

/**
 * Polls `predicate` until it is true; a machine under load redraws late, so never read once.
 * `timeout` is the work's limit on a slow machine, scaled by E2E_TIMEOUT_SCALE.
 */
export async function until(page, predicate, what, timeout = 30000) {
  timeout = limit(timeout);
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

/**
 * Polls `predicate` for `duration` ms and fails the moment it is false: for what must stay so
 * (no epoch after Pause, no dialog), where waiting once and reading once would see only an instant.
 */
export async function holds(page, predicate, what, duration = 500) {
  const start = Date.now();
  do {
    if (!(await predicate())) throw new Error(`${what}: no longer so after ${Date.now() - start} ms`);
    await page.waitForTimeout(50);
  } while (Date.now() - start < duration);
}

/** Resolves after the page has drawn two more frames: what changed before is on screen. */
export async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(undefined)))));
}

/**
 * Waits until the address matches `pattern` (or, with `matches` false, no longer does): the page
 * writes its link once a model is made or an epoch reported, which a busy machine does later.
 */
export async function untilUrl(page, pattern, what = String(pattern), matches = true) {
  await until(page, async () => pattern.test(page.url()) === matches, `${what} (last seen ${page.url()})`);
}

/** Waits until `locator`'s attribute `name` equals `value`. */
export async function untilAttribute(page, locator, name, value, what = `${name}="${value}"`, timeout = undefined) {
  let seen;
  await until(page, async () => (seen = await locator.getAttribute(name, { timeout: 1000 })) === value, `${what} (last seen ${JSON.stringify(seen)})`, timeout);
}

/** Waits until `locator`'s text matches `pattern`. */
export async function untilText(page, locator, pattern, what = String(pattern), timeout = undefined) {
  let seen;
  await until(
    page,
    async () => pattern.test((seen = await locator.textContent({ timeout: 1000 })) ?? ''),
    `${what} (last seen ${JSON.stringify(seen)})`,
    timeout,
  );
}

/**
 * What a PNG screenshot shows: its size, how many distinct colours it has (up to 1000) and the
 * share of its pixels that differ from its most common colour (the background). Reads the 8-bit
 * RGB and RGBA PNGs Chromium writes.
 */
export function pngStats(png) {
  if (png.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let offset = 8;
  let width = 0,
    height = 0,
    channels = 0;
  const idat = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      [width, height] = [data.readUInt32BE(0), data.readUInt32BE(4)];
      const [depth, colour, interlace] = [data[8], data[9], data[12]];
      channels = { 2: 3, 6: 4 }[colour];
      if (depth !== 8 || !channels || interlace) throw new Error(`unread PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const up = y ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels] : 0;
      const b = up[i];
      const c = i >= channels ? up[i - channels] : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      out[i] = (row[i] + predictor) & 255;
    }
  }
  const counts = new Map();
  for (let i = 0; i < pixels.length; i += channels) {
    const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const background = Math.max(...counts.values());
  return { width, height, colours: Math.min(counts.size, 1000), ink: 1 - background / (width * height) };
}
