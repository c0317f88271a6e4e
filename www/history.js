// @ts-check
// The loss history the charts draw, bounded like the core's: past CHART_POINTS records it is
// thinned evenly, keeping the first, the latest and every halving (the rule of `thin` in
// src/train.rs), so the page's memory stays flat however long it trains.

/** @import { LossRecord } from './shapes.js' */

export const CHART_POINTS = 2000;

/** Drops every other record but the first, the last and every halving. @param {LossRecord[]} records */
export function thin(records) {
  let keep = false;
  const last = records.length - 1;
  return records.filter((r, i) => {
    if (i === 0 || i === last || r.halved) return true;
    keep = !keep;
    return keep;
  });
}

/** `history` with `records` (all later than its last) appended, bounded.
 * @param {LossRecord[]} history @param {LossRecord[]} records */
export function append(history, records) {
  let out = history.concat(records);
  while (out.length > CHART_POINTS) {
    const before = out.length;
    out = thin(out);
    if (out.length === before) break;
  }
  return out;
}
