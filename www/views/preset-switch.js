// @ts-check
// The switch between the core's presets (src/config.rs `Preset`): one button each, with one
// sentence on what the network reads. Picking one starts a new model from its settings.

/** One sentence a student can hold on to; the core's longer doc is the button's title. */
const SENTENCE = {
  notebook: 'reads a then b: cannot know the carry',
  carry: 'reads digits in pairs from the right: learns to carry',
  memory: 'reads a, waits, then b: must remember a (gates)',
};

export class PresetSwitch {
  /**
   * @param {HTMLElement} el
   * @param {{ name: string, doc: string }[]} presets
   * @param {(name: string) => void} onPick
   */
  constructor(el, presets, onPick) {
    this.el = el;
    el.hidden = presets.length < 2;
    /** @type {Map<string, HTMLButtonElement>} */
    this.buttons = new Map();
    for (const { name, doc } of presets) {
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', 'false');
      b.title = doc;
      const title = document.createElement('b');
      title.textContent = name[0].toUpperCase() + name.slice(1);
      const sentence = document.createElement('span');
      sentence.textContent = /** @type {Record<string, string>} */ (SENTENCE)[name] ?? doc;
      b.append(title, sentence);
      b.addEventListener('click', () => b.getAttribute('aria-checked') !== 'true' && onPick(name));
      this.buttons.set(name, b);
      el.append(b);
    }
  }

  /** Marks the preset the current model started from. @param {string} name */
  show(name) {
    for (const [n, b] of this.buttons) b.setAttribute('aria-checked', String(n === name));
  }
}
