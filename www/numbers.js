// @ts-check
// Whole numbers as the page writes them. Not Intl.NumberFormat: making the first one costs 20 to
// 50 ms of the page's start (docs/speed.md), for what one regular expression does.

/** A whole number with its thousands grouped by commas, as English writes it: 1,234,567. @param {number} n */
export const grouped = (n) => String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',');
