// The homework's code editor under the page's strict CSP: pasting, typing and inserting text over
// a selection that spans highlighted tokens put the text in, and nothing is refused by the policy
// (no console message, no securitypolicyviolation event, in the page or the editor's shadow root).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, until } from './browser.mjs';
import { openHomework } from './homework-page.mjs';

let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const CODE = 'function bptt(model, x, y) {\n  // a comment, then a string\n  return [1, "two", model.U];\n}\n';

test('paste, typing and inserted text over a highlighted selection raise no CSP violation', async () => {
  const { page, problems, context } = await openHomework(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate(() => {
    window.violations = [];
    const record = (e) => window.violations.push(`${e.violatedDirective}: ${e.composedPath()[0]?.outerHTML?.slice(0, 120) ?? e.target}`);
    document.addEventListener('securitypolicyviolation', record, true);
    document.querySelector('.hw-editor-host').shadowRoot.addEventListener('securitypolicyviolation', record, true);
  });
  const box = page.getByRole('textbox', { name: 'Your code' });
  const text = async () => (await box.textContent()).replace(/\s/g, '');
  const selectAll = async () => {
    await box.click();
    await page.keyboard.press('Control+A');
  };
  // each over the whole highlighted skeleton (keywords, comments, strings in one selection)
  await page.evaluate((code) => navigator.clipboard.writeText(code), CODE);
  await selectAll();
  await page.keyboard.press('Control+V');
  await until(page, async () => (await text()) === CODE.replace(/\s/g, ''), 'the pasted code');
  await selectAll();
  await page.keyboard.type('let a');
  await until(page, async () => (await text()) === 'leta', 'the typed text');
  await page.keyboard.press('Control+Z');
  await until(page, async () => (await text()) === CODE.replace(/\s/g, ''), 'the pasted code back after undo');
  await selectAll();
  await page.keyboard.insertText('const b = "c"; // d');
  await until(page, async () => (await text()) === 'constb="c";//d', 'the inserted text');
  // typing at a caret
  await page.keyboard.press('End');
  await page.keyboard.type(' e');
  await until(page, async () => (await text()) === 'constb="c";//de', 'typing at the caret');
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(problems, []);
  await context.close();
});
