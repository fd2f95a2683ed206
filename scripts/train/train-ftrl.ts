/**
 * Logistic regression on sparse hashed features, one model per category, trained together in one pass over the
 * examples with FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches", 2013): per-coordinate
 * adaptive learning rates, L1 that leaves unused coordinates exactly 0, L2. It handles a 2^18-slot space over tens of
 * thousands of windows in seconds, and is deterministic for a given seed (the only randomness is the visiting order).
 */
export interface TrainingWindow {
  indices: Int32Array;
  values: Float32Array;
  /** Per category: 1 or 0, or -1 where the window does not take part in that category's training. */
  labels: Int8Array;
  /** Importance of this window (a long text's windows share its weight). */
  weight: number;
}

export interface FtrlOptions {
  alpha: number;
  beta: number;
  l1: number;
  l2: number;
  epochs: number;
  seed: number;
  /** Per category, how much more a positive window counts than a negative one. */
  positiveWeight: readonly number[];
}

export interface LinearModel {
  weights: Float32Array;
  bias: number;
}

/**
 * α was chosen with `tune-guardrail-classifiers.ts` (train on 80% of the training part, score the other 20%; the
 * held-out split is never read): 0.1 under-fitted (Davidson HATE AUC 0.882 on that validation part, 0.891 at 0.6, and
 * every other category up too); 1.2 gained nothing more. L1, L2 and more epochs made no measurable difference.
 */
export const DEFAULT_FTRL: Omit<FtrlOptions, 'positiveWeight'> = {
  alpha: 0.6,
  beta: 1,
  l1: 0.2,
  l2: 1,
  epochs: 5,
  seed: 20261123,
};

export function trainFtrl(windows: readonly TrainingWindow[], categories: number, dimension: number, o: FtrlOptions): LinearModel[] {
  // z and n of all categories for one slot sit side by side (slot·categories + c): a window's features are looked up
  // once per category, and after the first category the cache lines are already there. Slot `dimension` is the bias.
  const z = new Float64Array((dimension + 1) * categories);
  const n = new Float64Array((dimension + 1) * categories);
  const order = Int32Array.from(windows, (_, i) => i);
  const random = mulberry32(o.seed);
  let scratch = new Float64Array(4096);
  const weightAt = (at: number, l1: number): number => {
    const zi = z[at]!;
    if (Math.abs(zi) <= l1) return 0;
    return -(zi - Math.sign(zi) * l1) / ((o.beta + Math.sqrt(n[at]!)) / o.alpha + o.l2);
  };
  const update = (at: number, g: number, current: number) => {
    const ni = n[at]!;
    const sigma = (Math.sqrt(ni + g * g) - Math.sqrt(ni)) / o.alpha;
    z[at] = z[at]! + g - sigma * current;
    n[at] = ni + g * g;
  };
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, random);
    for (const w of order) {
      const { indices, values, labels, weight } = windows[w]!;
      if (scratch.length < indices.length) scratch = new Float64Array(indices.length * 2);
      for (let c = 0; c < categories; c++) {
        const y = labels[c]!;
        if (y < 0) continue;
        const biasAt = dimension * categories + c;
        const bias = weightAt(biasAt, 0);
        let margin = bias;
        for (let k = 0; k < indices.length; k++) {
          const wk = weightAt(indices[k]! * categories + c, o.l1);
          scratch[k] = wk;
          margin += wk * values[k]!;
        }
        const p = 1 / (1 + Math.exp(-Math.max(-35, Math.min(35, margin))));
        const scale = (p - y) * weight * (y === 1 ? o.positiveWeight[c]! : 1);
        if (scale === 0) continue;
        update(biasAt, scale, bias);
        for (let k = 0; k < indices.length; k++) {
          const g = scale * values[k]!;
          if (g !== 0) update(indices[k]! * categories + c, g, scratch[k]!);
        }
      }
    }
  }
  return Array.from({ length: categories }, (_, c) => {
    const weights = new Float32Array(dimension);
    for (let i = 0; i < dimension; i++) weights[i] = weightAt(i * categories + c, o.l1);
    return { weights, bias: weightAt(dimension * categories + c, 0) };
  });
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(a: Int32Array, random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
