// The homework's sandbox against hostile student code: storage, requests to the page's server and
// forged outcomes all fail, the outcome shown is the honest one, and a huge error message is cut
// without freezing the page. (The ordinary failures, a syntax error or an endless loop:
// homework.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, until, untilText, holds, limit, untilOfflineReady, BASE_URL } from './browser.mjs';
import { openHomework, checkCode, solution, stillWorks, result } from './homework-page.mjs';

let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// Everything student code might try against the page's origin (its server by its full address:
// the worker's own is blob:null/…), each attempt recorded in `seen`;
// bptt throws the record (line 32 of the code), so the honest outcome is that exception. The
// top-level code also tries to answer for the runner: a listener and onmessage posting a fake
// "ok", a postMessage that swallows the runner's answer.
const HOSTILE = `const seen = [];
const attempt = (name, f) => { try { f(); seen.push(name + ' reached'); } catch (e) { seen.push(name + ' ' + e.name); } };
const later = (name, p) => { try { p.then(() => self.hostileReached?.(name), () => {}); } catch {} };
attempt('indexedDB', () => { const r = indexedDB.open('hostile-homework'); r.onsuccess = () => self.hostileReached?.('indexedDB'); });
attempt('caches', () => later('caches', caches.open('hostile-homework')));
attempt('storage', () => later('storage', navigator.storage.getDirectory().then((d) => d.getFileHandle('hostile-homework', { create: true }))));
attempt('broadcast', () => new BroadcastChannel('hostile-homework').postMessage('hostile'));
attempt('fetch', () => { delete self.fetch; later('fetch', fetch('${BASE_URL}?hostile-fetch')); });
attempt('xhr', () => { const x = new XMLHttpRequest(); x.open('GET', '${BASE_URL}?hostile-xhr', false); x.send(); });
attempt('import', () => { delete self.importScripts; importScripts('${BASE_URL}www/digits.js?hostile-import'); });
attempt('worker', () => { new Worker('${BASE_URL}www/digits.js?hostile-worker'); });
const fake = () => { try { self.postMessage({ kind: 'ok', result: 'forged' }); } catch {} };
self.addEventListener('message', (e) => { e.stopImmediatePropagation?.(); fake(); });
try { Object.defineProperty(self, 'onmessage', { set() {}, get() { return fake; } }); } catch {}
try { self.onmessage = fake; } catch {}
try { Object.defineProperty(MessageEvent.prototype, 'data', { get() { return null; } }); } catch {}
const post = self.postMessage;
self.postMessage = function (m, ...rest) { if (m && m.kind === 'ok') return post.call(self, m, ...rest); return post.call(self, { kind: 'ok', result: 'forged' }); };
self.hostileReached = (name) => { try { new BroadcastChannel('hostile-homework').postMessage(name); } catch {} };
setTimeout(fake, 0);
setTimeout(fake, 50);








function bptt(model, x, y) {
  fake();
  throw new Error('hostile: ' + seen.join(', '));
}
`;

/** What the page's origin holds: its IndexedDB databases, caches and private files. */
const storage = (page) =>
  page.evaluate(async () => {
    const files = [];
    for await (const name of (await navigator.storage.getDirectory()).keys()) files.push(name);
    return { databases: (await indexedDB.databases()).map((d) => d.name).sort(), caches: await caches.keys(), files };
  });

test('hostile student code reaches no storage, no request and no forged outcome; the honest error is shown', async () => {
  const { page, problems, context } = await openHomework(browser);
  const requests = [];
  context.on('request', (r) => /hostile/.test(r.url()) && requests.push(r.url()));
  // the page listens on the channel the hostile code writes to
  await page.evaluate(() => {
    window.heard = [];
    new BroadcastChannel('hostile-homework').onmessage = (e) => window.heard.push(String(e.data));
  });
  // the page's own offline copy (sw.js) first, so that its cache is in `before`, not a change
  await untilOfflineReady(page);
  const before = await storage(page);
  const text = await checkCode(page, HOSTILE, 'error', /threw an error/);
  // the honest outcome: bptt's own exception, on its line, with every attempt refused
  assert.match(text, /Your code threw an error on line 32: Error: hostile: /);
  for (const name of ['indexedDB', 'caches', 'storage', 'broadcast', 'fetch', 'xhr', 'import', 'worker'])
    assert.match(text, new RegExp(`${name} \\w+`), `${name} was tried`);
  // what answers at once was refused at once (a channel or a fetch may be made, and go nowhere)
  for (const name of ['indexedDB', 'xhr', 'import', 'worker']) assert.doesNotMatch(text, new RegExp(`${name} reached`), `${name} was refused`);
  assert.doesNotMatch(text, /forged/);
  // and nothing arrives later: no database, cache, file or broadcast, no request to the server
  await holds(
    page,
    async () => {
      const now = await storage(page);
      const heard = await page.evaluate(() => window.heard);
      return JSON.stringify(now) === JSON.stringify(before) && heard.length === 0 && requests.length === 0;
    },
    'the page’s storage, channel and server untouched',
    limit(2000),
  );
  assert.doesNotMatch(await result(page).textContent(), /forged/, 'no later outcome replaced the honest one');
  // the same page checks a correct bptt afterwards
  await checkCode(page, solution(), 'passed', /dLdW passed/);
  // what the browser logged: the sandbox's refusals of the hostile requests, nothing else
  const refused = (p) => /Content Security Policy|hostile|importScripts|Failed to fetch|NetworkError|sandbox/i.test(p);
  assert.deepEqual(
    problems.filter((p) => !refused(p)),
    [],
  );
  await context.close();
});

test('a huge error message is cut, in the sandbox and in the page, and the page keeps working', async () => {
  const { page, problems, context } = await openHomework(browser);
  // thrown from bptt, and (the sandbox's own cut undone) as a string posted by hand
  const huge = 'function bptt(model, x, y) {\n  throw new Error("x".repeat(50e6));\n}\n';
  const text = await checkCode(page, huge, 'error', /threw an error on line 2/);
  assert.match(text, /Error: x{100}/);
  assert.match(text, /… \(50000007 characters, cut\)/);
  assert.ok(text.length < 5000, `the message shown is short: ${text.length} characters`);
  await stillWorks(page);
  // a top-level throw reaches the page as the worker's error event, cut too
  const top = 'throw new Error("y".repeat(50e6));\nfunction bptt(model, x, y) {}\n';
  const topText = await checkCode(page, top, 'error', /threw an error on line 1/);
  assert.match(topText, /cut\)/);
  assert.ok(topText.length < 5000, `the message shown is short: ${topText.length} characters`);
  await stillWorks(page);
  await untilText(page, page.getByRole('button', { name: 'Check my gradients' }), /Check/);
  await until(page, () => page.getByRole('button', { name: 'Check my gradients' }).isEnabled(), 'Check enabled again');
  assert.deepEqual(problems, []);
  await context.close();
});
