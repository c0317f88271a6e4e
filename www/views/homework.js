// @ts-check
// The Homework section: the student writes the notebook's bptt in a code editor, "Check my
// gradients" compares it with the core's on one example (in the page: the student's code runs in
// its own worker and never sees the expected values), and once it passes "Train with my BPTT"
// trains the model with it, example by example: the student's worker gives the gradients, the
// model's worker does the forward pass, the update and the loss at the epoch's end, so the loss
// chart shows their code learning. The code is kept in localStorage, one text per level.
// The student's bptt gets the columns of U each step switches on (`model.hot`) as the core names
// them, so the same code is right in the notebook's layout (one column, x[t]) and in the aligned
// one (two: a_i and 10 + b_i); the section says which the run checks.

import { Command } from '../protocol.js';
import { LEVELS, skeleton } from '../homework/levels.js';
import { Student, explain } from '../homework/student.js';
import { readGradients, compare, diagnose, THRESHOLD } from '../homework/compare.js';
import { explainOnTinyCase } from './homework-explain.js';
import { para, columnsNote, NOT_A_COLUMN } from './homework-text.js';
import { el } from '../dom.js';

/** @typedef {import('../homework/compare.js').Comparison} Comparison */
/** @typedef {import('../homework/student.js').Matrix} Matrix */

/**
 * @typedef {object} HomeworkHost
 * @property {(type: string, payload?: object) => Promise<import('../protocol.js').Message | null>} request a command to the model's worker
 * @property {() => void} pauseTraining stops the page's own training, if it runs
 * @property {(key: 'homework' | 'classroom', value: number) => void} change the page setting changed here (kept in the URL)
 */

const STORAGE = 'rnn-playground.homework.';
const fmt = (/** @type {number} */ e) => (e === 0 ? '0' : e.toExponential(1));

export class HomeworkView {
  /** @param {HTMLElement} root @param {HomeworkHost} host */
  constructor(root, host) {
    this.root = root;
    this.host = host;
    this.level = 0;
    this.training = false;
    /** the code that last passed the check, or null */
    this.passedCode = /** @type {string | null} */ (null);
    /** @type {Awaited<ReturnType<typeof import('../homework/editor.js').createEditor>> | null} */
    this.editor = null;
    /** @type {Promise<void> | null} */
    this.loading = null;
    this.#build();
  }

  #build() {
    const r = this.root;
    r.replaceChildren();
    const head = el('div', 'hw-head');
    const h = el('h2', '', 'Homework: write BPTT yourself');
    h.id = 'homework-h';
    this.openButton = /** @type {HTMLButtonElement} */ (el('button', 'primary', 'Open the homework'));
    this.openButton.type = 'button';
    this.openButton.addEventListener('click', () => this.#choose(1, true));
    this.closeButton = /** @type {HTMLButtonElement} */ (el('button', '', 'Close the homework'));
    this.closeButton.type = 'button';
    this.closeButton.addEventListener('click', () => this.#choose(0));
    head.append(h, this.openButton, this.closeButton);
    const intro = el(
      'p',
      'explain',
      'The notebook is a homework: write its bptt here, in JavaScript. “Check my gradients” runs it on the current model and one training example and compares it with the page’s own gradients the way the notebook’s gradient check does; it tells you whether each gradient is right, never what it should be. Once it passes, train the model with your code and watch the loss.',
    );
    this.body = el('div', 'hw-body');
    // homework is the notebook's bptt: the vanilla cell, a target at every step
    this.unsupported = el('p', 'message');
    this.unsupported.dataset.kind = 'error';
    this.unsupported.setAttribute('role', 'note');
    this.unsupported.hidden = true;

    const tools = el('div', 'hw-tools');
    const levelLabel = el('label', '', 'Guidance');
    levelLabel.setAttribute('for', 'homework-level');
    this.levelSelect = /** @type {HTMLSelectElement} */ (el('select'));
    this.levelSelect.id = 'homework-level';
    for (const l of LEVELS) this.levelSelect.add(new Option(l.label, String(l.level)));
    this.levelSelect.addEventListener('change', () => this.#choose(Number(this.levelSelect.value)));
    this.restartButton = /** @type {HTMLButtonElement} */ (el('button', '', 'Start this level again'));
    this.restartButton.type = 'button';
    this.restartButton.addEventListener('click', () => this.editor?.set(skeleton(this.level)));
    const classroom = el('label', 'hw-switch');
    this.classroomBox = /** @type {HTMLInputElement} */ (el('input'));
    this.classroomBox.type = 'checkbox';
    this.classroomBox.addEventListener('change', () => {
      this.#classroom(this.classroomBox.checked);
      this.host.change('classroom', this.classroomBox.checked ? 1 : 0);
    });
    classroom.append(this.classroomBox, ' Classroom: hide the page’s explanation of BPTT');
    tools.append(levelLabel, this.levelSelect, this.restartButton, classroom);

    const grid = el('div', 'hw-grid');
    this.editorBox = el('div', 'hw-editor');
    this.editorBox.append(el('p', 'hw-loading', 'Loading the editor…'));
    const side = el('div', 'hw-side');
    const contract = el('div', 'hw-contract');
    contract.innerHTML = `<h3>The contract</h3>
      <ul>
        <li><code>x</code>, <code>y</code>: the T input symbols and T target digits of one example (arrays of numbers).</li>
        <li><code>model.U</code> (H × C<sub>in</sub>), <code>model.V</code> (C<sub>out</sub> × H), <code>model.W</code> (H × H): copies of the current weights, as arrays of rows.</li>
        <li><code>model.hot[t]</code>: the columns of U that <code>x[t]</code> switches on (U·x<sub>t</sub> is their sum). In the notebook’s layout it is <code>[x[t]]</code>, so the notebook’s <code>dLdU[:, x[t]]</code> is its one hot column; under the Carry preset it is <code>[a<sub>i</sub>, 10 + b<sub>i</sub>]</code>.</li>
        <li><code>model.bpttTruncate</code>: the run’s BPTT truncation.</li>
        <li><code>model.forward(x)</code> returns <code>[o, s]</code> as in the notebook: <code>o</code> has T rows of output probabilities, <code>s</code> has T + 1 rows, the last the zero state, so <code>s.at(t - 1)</code> is the notebook’s <code>s[t-1]</code>.</li>
        <li>Return <code>[dLdU, dLdV, dLdW]</code>: three arrays of rows shaped like U, V and W.</li>
      </ul>
      <p class="hw-note">Your code runs in a sandbox of its own (no page, no storage, no network), for at most 5 s per example. It is kept in this browser.</p>`;
    const buttons = el('div', 'buttons');
    this.checkButton = /** @type {HTMLButtonElement} */ (el('button', 'primary', 'Check my gradients'));
    this.checkButton.type = 'button';
    this.checkButton.addEventListener('click', () => this.#check());
    this.trainButton = /** @type {HTMLButtonElement} */ (el('button', '', 'Train with my BPTT'));
    this.trainButton.type = 'button';
    this.trainButton.disabled = true;
    this.trainButton.addEventListener('click', () => (this.training ? this.#stop() : this.#train()));
    this.explainButton = /** @type {HTMLButtonElement} */ (el('button', '', 'Explain on a tiny case'));
    this.explainButton.type = 'button';
    this.explainButton.addEventListener('click', () => this.#explainTiny());
    buttons.append(this.checkButton, this.explainButton, this.trainButton);
    this.result = el('div', 'hw-result');
    this.result.setAttribute('role', 'status');
    this.result.setAttribute('aria-live', 'polite');
    this.result.setAttribute('aria-label', 'homework result');
    this.trainStatus = el('p', 'hw-train-status');
    this.trainStatus.setAttribute('aria-live', 'polite');
    // how far the epoch under way is: the charts move only when an epoch ends
    this.progress = /** @type {HTMLProgressElement} */ (el('progress', 'hw-progress'));
    this.progress.setAttribute('aria-label', 'examples of this epoch trained with your BPTT');
    this.progress.hidden = true;
    side.append(buttons, this.result, this.trainStatus, this.progress, contract);
    grid.append(this.editorBox, side);
    this.body.append(tools, grid);
    r.append(head, intro, this.unsupported, this.body);
  }

  /**
   * The page's settings (from the URL): the level (0: closed), the classroom switch, and the run's cell and layout (homework is the vanilla cell's, with a target at every step).
   * @param {{ homework: number, classroom: number, cell?: string, layout?: string }} values
   */
  show({ homework, classroom, cell, layout }) {
    const why =
      cell && cell !== 'vanilla'
        ? `Homework is the notebook’s bptt for its vanilla cell; this run’s cell is ${cell === 'gru' ? 'a GRU' : 'an LSTM'}. Set the cell to vanilla to do it.`
        : layout === 'delayed'
          ? 'Homework needs a target at every step; the delayed layout has none while it reads a or a blank step. Choose another layout to do it.'
          : '';
    this.unsupported.textContent = why;
    this.unsupported.hidden = !why;
    for (const b of [this.checkButton, this.explainButton]) b.disabled = !!why;
    if (why) this.trainButton.disabled = true;
    this.classroomBox.checked = classroom === 1;
    this.#classroom(classroom === 1);
    this.#open(homework);
  }

  /** @param {boolean} on */
  #classroom(on) {
    if (on) document.documentElement.dataset.classroom = '';
    else delete document.documentElement.dataset.classroom;
  }

  /** @param {number} level @param {boolean} [focus] */
  #choose(level, focus = false) {
    this.#open(level);
    this.host.change('homework', level);
    if (focus) this.root.scrollIntoView({ block: 'start' });
  }

  /** @param {number} level 0 closes the section */
  #open(level) {
    if (level !== this.level && this.training) this.#stop();
    const was = this.level;
    this.level = level;
    this.root.dataset.open = level ? 'true' : 'false';
    this.openButton.hidden = level !== 0;
    this.closeButton.hidden = level === 0;
    this.body.hidden = level === 0;
    if (!level) return;
    this.levelSelect.value = String(level);
    if (!this.loading) this.loading = this.#load();
    else if (was !== level) this.loading.then(() => this.editor?.set(this.#stored(level)));
  }

  async #load() {
    try {
      const { createEditor } = await import('../homework/editor.js');
      this.editorBox.replaceChildren();
      this.editor = await createEditor(this.editorBox, this.#stored(this.level), (text) => this.#edited(text));
      this.root.dataset.editor = 'ready';
    } catch (e) {
      this.editorBox.replaceChildren(el('p', 'error', `The editor could not be loaded: ${e.message}`));
    }
  }

  /** @param {number} level */
  #stored(level) {
    try {
      return localStorage.getItem(STORAGE + level) ?? skeleton(level);
    } catch {
      return skeleton(level);
    }
  }

  /** @param {string} text */
  #edited(text) {
    try {
      if (text === skeleton(this.level)) localStorage.removeItem(STORAGE + this.level);
      else localStorage.setItem(STORAGE + this.level, text);
    } catch {
      this.trainStatus.textContent = 'This browser does not let the page keep your code: copy it somewhere before you leave.';
    }
    if (!this.training) this.trainButton.disabled = this.passedCode !== text;
  }

  /** @param {'passed' | 'failed' | 'error' | 'running'} outcome @param {...(string | Node)} content */
  #say(outcome, ...content) {
    this.result.dataset.outcome = outcome;
    this.result.replaceChildren(...content);
  }

  async #check() {
    if (!this.editor) return;
    const code = this.editor.text();
    this.checkButton.disabled = true;
    this.#say('running', el('p', '', 'Running your bptt…'));
    const student = new Student(code);
    try {
      const problem = await this.host.request(Command.homeworkProblem, { example: 0 });
      if (!problem) return this.#say('error', el('p', '', 'The model was replaced meanwhile: check again.'));
      const { U, V, W } = problem.weights;
      const outcome = await student.run({ U, V, W, bpttTruncate: problem.bpttTruncate, x: problem.x, hot: problem.hot, y: problem.y });
      const columns = columnsNote(problem.x, problem.hot);
      const layout = columns ? [columns] : [];
      if (outcome.kind !== 'ok') return this.#fail(explain(outcome), ...layout);
      const read = readGradients(outcome.result, [U, V, W]);
      if (read.error) {
        const hint =
          columns && read.parameter === 'U'
            ? [
                para(
                  'error',
                  'In this layout x[t] is the symbol 10·a',
                  ['sub', 'i'],
                  '\u00a0+\u00a0b',
                  ['sub', 'i'],
                  ', not a column of U: add δ to each column in ',
                  ['code', 'model.hot[t]'],
                  '.',
                ),
              ]
            : [];
        return this.#fail(`Wrong shape or value: ${read.error}.`, ...hint, ...layout);
      }
      const { dU, dV, dW } = problem.expected;
      const rows = compare(read.matrices, [dU, dV, dW]);
      const passed = rows.every((r) => r.passed);
      this.passedCode = passed ? code : null;
      this.trainButton.disabled = !passed || this.training;
      const diagnosis = diagnose(rows, read.matrices);
      const hint = diagnosis ? [el('p', 'hw-hint', diagnosis.hint)] : [];
      if (diagnosis) hint[0].dataset.pattern = diagnosis.pattern;
      this.#say(
        passed ? 'passed' : 'failed',
        this.#table(rows),
        ...hint,
        ...layout,
        el(
          'p',
          'hw-note',
          `Checked on training example ${problem.example} at epoch ${problem.epoch} (H ${U.rows}, truncation ${problem.bpttTruncate}); threshold ${THRESHOLD}, as in the notebook.${passed ? ' Now train with it.' : ''}`,
        ),
      );
    } catch (e) {
      this.#fail(e.message);
    } finally {
      student.close();
      this.checkButton.disabled = false;
    }
  }

  /** Runs the code on the tiny case, one output at a time, and shows where it parts from the loop. */
  async #explainTiny() {
    if (!this.editor) return;
    this.explainButton.disabled = true;
    this.#say('running', el('p', '', 'Running your bptt on a tiny case, one output at a time…'));
    const student = new Student(this.editor.text());
    try {
      const { outcome, nodes } = await explainOnTinyCase(this.host.request, student);
      this.#say(outcome, ...nodes);
    } catch (e) {
      this.#say('error', el('p', 'error', e.message));
    } finally {
      student.close();
      this.explainButton.disabled = false;
    }
  }

  /** @param {string} message @param {...Node} more */
  #fail(message, ...more) {
    this.passedCode = null;
    if (!this.training) this.trainButton.disabled = true;
    this.#say('error', el('p', 'error', message), ...more);
  }

  /** @param {Comparison[]} rows */
  #table(rows) {
    const list = el('ul', 'hw-checks');
    for (const r of rows) {
      const li = el('li', r.passed ? 'ok' : 'bad');
      li.dataset.parameter = r.parameter;
      li.dataset.passed = String(r.passed);
      const mark = el('span', 'mark', r.passed ? '✓' : '✗');
      mark.setAttribute('aria-hidden', 'true');
      const what = r.passed
        ? `dLd${r.parameter} passed: largest relative error ${fmt(r.maxRelativeError)}`
        : `dLd${r.parameter} failed: relative error ${fmt(r.firstFailingError)} at index [${r.firstFailing.join(',\u00a0')}] (largest ${fmt(r.maxRelativeError)})`;
      li.append(mark, el('span', '', what));
      list.append(li);
    }
    return list;
  }

  async #train() {
    if (!this.editor || this.training) return;
    const code = this.editor.text();
    this.host.pauseTraining();
    this.training = true;
    this.trainButton.textContent = 'Stop training';
    this.trainButton.setAttribute('aria-pressed', 'true');
    this.checkButton.disabled = true;
    const student = new Student(code);
    delete this.trainStatus.dataset.error;
    this.trainStatus.textContent = 'Training with your BPTT…';
    let epochs = 0;
    /** the last step's place in its epoch */
    let at = null;
    let failed = false;
    try {
      while (this.training) {
        const next = await this.host.request(Command.homeworkExample);
        if (!next || !this.training) break;
        const { U, V, W } = next;
        const outcome = await student.run({ U, V, W, bpttTruncate: next.bpttTruncate, x: next.x, hot: next.hot, y: next.y });
        if (!this.training) break;
        if (outcome.kind !== 'ok') throw new Error(explain(outcome));
        const read = readGradients(outcome.result, [U, V, W]);
        if (read.error)
          throw new Error(`Wrong shape or value: ${read.error}.${read.parameter === 'U' && columnsNote(next.x, next.hot) ? ` ${NOT_A_COLUMN}` : ''}`);
        const [dU, dV, dW] = read.matrices;
        const stepped = await this.host.request(Command.homeworkStep, { example: next.example, dU, dV, dW });
        if (!stepped) break;
        const e = stepped.epoch;
        if (e) epochs += 1;
        at = e ? null : { done: stepped.done, total: stepped.total };
        this.progress.hidden = false;
        this.progress.max = stepped.total;
        this.progress.value = e ? 0 : stepped.done;
        this.trainStatus.dataset.epochs = String(epochs);
        this.trainStatus.textContent = e
          ? `Your BPTT trained epoch ${e.epoch}: loss ${e.loss.toFixed(4)}${e.halved ? ' (it rose: the rate was halved)' : ''}.`
          : `Training with your BPTT: example ${stepped.done} of ${stepped.total}${epochs ? `, ${epochs} epoch${epochs > 1 ? 's' : ''} done` : ''}…`;
      }
    } catch (err) {
      failed = true;
      this.trainStatus.textContent = `Training stopped: ${err.message}`;
      this.trainStatus.dataset.error = 'true';
    } finally {
      // stopped by the student: say where, not "training…" any more
      if (!failed && at)
        this.trainStatus.textContent = `Stopped at example ${at.done} of ${at.total} of this epoch${epochs ? `, after ${epochs} whole epoch${epochs > 1 ? 's' : ''} with your BPTT` : ''}: an epoch counts once all its examples are done.`;
      else if (!failed && !epochs) this.trainStatus.textContent = 'Stopped before any example was trained.';
      student.close();
      this.training = false;
      this.trainButton.textContent = 'Train with my BPTT';
      this.trainButton.setAttribute('aria-pressed', 'false');
      this.trainButton.disabled = this.passedCode !== this.editor.text();
      this.checkButton.disabled = false;
    }
  }

  #stop() {
    this.training = false;
  }
}
