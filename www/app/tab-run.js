// @ts-check
// Which saved run is this tab's: its id is kept in sessionStorage, which a reload (and Back or
// Forward) keeps and a new tab does not; the navigation's type tells a reload from a link opened.

const KEY = 'rnn-playground:run';

/** The id kept where sessionStorage is refused (a blocked storage): this page's life only. */
let memory = /** @type {string | null} */ (null);

/** This tab's run id, or null in a new tab. */
export function tabRun() {
  try {
    return sessionStorage.getItem(KEY) ?? memory;
  } catch {
    return memory;
  }
}

/** @param {string} id */
export function setTabRun(id) {
  memory = id;
  try {
    sessionStorage.setItem(KEY, id);
  } catch {
    // kept in memory only: a reload will not find it
  }
}

/** The page was reloaded, or reached by Back or Forward: it is the same tab's same run, whatever its link says. */
export function returning() {
  const nav = /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType('navigation')[0]);
  return nav?.type === 'reload' || nav?.type === 'back_forward';
}
