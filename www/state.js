// Every setting of the page in one table: its label, type, default (the notebook's), range,
// whether changing it needs a new model, and its key in the URL hash. The controls, the URL hash
// and the worker's config are all derived from this table. Every setting that changes the
// numbers is in the link, so a link reproduces a run; the core checks the combinations.

export const SETTINGS = [
  { key: 'learningRate', hash: 'lr', label: 'Learning rate', kind: 'rate', default: 0.005, reset: false,
    help: 'SGD step size: any number above 0. It is halved whenever the loss rises; the field shows the rate in force. Changes take effect at once.' },
  { key: 'hiddenDim', hash: 'h', label: 'Hidden size H', kind: 'int', default: 100, min: 1, max: 512, reset: true,
    help: 'Units in the hidden state s_t: the network’s memory.' },
  { key: 'bpttTruncate', hash: 'trunc', label: 'BPTT truncation', kind: 'int', default: 20, min: 0, max: 1000, reset: true,
    help: 'How many steps back each output’s error flows. 13 or more is exact for 14 steps.' },
  { key: 'nSamples', hash: 'n', label: 'Training samples', kind: 'int', default: 1000, min: 1, max: 100000, reset: true,
    help: 'Random additions trained on, one SGD step each per epoch.' },
  { key: 'nDigits', hash: 'd', label: 'Digits per number', kind: 'int', default: 7, min: 1, max: 18, reset: true,
    help: 'The notebook adds two 7-digit numbers: 14 input steps.' },
  { key: 'evaluateLossAfter', hash: 'ev', label: 'Evaluate every', kind: 'int', default: 1, min: 1, max: 1000, reset: true,
    help: 'Epochs between loss evaluations (and chances to halve the rate). 1 is the notebook’s.' },
  { key: 'dataSeed', hash: 'ds', label: 'Data seed', kind: 'int', default: 10, min: 0, max: 4294967295, reset: true, random: true,
    help: 'np.random.seed before the data is drawn. 10 is the notebook’s.' },
  { key: 'modelSeed', hash: 'ms', label: 'Model seed', kind: 'seed', default: 10, min: 0, max: 4294967295, reset: true, random: true,
    help: 'np.random.seed before the weights are drawn (“none”: drawn right after the data, no re-seed). 10 is the notebook’s.' },
  { key: 'speed', hash: 'speed', label: 'Speed', kind: 'choice', default: 0, reset: false, worker: false,
    choices: [[1, '1 epoch/s'], [2, '2 epochs/s'], [5, '5 epochs/s'], [0, 'As fast as possible']],
    help: 'How often an epoch runs while training.' },
  { key: 'a', hash: 'a', label: 'First number', kind: 'digits', default: '9401901', reset: false, worker: false },
  { key: 'b', hash: 'b', label: 'Second number', kind: 'digits', default: '8908643', reset: false, worker: false },
  // not a setting of the form: a link's epoch, which the page trains to when it opens the link
  { key: 'epoch', hash: 'e', label: 'Epoch', kind: 'int', default: 0, min: 0, max: 1000000, reset: false, worker: false, form: false },
];

export function defaults() {
  return Object.fromEntries(SETTINGS.map((s) => [s.key, s.default]));
}

/** A setting's value from text, or an error message. */
export function parse(setting, text) {
  const t = String(text).trim();
  switch (setting.kind) {
    case 'int': {
      if (!/^\d+$/.test(t)) return { error: `${setting.label} must be a whole number from ${setting.min} to ${setting.max}` };
      const v = Number(t);
      if (v < setting.min || v > setting.max) return { error: `${setting.label} must be from ${setting.min} to ${setting.max}` };
      return { value: v };
    }
    case 'rate': {
      const v = Number(t);
      if (t === '' || !Number.isFinite(v) || v <= 0) return { error: `${setting.label} must be a number above 0, such as 0.005` };
      return { value: v };
    }
    case 'seed': {
      if (/^none$/i.test(t)) return { value: null };
      return parse({ ...setting, kind: 'int' }, t);
    }
    case 'choice': {
      const c = setting.choices.find(([v]) => String(v) === t);
      return c ? { value: c[0] } : { error: `${setting.label} must be one of ${setting.choices.map(([, l]) => l).join(', ')}` };
    }
    case 'digits':
      return /^\d{0,18}$/.test(t) ? { value: t } : { error: `${setting.label} must be digits` };
    default:
      return { error: `unknown kind ${setting.kind}` };
  }
}

/** Settings from a URL hash like "#h=32&lr=0.01"; unknown or bad entries are reported, not used. */
export function fromHash(hash) {
  const values = defaults();
  const problems = [];
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const short = (t) => (t.length > 24 ? `${t.slice(0, 24)}…` : t);
  for (const [k, text] of params) {
    const setting = SETTINGS.find((s) => s.hash === k);
    if (!setting) {
      problems.push(`“${short(k)}” is not a setting`);
      continue;
    }
    const r = parse(setting, text);
    if (r.error) problems.push(`${setting.hash}=${short(text)}: ${r.error}`);
    else values[setting.key] = r.value;
  }
  return { values, problems };
}

/** The URL hash for `values`: only what differs from the defaults, so links stay short. */
export function toHash(values) {
  const params = new URLSearchParams();
  for (const s of SETTINGS) {
    if (values[s.key] !== s.default) params.set(s.hash, values[s.key] === null ? 'none' : String(values[s.key]));
  }
  const text = params.toString();
  return text ? `#${text}` : '';
}

/** The settings the form shows. */
export const FORM_SETTINGS = SETTINGS.filter((s) => s.kind !== 'digits' && s.form !== false);

/** The part of the settings the model is built from. */
export function workerConfig(values) {
  return Object.fromEntries(SETTINGS.filter((s) => s.worker !== false).map((s) => [s.key, values[s.key]]));
}

/** Keys whose change needs a new model, among those that differ between two settings. */
export function resetNeeded(a, b) {
  return SETTINGS.filter((s) => s.reset && a[s.key] !== b[s.key]).map((s) => s.key);
}
