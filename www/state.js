// @ts-check
// The page's settings. What a setting of the model is (its type, default, bounds, whether a
// change needs a new model) comes from the core's one table, src/config.rs, which the build
// writes to pkg/settings-schema.js; this file adds only what is the page's own: each shown
// setting's label, URL key and help, and the settings the core never sees (speed, the typed sum,
// a link's epoch, the parts a link hides). The form, the URL hash and the worker's config are all
// derived from SETTINGS.

import { SCHEMA } from './pkg/settings-schema.js';

/**
 * @typedef {{ type: 'integer', min: number, max: number, nullable?: boolean }
 *   | { type: 'positiveNumber', nullable?: boolean }
 *   | { type: 'fraction' }
 *   | { type: 'boolean' }
 *   | { type: 'choice', choices: (string | number)[], labels?: string[] }
 *   | { type: 'digits', maxLength: number }
 *   | { type: 'parts', choices: string[] }} Kind
 * @typedef {Kind & { key: string, hash: string, label: string, help?: string, default: any,
 *   newModel: boolean, core: boolean, form: boolean, random?: boolean }} Setting
 */

/** The page's entries for the core's settings it shows, in the form's order (`form: false`: elsewhere). A core setting
 * with no entry here keeps its default and stays out of the form and the link. */
const SHOWN = {
  // chosen with the switch at the top, not in the form
  preset: { hash: 'preset', label: 'Preset', form: false },
  learningRate: {
    hash: 'lr',
    label: 'Learning rate',
    help: 'Step size: any number above 0. The rate rule may halve it as training goes; the field shows the rate in force. Changes take effect at once.',
  },
  hiddenDim: { hash: 'h', label: 'Hidden size H', help: 'Units in the hidden state s_t: the network’s memory.' },
  bpttTruncate: {
    hash: 'trunc',
    label: 'BPTT truncation',
    help: 'How many steps back each output’s error flows. T − 1 or more cuts nothing for a sum of T steps (13 for the notebook’s 14).',
  },
  nSamples: {
    hash: 'n',
    label: 'Training samples',
    help: 'Random additions trained on each epoch: one SGD step each at batch size 1, one step for every batch otherwise.',
  },
  nDigits: { hash: 'd', label: 'Digits per number', help: 'The notebook adds two 7-digit numbers: 14 input steps.' },
  evaluateLossAfter: { hash: 'ev', label: 'Evaluate every', help: 'Epochs between loss evaluations (and chances to halve the rate). 1 is the notebook’s.' },
  optimizer: { hash: 'opt', label: 'Optimizer', help: 'How the gradients move the weights: plain SGD (the notebook’s), SGD with momentum, or Adam.' },
  batchSize: { hash: 'bs', label: 'Batch size', help: 'Sums per update, their gradients averaged. 1 is the notebook’s SGD on each sum.' },
  precision: {
    hash: 'prec',
    label: 'Batch precision',
    help: 'Arithmetic of a mini-batch’s passes (batch size above 1) and of the losses shown: f64, the notebook’s, or f32, about 1.5 times as fast. The weights, the optimizer and the gradient check stay in f64.',
  },
  clipNorm: { hash: 'clip', label: 'Clip gradient norm', help: 'Scale a step’s gradient down to this length (U, V and W together); “none”: no clipping.' },
  freshData: { hash: 'fresh', label: 'Fresh sums each epoch', help: 'Draw new training sums every epoch, so the network cannot memorise them.' },
  carryRuns: {
    hash: 'carry',
    label: 'Carry runs',
    help: 'Chance that a training digit of b is 9 − a’s, so a carry runs on through that place: long carry chains, rare among random sums, get trained on. 0: uniform digits, the notebook’s. The held-out sums stay uniform.',
  },
  testSamples: {
    hash: 'test',
    label: 'Test sums',
    help: 'Held-out random sums the network never trains on, measured after every evaluation (with the carry chains).',
  },
  layout: {
    hash: 'layout',
    label: 'Layout',
    help: '“notebook”: a’s digits then b’s, most significant first. “aligned”: a_i and b_i together, least significant first, one step more for the last carry. “delayed”: a’s digits then b’s, least significant first, digit i of the sum output while reading b_i (memory), with “Blank steps” between them.',
  },
  gap: {
    hash: 'gap',
    label: 'Blank steps',
    help: 'The “delayed” layout only (the others ignore it): steps between a’s digits and b’s that read a blank, so b_i comes that many steps further from a_i, the digit it is added to. 0: none.',
  },
  cell: {
    hash: 'cell',
    label: 'Cell',
    help: '“vanilla”: the notebook’s s_t = tanh(U x_t + W s_t−1). “gru”, “lstm”: PyTorch’s gated cells, whose gates let the state, and the error flowing back, pass many steps unchanged.',
  },
  rateRule: {
    hash: 'rule',
    label: 'Rate rule',
    help: '“halveOnRise”: the notebook halves the rate when the loss rises; “constant”: it stays; “stepDecay”: halved every “Halve every” epochs, big steps first, then small ones that settle on exact answers.',
  },
  halveEvery: { hash: 'halve', label: 'Halve every', help: 'Epochs between halvings of the rate under the “stepDecay” rule.' },
  momentum: { hash: 'mom', label: 'Momentum', help: 'Momentum’s decay of the velocity (used by the momentum optimizer).' },
  beta1: { hash: 'b1', label: 'Adam β₁', help: 'Adam’s decay of its first moment.' },
  beta2: { hash: 'b2', label: 'Adam β₂', help: 'Adam’s decay of its second moment.' },
  epsilon: { hash: 'eps', label: 'Adam ε', help: 'Adam’s guard against dividing by zero.' },
  dataSeed: { hash: 'ds', label: 'Data seed', random: true, help: 'np.random.seed before the data is drawn. 10 is the notebook’s.' },
  modelSeed: {
    hash: 'ms',
    label: 'Model seed',
    random: true,
    help: 'np.random.seed before the weights are drawn (“none”: drawn right after the data, no re-seed). 10 is the notebook’s.',
  },
};

/** The largest number of digits the core adds: the typed numbers' length limit. */
const MAX_DIGITS = SCHEMA.settings.find((s) => s.key === 'nDigits')?.max ?? 18;

/**
 * The parts of the page a link can hide (`#hide=settings,homework`), as TensorFlow Playground's
 * `*_hide` flags do: a teacher hands out a focused page. Each name is an element's `data-part` in
 * index.html; views/page-parts.js hides them.
 */
export const PAGE_PARTS = {
  presets: 'the preset switch (Notebook, Carry, Memory)',
  try: '“Try this”, the guided path',
  settings: 'the settings, with Copy link, Save and Load',
  sum: '“Your sum”',
  network: 'the unrolled network and its output probabilities',
  charts: 'the loss and accuracy charts',
  heatmap: 'the hidden-state heatmap',
  flow: '“How the error flows back”',
  weights: 'the weights (U, V and W, or a gated cell’s)',
  how: '“How it works”, with the gradient check',
  homework: 'the Homework section',
};

/** Settings of the page alone: never sent to the model. @type {Setting[]} */
const PAGE_ONLY = [
  {
    key: 'speed',
    hash: 'speed',
    label: 'Speed',
    type: 'choice',
    default: 0,
    newModel: false,
    core: false,
    form: true,
    choices: [1, 2, 5, 0],
    labels: ['1 epoch/s', '2 epochs/s', '5 epochs/s', 'As fast as possible'],
    help: 'How often an epoch runs while training.',
  },
  { key: 'a', hash: 'a', label: 'First number', type: 'digits', maxLength: MAX_DIGITS, default: '9401901', newModel: false, core: false, form: false },
  { key: 'b', hash: 'b', label: 'Second number', type: 'digits', maxLength: MAX_DIGITS, default: '8908643', newModel: false, core: false, form: false },
  // a link's epoch, which the page trains to when it opens the link
  { key: 'epoch', hash: 'e', label: 'Epoch', type: 'integer', min: 0, max: 1000000, default: 0, newModel: false, core: false, form: false },
  // the Homework section: 0 closed, else its level of guidance (views/homework.js), and the teacher's switch
  { key: 'homework', hash: 'hw', label: 'Homework', type: 'choice', choices: [0, 1, 2, 3], default: 0, newModel: false, core: false, form: false },
  { key: 'classroom', hash: 'class', label: 'Classroom', type: 'choice', choices: [0, 1], default: 0, newModel: false, core: false, form: false },
  // the step of the guided path ("Try this", views/tour.js) the page was set to, 0 for none
  { key: 'tour', hash: 'try', label: 'Try this', type: 'choice', choices: [0, 1, 2, 3, 4, 5, 6, 7, 8], default: 0, newModel: false, core: false, form: false },
  // the parts of the page hidden, names of PAGE_PARTS joined by commas in its order ('' for none)
  { key: 'hide', hash: 'hide', label: 'Hidden parts', type: 'parts', choices: Object.keys(PAGE_PARTS), default: '', newModel: false, core: false, form: false },
  // the step-through of BPTT (views/walk.js): 0 closed, else the step shown, from 1 (past the walk's last: its last)
  { key: 'walk', hash: 'walk', label: 'Step through BPTT', type: 'integer', min: 0, max: 1000000, default: 0, newModel: false, core: false, form: false },
];

/** The settings of the page's Homework section, guided path, hidden parts and step-through: a change of them alone needs no new model. */
export const SECTION_KEYS = ['homework', 'classroom', 'tour', 'hide', 'walk'];

/** Each preset's values of the core's settings; the first preset's are the defaults. @type {Record<string, Record<string, any>>} */
const PRESET_VALUES = Object.fromEntries(SCHEMA.presets.map((p) => [p.name, p.values]));
/** @type {Record<string, any>} */
const DEFAULTS = SCHEMA.presets[0].values;

/** @param {string} key the core's row for a setting the page shows */
function coreRow(key) {
  const row = SCHEMA.settings.find((s) => s.key === key);
  if (!row) throw new Error(`state.js shows "${key}", which is not a setting of the core (src/config.rs)`);
  return row;
}

/** Every setting: the core's shown ones (in SHOWN's order), then the page's own. @type {Setting[]} */
export const SETTINGS = [
  ...Object.entries(SHOWN).map(([key, page]) => /** @type {Setting} */ ({ ...coreRow(key), default: DEFAULTS[key], core: true, form: true, ...page })),
  ...PAGE_ONLY,
];

/** The settings the form shows. */
export const FORM_SETTINGS = SETTINGS.filter((s) => s.form);

/** @param {string} key */
export const settingOf = (key) => SETTINGS.find((s) => s.key === key);

/**
 * Every setting's value in a preset (the first, the notebook's, by default).
 * @param {string} [preset]
 * @returns {Record<string, any>}
 */
export function defaults(preset) {
  // own keys only: a link's "preset=toString" names no preset
  const values = preset !== undefined && Object.hasOwn(PRESET_VALUES, preset) ? PRESET_VALUES[preset] : DEFAULTS;
  return Object.fromEntries(SETTINGS.map((s) => [s.key, s.core ? values[s.key] : s.default]));
}

/**
 * A setting's value from text, or an error message. A list of parts with some unknown names has
 * both: the known names' value, and the error naming the others.
 * @param {Setting} setting
 * @param {string} text
 * @returns {{ value: any, error?: string } | { error: string, value?: undefined }}
 */
export function parse(setting, text) {
  const t = String(text).trim();
  switch (setting.type) {
    case 'integer': {
      if (setting.nullable && /^none$/i.test(t)) return { value: null };
      if (!/^\d+$/.test(t)) return { error: `${setting.label} must be a whole number from ${setting.min} to ${setting.max}` };
      const v = Number(t);
      if (v < setting.min || v > setting.max) return { error: `${setting.label} must be from ${setting.min} to ${setting.max}` };
      return { value: v };
    }
    case 'positiveNumber': {
      if (setting.nullable && /^(none|off)$/i.test(t)) return { value: null };
      const v = Number(t);
      if (t === '' || !Number.isFinite(v) || v <= 0) return { error: `${setting.label} must be a number above 0, such as ${setting.default}` };
      return { value: v };
    }
    case 'fraction': {
      const v = Number(t);
      if (t === '' || !Number.isFinite(v) || v < 0 || v >= 1) return { error: `${setting.label} must be a number from 0 up to 1, such as ${setting.default}` };
      return { value: v };
    }
    case 'boolean':
      if (/^(true|on|yes)$/i.test(t)) return { value: true };
      if (/^(false|off|no)$/i.test(t)) return { value: false };
      return { error: `${setting.label} must be on or off` };
    case 'choice': {
      const i = setting.choices.findIndex((v) => String(v) === t);
      const names = setting.labels ?? setting.choices.map(String);
      return i >= 0 ? { value: setting.choices[i] } : { error: `${setting.label} must be one of ${names.join(', ')}` };
    }
    case 'digits':
      return new RegExp(`^\\d{0,${setting.maxLength}}$`).test(t) ? { value: t } : { error: `${setting.label} must be digits` };
    case 'parts':
      return parseParts(setting.choices, t);
    default:
      return { error: `unknown kind of setting ${/** @type {any} */ (setting).type}` };
  }
}

/**
 * Names from `choices` listed in `text` (commas between), in `choices`' order, each once; unknown
 * names are named in the error, and the known ones still count.
 * @param {string[]} choices @param {string} text
 * @returns {{ value: string, error?: string }}
 */
function parseParts(choices, text) {
  const names = text
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const unknown = [...new Set(names.filter((n) => !choices.includes(n)))];
  const value = choices.filter((c) => names.includes(c)).join(',');
  if (unknown.length === 0) return { value };
  const short = (/** @type {string} */ n) => `“${n.length > 24 ? `${n.slice(0, 24)}…` : n}”`;
  const named = unknown.slice(0, 3).map(short).join(', ') + (unknown.length > 3 ? ` and ${unknown.length - 3} more` : '');
  const are = unknown.length === 1 ? 'is not a part' : 'are not parts';
  return { value, error: `${named} ${are} of the page that a link can hide; the parts are ${choices.join(', ')}` };
}

/** The most problems a link's notice lists one by one. */
const MAX_PROBLEMS = 5;

/**
 * Settings from a URL hash like "#h=32&lr=0.01"; unknown or bad entries are reported, not used.
 * @param {string} hash
 */
export function fromHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  // a link names its preset, and lists only what differs from it
  const preset = SETTINGS.find((s) => s.key === 'preset');
  const named = preset && params.get(preset.hash);
  const values = defaults(named ?? undefined);
  /** @type {string[]} */
  const problems = [];
  const short = (/** @type {string} */ t) => (t.length > 24 ? `${t.slice(0, 24)}…` : t);
  for (const [k, text] of params) {
    // a compared run's setting: the same table with `b.` before the key (compare.js)
    const compared = k.startsWith(B_PREFIX);
    const setting = compared ? comparable(k.slice(B_PREFIX.length)) : SETTINGS.find((s) => s.hash === k);
    if (!setting) {
      problems.push(`“${short(k)}” is not a setting`);
      continue;
    }
    const r = parse(setting, text);
    if (r.error) problems.push(`${compared ? B_PREFIX : ''}${setting.hash}=${short(text)}: ${r.error}${compared ? ' (run B)' : ''}`);
    // a list of parts keeps its known names beside an unknown one
    if (r.value !== undefined) values[compared ? B_PREFIX + setting.key : setting.key] = r.value;
  }
  // run B is what differs from run A: a b. value equal to A's is no difference
  for (const s of COMPARABLE) if (values[B_PREFIX + s.key] === values[s.key]) delete values[B_PREFIX + s.key];
  // a link of thousands of bad entries names a few and counts the rest
  const more = problems.length - MAX_PROBLEMS;
  if (more > 1) problems.splice(MAX_PROBLEMS, more, `and ${more} more entries that were not used`);
  return { values, problems };
}

/**
 * Settings read back from storage (a saved run's): a plain object whose keys are settings, each
 * value of its setting's kind, or the first thing wrong with it.
 * @param {unknown} stored
 * @returns {{ values: Record<string, any>, problem?: undefined } | { problem: string, values?: undefined }}
 */
export function storedSettings(stored) {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return { problem: 'its settings are not a list of settings' };
  const short = (/** @type {string} */ t) => (t.length > 24 ? `${t.slice(0, 24)}…` : t);
  /** @type {Record<string, any>} */
  const values = {};
  for (const [key, value] of Object.entries(stored)) {
    const setting = key.startsWith(B_PREFIX) ? COMPARABLE.find((s) => s.key === key.slice(B_PREFIX.length)) : settingOf(key);
    if (!setting) return { problem: `its settings name “${short(key)}”, which is not a setting` };
    const r = parse(setting, value === null ? 'none' : String(value));
    if (r.error !== undefined || r.value !== value)
      return { problem: `its setting ${key} is ${short(JSON.stringify(value) ?? String(value))}: ${r.error ?? `not a ${setting.label}`}` };
    values[key] = value;
  }
  return { values };
}

/**
 * The URL hash for `values`: only what differs from the defaults, so links stay short.
 * @param {Record<string, any>} values
 */
export function toHash(values) {
  const params = new URLSearchParams();
  const base = defaults(values.preset);
  for (const s of SETTINGS) {
    if (values[s.key] !== base[s.key] || (s.key === 'preset' && values.preset !== DEFAULTS.preset))
      params.set(s.hash, values[s.key] === null ? 'none' : String(values[s.key]));
  }
  // run B: each of its settings that differs from run A's, under `b.` and the same name
  for (const s of COMPARABLE) {
    const v = values[B_PREFIX + s.key];
    if (v !== undefined && v !== values[s.key]) params.set(B_PREFIX + s.hash, v === null ? 'none' : String(v));
  }
  // a list of parts reads as written (hide=settings,homework): a comma needs no escape in a hash
  const text = params.toString().replaceAll('%2C', ',');
  return text ? `#${text}` : '';
}

/**
 * The part of the settings the model is built from.
 * @param {Record<string, any>} values
 */
export function workerConfig(values) {
  return Object.fromEntries(SETTINGS.filter((s) => s.core).map((s) => [s.key, values[s.key]]));
}

/** Before a setting's key or link name: run B's value of it, when two runs are compared (`#trunc=2&b.trunc=20`). */
export const B_PREFIX = 'b.';

/** The settings run B can differ in: every setting of the model the page shows (whatever the core's table holds). */
export const COMPARABLE = SETTINGS.filter((s) => s.core);

/** @param {string} hash a link's name for a setting, after `b.` */
const comparable = (hash) => COMPARABLE.find((s) => s.hash === hash);

/**
 * Keys whose change needs a new model, among those that differ between two settings.
 * @param {Record<string, any>} a
 * @param {Record<string, any>} b
 */
export function resetNeeded(a, b) {
  return SETTINGS.filter((s) => s.newModel && a[s.key] !== b[s.key]).map((s) => s.key);
}
