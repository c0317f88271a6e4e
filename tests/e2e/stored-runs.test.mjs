// What the browser keeps is read back by its shape: a record that is not a saved run (another
// script's, an older page's, a damaged one) is discarded and named, and the page still opens,
// with or without a link; a saved time that is not one never shows as NaN. (Reload and recovery:
// persistence.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, untilText, BASE_URL } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** Steps to epoch `n` and waits until the browser has kept that epoch. */
async function trainAndKeep(page, n) {
  for (let e = (await epoch(page)) + 1; e <= n; e++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(page, async () => (await epoch(page)) === e, `epoch ${e}`);
  }
  await until(page, async () => (await page.locator('html').getAttribute('data-saved-epoch')) === String(n), `the run kept at epoch ${n}`);
}

/**
 * Edits the page's IndexedDB store: every record replaced by `replace` (if given) or merged with
 * `merge`, and `add` put under its own key.
 */
async function editStore(page, { replace, merge, add }) {
  await page.evaluate(
    ({ replace, merge, add }) =>
      new Promise((resolve, reject) => {
        const req = indexedDB.open('rnn-playground');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const tx = req.result.transaction('runs', 'readwrite');
          const store = tx.objectStore('runs');
          const all = store.openCursor();
          all.onsuccess = () => {
            const cursor = all.result;
            if (!cursor) return;
            cursor.update(replace !== undefined ? replace : { ...cursor.value, ...merge });
            cursor.continue();
          };
          if (add) store.put(add.value, add.key);
          tx.oncomplete = () => resolve(undefined);
          tx.onerror = () => reject(tx.error);
        };
      }),
    { replace, merge, add },
  );
}

/** The page opened a working model: the epoch shown and Train enabled. */
async function ready(page, e) {
  await until(
    page,
    async () => (await epoch(page)) === e && (await page.getByRole('button', { name: 'Train', exact: true }).isEnabled()),
    `a working page at epoch ${e}`,
  );
}

const notice = (page) => page.locator('#storage-notice');

test('a record that is not a saved run is discarded and named; the page opens, with a link or without', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await trainAndKeep(page, 1);
  await editStore(page, { replace: 42, add: { key: 'someone-else', value: { hello: 'world' } } });
  await page.reload(); // the link holds e=1: the page trains to it
  await ready(page, 1);
  await untilText(page, notice(page), /Discarded a record in this browser’s storage: it is not a saved run\./);
  await editStore(page, { replace: 'a string' });
  await page.goto('about:blank');
  await page.goto(BASE_URL); // no link
  await ready(page, 0);
  await untilText(page, notice(page), /Discarded a record in this browser’s storage: it is not a saved run\./);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a damaged saved run is discarded, and the message says which run and why', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await trainAndKeep(page, 2);
  await editStore(page, { merge: { settings: { hiddenDim: 'sixteen' } } });
  await page.reload();
  await ready(page, 2);
  await untilText(
    page,
    notice(page),
    /Discarded the run saved in this browser at epoch 2 \(saved 1 minute ago\): its setting hiddenDim is "sixteen": Hidden size H must be a whole number/,
  );
  await trainAndKeep(page, 3);
  await editStore(page, { merge: { json: '{"format": "something else"}' } });
  await page.reload();
  await ready(page, 3);
  await untilText(
    page,
    notice(page),
    /Discarded the run saved in this browser at epoch 3 \(saved 1 minute ago\): its model was refused \(.*not a saved rnn-playground model/,
  );
  await notice(page).getByRole('button', { name: 'Dismiss' }).click();
  await until(page, async () => !(await notice(page).isVisible()), 'the notice dismissed');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a saved time that is not a time never shows NaN: the run comes back without one', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await trainAndKeep(page, 1);
  for (const savedAt of ['yesterday', null, Date.now() + 1e9]) {
    await editStore(page, { merge: { savedAt } });
    await page.reload();
    await ready(page, 1);
    await untilText(page, page.locator('#message'), /Welcome back: restored your run, trained for 1 epoch\./, `the run back, saved at ${savedAt}`);
    assert.doesNotMatch(await page.locator('body').textContent(), /NaN/);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
