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

  /**
   * @param {number[] | undefined} byPlace entry k: the sum's digit worth 10^k
   * @param {{ values: number[] | undefined, names: { a: string, b: string } } | null} [second] a
   *   second run compared: each place gets a bar per run, in the runs' colours (the accuracy
   *   chart's legend above names them)
   */
  render(byPlace, second = null) {
    const list = byPlace ?? [];
    const other = second ? (second.values ?? []) : null;
    const key = [list, other ?? []].map((l) => l.map((v) => v.toFixed(3)).join(',')).join('|') + (second ? `|${second.names.a}|${second.names.b}` : '');
    if (key === this.shown) return;
    this.shown = key;
    const sup = (/** @type {number} */ k) => String(k).replace(/\d/g, (d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]);
    // "10¹³" needs about 24 px: on narrower bars every other place is named, so no two names run together
    const places = Math.max(list.length, other?.length ?? 0);
    const every = this.el.clientWidth / (places + 1) < 24 ? 2 : 1;
    if (!places) return this.el.replaceChildren();
    /** @param {number | undefined} v @param {string} run */
    const fill = (v, run) => {
      const f = document.createElement('span');
      f.className = run ? `fill ${run}` : 'fill';
      f.style.setProperty('--value', (v ?? 0).toFixed(4));
      return f;
    };
    const pct = (/** @type {number | undefined} */ v) => (v == null ? 'not yet measured' : `${(v * 100).toFixed(1)}%`);
    this.el.replaceChildren(
      this.axis,
      ...Array.from({ length: places }, (_, k) => {
        const bar = document.createElement('div');
        bar.className = 'place';
        bar.title =
          second && other
            ? `digit worth 10${sup(k)} on the test sums: ${second.names.a}, ${pct(list[k])} right; ${second.names.b}, ${pct(other[k])} right`
            : `digit worth 10${sup(k)}: ${pct(list[k])} right on the test sums`;
        bar.setAttribute('role', 'img');
        bar.setAttribute('aria-label', bar.title);
        const label = document.createElement('small');
        label.textContent = k % every === 0 ? `10${sup(k)}` : '';
        if (other) {
          const pair = document.createElement('span');
          pair.className = 'pair';
          pair.append(fill(list[k], 'run-a'), fill(other[k], 'run-b'));
          bar.append(pair, label);
        } else {
          bar.append(fill(list[k], ''), label);
        }
        return bar;
      }).reverse(),
    );
  }
}
