/** The least-squares line y ≈ slope·x + intercept, and the Pearson correlation of x and y. */
export interface LinearFit {
  slope: number;
  intercept: number;
  correlation: number;
}

/** Fits `ys` on `xs` (same length). Constant `xs` give no line: slope 1, intercept 0, correlation 0. */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
    syy += (ys[i]! - my) ** 2;
  }
  if (sxx === 0) return { slope: 1, intercept: 0, correlation: 0 };
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, correlation: syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy) };
}
