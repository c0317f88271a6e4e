// @ts-check
// The one helper the views share for building their DOM.

/** A new element with an optional class and text. @param {string} tag @param {string} [className] @param {string} [text] */
export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}
