// @ts-check
// Marks of the page's start, each made once: the first-epoch benchmark (bench/first-epoch.mjs)
// reads them to say where the time to the first epoch goes. The page itself never reads them.

/** Marks `name` (with `detail`, e.g. the worker's own times) unless it is marked already. @param {string} name @param {unknown} [detail] */
export function markOnce(name, detail) {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name, detail === undefined ? undefined : { detail });
}

/** Now, as milliseconds since 1970: comparable between the page and its worker. */
export const wallClock = () => performance.timeOrigin + performance.now();
