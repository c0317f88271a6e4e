// @ts-check
// The parts of the page a link hides (`#hide=settings,homework`, state.js's PAGE_PARTS): each is an
// element marked `data-part` in index.html, hidden with a class so that no view showing or hiding
// its own element with `hidden` (the preset switch, the homework) can bring it back. A hidden part
// is out of the layout, the tab order and the accessibility tree (display: none); style.css
// closes the grid's gap where it was.

import { PAGE_PARTS } from '../state.js';

/** The class that hides a part: `display: none` in style.css. */
const HIDDEN = 'hidden-part';

export class PageParts {
  /** @param {ParentNode} root */
  constructor(root) {
    /** @type {Map<string, HTMLElement>} */
    this.parts = new Map();
    for (const name of Object.keys(PAGE_PARTS)) {
      const el = /** @type {HTMLElement | null} */ (root.querySelector(`[data-part="${name}"]`));
      if (!el) throw new Error(`index.html has no data-part="${name}", a part state.js says a link can hide`);
      this.parts.set(name, el);
    }
  }

  /** Hides exactly the parts named (commas between, as the setting `hide` holds them). @param {string} hide */
  show(hide) {
    const hidden = new Set(hide.split(','));
    // focus never stays in a part that disappears: it goes back to the page
    if (document.activeElement instanceof HTMLElement && [...hidden].some((n) => this.parts.get(n)?.contains(document.activeElement)))
      document.activeElement.blur();
    for (const [name, el] of this.parts) el.classList.toggle(HIDDEN, hidden.has(name));
  }
}
