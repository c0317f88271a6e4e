// How the page is served (by `cargo xtask serve`, which `cargo xtask test` runs): only the page,
// the wasm module as application/wasm, and a strict Content-Security-Policy in the header and the
// page's meta tag that is in force. (The server's own defences: xtask/src/serve/tests.rs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, BASE_URL } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('served as the README says', async () => {
  const res = await fetch(new URL('www/pkg/rnn_playground_bg.wasm', BASE_URL));
  assert.equal(res.headers.get('content-type'), 'application/wasm');
  assert.equal((await fetch(new URL('Cargo.toml', BASE_URL))).status, 404, 'only the page is served');
});

test('the page is served and runs under a strict Content-Security-Policy', async () => {
  const res = await fetch(BASE_URL);
  const header = res.headers.get('content-security-policy');
  for (const d of ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'"])
    assert.ok(header.includes(d), `header lacks ${d}: ${header}`);
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const d of ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'"])
    assert.ok(meta.includes(d), `meta lacks ${d}`);
  // the page works under it: a step trains and predicts
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  await until(page, async () => (await page.locator('.predicted-digits .d').count()) === 14, 'a prediction');
  // and it is in force: an injected inline script does not run, a foreign request is refused
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.append(s);
    let fetched = true;
    try {
      await fetch('https://example.com/');
    } catch {
      fetched = false;
    }
    return { script: window.injected === true, fetched };
  });
  assert.deepEqual(ran, { script: false, fetched: false });
  const expected = (p) => /Content Security Policy|example\.com|Failed to fetch/.test(p);
  assert.deepEqual(
    problems.filter((p) => !expected(p)),
    [],
  );
  assert.ok(
    problems.some((p) => /Content Security Policy/.test(p)),
    'the browser reported the blocked script',
  );
  await context.close();
});
