// @ts-check
// Marks of the page's start, each made once: the first-epoch benchmark (bench/first-epoch.mjs)
// reads them to say where the time to the first epoch goes. The page itself never reads them.

/** The names marked so far. */
const marked = new Set();

/** Marks `name` (with `detail`, e.g. the worker's own times) unless it is marked already. @param {string} name @param {unknown} [detail] */
export function markOnce(name, detail) {
  if (marked.has(name)) return; // called on every progress and frame: a set, not the timeline, is asked
  marked.add(name);
  performance.mark(name, detail === undefined ? undefined : { detail });
}

/** Now, as milliseconds since 1970: comparable between the page and its worker. */
export const wallClock = () => performance.timeOrigin + performance.now();
