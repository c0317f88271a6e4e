// @ts-check
// The ten decimal digits the network reads and writes: its input x_t and output o_t are one-hot
// over them (the core's N_CLASSES in src/data.rs), so a prediction's `probabilities` is
// steps × DIGITS, row-major, and digit d of step t is at t * DIGITS + d.

export const DIGITS = 10;
