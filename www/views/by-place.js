// @ts-check
// Which output digits are hard: the held-out test sums' accuracy at each place of the sum, as
// bars, the most significant place on the left. In the notebook's layout the middle places,
// whose carry depends on digits not yet read, stay near 50 %; the aligned layout gets them all.

export class ByPlaceView {
  /** @param {HTMLElement} el */
  constructor(el) {
    this.el = el;
    /** @type {string} what is drawn, as a key */
    this.shown = '';
    // the bars' scale: 0 %, 50 % and 100 % beside the heights they stand for (style.css)
    this.axis = document.createElement('div');
    this.axis.className = 'axis';
    this.axis.setAttribute('aria-hidden', 'true');
    for (const p of [100, 50, 0]) this.axis.append(Object.assign(document.createElement('span'), { className: `at-${p}`, textContent: `${p}%` }));
  }

  /** @param {number[] | undefined} byPlace entry k: the sum's digit worth 10^k */
  render(byPlace) {
    const list = byPlace ?? [];
    const key = list.map((v) => v.toFixed(3)).join(',');
    if (key === this.shown) return;
    this.shown = key;
    const sup = (/** @type {number} */ k) => String(k).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
    // "10¹³" needs about 24 px: on narrower bars every other place is named, so no two names run together
    const every = this.el.clientWidth / (list.length + 1) < 24 ? 2 : 1;
    if (!list.length) return this.el.replaceChildren();
    this.el.replaceChildren(
      this.axis,
      ...list
        .map((v, k) => {
          const bar = document.createElement('div');
          bar.className = 'place';
          bar.title = `digit worth 10${sup(k)}: ${(v * 100).toFixed(1)}% right on the test sums`;
          bar.setAttribute('role', 'img');
          bar.setAttribute('aria-label', bar.title);
          const fill = document.createElement('span');
          fill.className = 'fill';
          fill.style.setProperty('--value', v.toFixed(4));
          const label = document.createElement('small');
          label.textContent = k % every === 0 ? `10${sup(k)}` : '';
          bar.append(fill, label);
          return bar;
        })
        .reverse(),
    );
  }
}
