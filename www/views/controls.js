// @ts-check
// The controls: Train / Pause, Step and Reset; the settings form (built from the settings
// table in state.js); the status line; and the bar that asks before a change resets the model.

import { FORM_SETTINGS, settingOf, parse } from '../state.js';
import { grouped } from '../numbers.js';

/**
 * What the controls ask the page to do.
 * @typedef {{ train(): void, pause(): void, step(): void, reset(): void, apply(): void, discard(): void,
 *   change(key: string, value: any): void, randomSeed(key: string): void, copyLink(): void, save(): void,
 *   load(file: File): void }} Actions
 */

export class Controls {
  /**
   * @param {HTMLElement} root
   * @param {Actions} actions
   */
  constructor(root, actions) {
    this.actions = actions;
    const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (root.querySelector(sel));
    this.trainButton = /** @type {HTMLButtonElement} */ ($('#train'));
    this.stepButton = /** @type {HTMLButtonElement} */ ($('#step'));
    this.resetButton = $('#reset');
    this.status = $('#status');
    // run B's, when two runs are compared
    this.statusB = $('#status-b');
    /** @type {string | undefined} run A's name while comparing */
    this.nameA = undefined;
    this.message = $('#message');
    this.pending = $('#pending');
    this.form = $('#settings');
    this.progress = $('#epoch-progress');
    this.linkProblems = $('#link-problems');
    this.storageNotice = $('#storage-notice');
    this.running = false;
    this.form.addEventListener('submit', (e) => e.preventDefault());
    this.linkProblems.querySelector('button').addEventListener('click', () => this.showLinkProblems([]));
    this.storageNotice.querySelector('button').addEventListener('click', () => this.showStorageNotice(''));

    this.trainButton.addEventListener('click', () => (this.running ? actions.pause() : actions.train()));
    this.stepButton.addEventListener('click', () => actions.step());
    this.resetButton.addEventListener('click', () => actions.reset());
    this.pending.querySelector('.apply').addEventListener('click', () => actions.apply());
    this.pending.querySelector('.discard').addEventListener('click', () => actions.discard());
    root.querySelector('#copy-link').addEventListener('click', () => actions.copyLink());
    root.querySelector('#save-model').addEventListener('click', () => actions.save());
    const file = /** @type {HTMLInputElement} */ ($('#load-file'));
    root.querySelector('#load-model').addEventListener('click', () => file.click());
    file.addEventListener('change', () => file.files[0] && actions.load(file.files[0]));
    this.#buildForm();
  }

  /** Train or Pause, as a click on the button (nothing while it is disabled): the page's space key. */
  pressTrain() {
    this.trainButton.click();
  }

  /** The first model is in the worker: the buttons the page's HTML keeps disabled until then work now. */
  enable() {
    for (const button of [this.trainButton, this.stepButton, this.resetButton]) /** @type {HTMLButtonElement} */ (button).disabled = false;
  }

  #buildForm() {
    /** @type {Record<string, { input: HTMLInputElement | HTMLSelectElement, error: HTMLElement }>} */
    this.fields = {};
    for (const s of FORM_SETTINGS) {
      const id = `setting-${s.key}`;
      const row = document.createElement('div');
      row.className = 'field';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = s.label;
      /** @type {HTMLInputElement | HTMLSelectElement} */
      let input;
      if (s.type === 'choice' || s.type === 'boolean') {
        const select = document.createElement('select');
        const [choices, labels] =
          s.type === 'boolean'
            ? [
                [true, false],
                ['on', 'off'],
              ]
            : [s.choices, s.labels];
        choices.forEach((v, i) => select.add(new Option(labels?.[i] ?? String(v), String(v))));
        input = select;
      } else {
        input = document.createElement('input');
        input.type = 'text';
        input.inputMode = s.type === 'integer' ? (s.nullable ? 'text' : 'numeric') : 'decimal';
        input.autocomplete = 'off';
        input.spellcheck = false;
      }
      input.id = id;
      input.name = s.key;
      const help = document.createElement('small');
      help.id = `${id}-help`;
      help.textContent = s.help + (s.newModel ? ' Needs a new model.' : '');
      const error = document.createElement('small');
      error.id = `${id}-error`;
      error.className = 'error';
      error.hidden = true;
      input.setAttribute('aria-describedby', `${help.id} ${error.id}`);
      const commit = () => {
        const r = parse(s, input.value);
        input.setAttribute('aria-invalid', String(Boolean(r.error)));
        error.hidden = !r.error;
        error.textContent = r.error ?? '';
        if (!r.error) this.actions.change(s.key, r.value);
      };
      input.addEventListener('change', commit);
      if (input instanceof HTMLInputElement) input.addEventListener('keydown', (e) => e.key === 'Enter' && commit());
      row.append(label);
      if (s.random) {
        const wrap = document.createElement('div');
        wrap.className = 'with-button';
        const dice = document.createElement('button');
        dice.type = 'button';
        dice.className = 'icon';
        dice.textContent = 'Random';
        dice.title = `New random ${s.label.toLowerCase()}`;
        dice.setAttribute('aria-label', `New random ${s.label.toLowerCase()}`);
        dice.addEventListener('click', () => this.actions.randomSeed(s.key));
        wrap.append(input, dice);
        row.append(wrap);
      } else {
        row.append(input);
      }
      row.append(help, error);
      if (s.key === 'learningRate') {
        // the halvings, said here where the rate is shown, in the page's flow (never over it)
        this.halvedNote = document.createElement('small');
        this.halvedNote.id = `${id}-halved`;
        this.halvedNote.className = 'halved';
        this.halvedNote.setAttribute('role', 'status');
        this.halvedNote.hidden = true;
        input.setAttribute('aria-describedby', `${help.id} ${this.halvedNote.id} ${error.id}`);
        row.append(this.halvedNote);
      }
      this.form.append(row);
      this.fields[s.key] = { input, error };
    }
  }

  /** Shows `values` in the form (without firing changes). @param {Record<string, any>} values */
  show(values) {
    for (const [key, { input, error }] of Object.entries(this.fields)) {
      input.value = values[key] === null ? 'none' : String(values[key]);
      input.setAttribute('aria-invalid', 'false');
      error.hidden = true;
    }
  }

  /** The rate in force in the learning-rate field, unless the user is typing in it. @param {number} learningRate */
  showRate(learningRate) {
    const { input } = this.fields.learningRate;
    const text = String(+learningRate.toPrecision(6));
    if (document.activeElement !== input && input.getAttribute('aria-invalid') !== 'true' && input.value !== text) input.value = text;
  }

  /**
   * Under the rate, how often the run's rate rule halved it, why, and when last: said once, kept
   * while the run lasts. @param {import('../shapes.js').LossRecord[]} halvings the records that halved it
   * @param {Record<string, any>} settings the run's settings: its rateRule and halveEvery
   */
  showHalvings(halvings, { rateRule, halveEvery }) {
    const last = halvings.at(-1);
    const every = halveEvery === 1 ? 'every epoch' : `every ${grouped(halveEvery)} epochs`;
    const why = rateRule === 'stepDecay' ? `by the step decay (${every})` : 'by the notebook’s rule (the loss rose)';
    const text = !last
      ? ''
      : `${halvings.length === 1 ? 'Halved' : `Halved ${halvings.length} times`} ${why}${halvings.length === 1 ? ' at' : ', last at'} epoch ${grouped(last.epoch)}, to ${+last.learningRate.toPrecision(6)}.`; // as the field writes it
    if (this.halvedNote.textContent === text) return;
    this.halvedNote.textContent = text;
    this.halvedNote.hidden = !text;
  }

  /** The entries of a link that were not used, until dismissed. @param {string[]} problems */
  showLinkProblems(problems) {
    this.linkProblems.hidden = problems.length === 0;
    const list = this.linkProblems.querySelector('ul');
    list.replaceChildren(...problems.map((p) => Object.assign(document.createElement('li'), { textContent: p })));
  }

  /** What happened to the run saved in this browser (discarded, unreadable), until dismissed. @param {string} text */
  showStorageNotice(text) {
    this.storageNotice.hidden = !text;
    this.storageNotice.querySelector('.text').textContent = text;
  }

  /** A progress bar for slow work, or none. @param {{ label: string, done: number, total: number } | null} p */
  setProgress(p) {
    // hidden by visibility, never display: its place on the buttons' row is kept, so nothing moves when slow epochs show it
    this.progress.classList.toggle('idle', !p);
    if (!p) return;
    const bar = this.progress.querySelector('progress');
    bar.max = p.total;
    bar.value = p.done;
    this.progress.querySelector('span').textContent = `${p.label} ${Math.floor((100 * p.done) / p.total)}%`;
  }

  /** The bar asking to reset for `keys` (labels), or hides it for none. @param {string[]} keys */
  showPending(keys) {
    this.pending.hidden = keys.length === 0;
    this.pending.querySelector('.what').textContent = keys.map((k) => settingOf(k).label.toLowerCase()).join(', ');
    for (const { input } of Object.values(this.fields)) input.classList.remove('changed');
    for (const k of keys) this.fields[k].input.classList.add('changed');
  }

  /** @param {boolean} running */
  setRunning(running) {
    this.running = running;
    this.trainButton.textContent = running ? 'Pause' : 'Train';
    this.trainButton.setAttribute('aria-pressed', String(running));
    this.trainButton.classList.toggle('running', running);
    this.stepButton.disabled = running;
  }

  /**
   * The status line: the core's report of the last whole epoch, and the measured training speed.
   * @param {import('../shapes.js').Report} report
   * @param {number | null} sequencesPerSecond
   * @param {string} [name] the run's name, when two are compared (run A's is kept from `showRunB`)
   * @param {HTMLElement} [line] the status line: run A's unless given (run B's is `statusB`)
   */
  setStatus({ epoch, examplesSeen, learningRate, loss }, sequencesPerSecond, name = this.nameA, line = this.status) {
    const parts = [
      ...(name ? [`<b class="run-name">${escapeHtml(name)}</b>`] : []),
      `epoch <b data-epoch="${epoch}">${grouped(epoch)}</b>`,
      `${grouped(examplesSeen)} seen`,
      `<span title="training sequences per second">${sequencesPerSecond ? grouped(sequencesPerSecond) : '–'} seq/s</span>`,
      `lr <b>${+learningRate.toPrecision(4)}</b>`,
      `loss <b>${Number.isFinite(loss) ? loss.toFixed(4) : loss}</b>`,
    ];
    line.innerHTML = parts.join(' · ');
  }

  /** A second status line for run B, and both runs named; null: one run. @param {{ a: string, b: string } | null} names */
  showRunB(names) {
    this.nameA = names?.a;
    this.statusB.hidden = !names;
    if (!names) this.statusB.textContent = '';
    else if (!this.statusB.textContent) this.statusB.textContent = `${names.b} · preparing…`;
  }

  /**
   * A message floating at the foot of the window (so that it never pushes the page down while
   * training), with buttons for what to do about it and one to dismiss it.
   * @param {string} text
   * @param {'info' | 'error'} kind
   * @param {{ label: string, run: () => void }[]} actions
   */
  say(text, kind = 'info', actions = []) {
    this.message.textContent = text;
    for (const { label, run } of actions) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', () => {
        this.say('');
        run();
      });
      this.message.append(' ', b);
    }
    if (text) {
      const close = document.createElement('button');
      close.type = 'button';
      close.className = 'dismiss';
      close.textContent = '×';
      close.setAttribute('aria-label', 'Dismiss this message');
      close.addEventListener('click', () => this.say(''));
      this.message.append(close);
    }
    this.message.dataset.kind = kind;
    this.message.hidden = !text;
  }

  /**
   * `say`, once the message area is free: a notice that can wait (a new build is ready) never
   * replaces one the reader may still need (a diverging epoch's offers, a restored run).
   * @param {string} text
   * @param {'info' | 'error'} kind
   * @param {{ label: string, run: () => void }[]} actions
   */
  sayWhenFree(text, kind = 'info', actions = []) {
    if (this.message.hidden) return this.say(text, kind, actions);
    const watch = new MutationObserver(() => {
      if (!this.message.hidden) return;
      watch.disconnect();
      this.say(text, kind, actions);
    });
    watch.observe(this.message, { attributes: true, attributeFilter: ['hidden'] });
  }
}

/** Text made safe for innerHTML. @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
