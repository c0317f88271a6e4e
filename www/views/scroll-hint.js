// @ts-check
// A box that scrolls sideways says so: on a phone the unrolled network is wider than the screen,
// and nothing showed that more steps lie to the right. Marks the box with data-more="left right"
// (style.css fades those edges) and shows a line of text while anything is out of sight.

/** @param {HTMLElement} scroller the overflow-x box @param {HTMLElement} hint the line that says so */
export function hintSideways(scroller, hint) {
  const update = () => {
    const hiddenWidth = scroller.scrollWidth - scroller.clientWidth;
    const more = [scroller.scrollLeft > 1 && 'left', scroller.scrollLeft < hiddenWidth - 1 && 'right'].filter(Boolean).join(' ');
    if (scroller.dataset.more !== more) scroller.dataset.more = more;
    hint.hidden = hiddenWidth <= 1;
    const text = scroller.scrollLeft < hiddenWidth - 1 ? 'Not every step fits: scroll sideways for the rest →' : '← Scroll back for the first steps';
    if (hint.textContent !== text) hint.textContent = text;
  };
  scroller.addEventListener('scroll', update, { passive: true });
  // the box's width changes with the window, its content's with the number of steps
  const sizes = new ResizeObserver(update);
  sizes.observe(scroller);
  for (const child of scroller.children) sizes.observe(child);
  update();
}
