// Statistics and formatting shared by the benchmark sections.

/** Median of a list of numbers (mean of the middle two for even lengths). */
export function median(values) {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile (0 < p <= 100) of a list of numbers. */
export function percentile(values, p) {
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** A number with `digits` significant decimals and thousands separators: 12,345 or 1.23. */
export function fmt(value, digits = 0) {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio as `0.93×`. */
export function ratio(value) {
  return `${value.toFixed(2)}×`;
}

/** Bytes as `5,432 B (5.43 kB)` with 1 kB = 1000 B. */
export function bytes(value) {
  return `${fmt(value)} B (${(value / 1000).toFixed(2)} kB)`;
}

/** Per-run values as a compact list: `[1.2, 1.3, 1.1, 1.2, 1.4]`. */
export function runs(values, digits = 0) {
  return `[${values.map((v) => fmt(v, digits)).join(', ')}]`;
}

/** `pass` or `FAIL`, for a target column. */
export function verdict(ok) {
  return ok ? 'pass' : 'FAIL';
}
