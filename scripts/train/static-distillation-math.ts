/**
 * The linear algebra of distilling a sentence encoder into a static table, small enough to write out: the dimensions
 * are a few hundred and the vocabulary 8,000, so plain loops over typed arrays take seconds, and a numeric library
 * would be a dependency for a script run once per release. All matrices are row-major.
 */

/** Mean pooling as a sparse matrix: row s holds 1/n for each of text s's n pieces (repeats add up). */
export interface SparseRows {
  rows: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

export function meanPoolingRows(encodings: readonly (readonly number[])[]): SparseRows {
  const rowPtr = new Int32Array(encodings.length + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  encodings.forEach((ids, s) => {
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, c] of counts) {
      cols.push(id);
      vals.push(c / ids.length);
    }
    rowPtr[s + 1] = cols.length;
  });
  return { rows: encodings.length, rowPtr, cols: Int32Array.from(cols), vals: Float64Array.from(vals) };
}

/** X · M, where M is (vocabulary × k): one pooled vector per row of X. */
export function pool(x: SparseRows, m: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(x.rows * k);
  for (let s = 0; s < x.rows; s++) {
    const o = s * k;
    for (let p = x.rowPtr[s]!; p < x.rowPtr[s + 1]!; p++) {
      const v = x.vals[p]!;
      const base = x.cols[p]! * k;
      for (let j = 0; j < k; j++) out[o + j]! += v * m[base + j]!;
    }
  }
  return out;
}

/** Xᵀ · Q, where Q is (rows × k). */
function poolTransposed(x: SparseRows, q: Float64Array, vocabulary: number, k: number): Float64Array {
  const out = new Float64Array(vocabulary * k);
  for (let s = 0; s < x.rows; s++) {
    const o = s * k;
    for (let p = x.rowPtr[s]!; p < x.rowPtr[s + 1]!; p++) {
      const v = x.vals[p]!;
      const base = x.cols[p]! * k;
      for (let j = 0; j < k; j++) out[base + j]! += v * q[o + j]!;
    }
  }
  return out;
}

/**
 * An orthonormal basis (D × k) of the top-k subspace of YᵀY (Y is n × D), by subspace iteration. Any orthonormal basis of
 * that subspace serves: projecting onto it keeps cosines whatever the rotation within it, so no eigenvectors are
 * needed. Uncentred on purpose: the student's cosines should match the teacher's own, which centring would change.
 */
export function topSubspace(y: Float32Array, n: number, dims: number, k: number, iterations = 25): Float64Array {
  const m = new Float64Array(dims * dims);
  for (let s = 0; s < n; s++) {
    const o = s * dims;
    for (let a = 0; a < dims; a++) {
      const ya = y[o + a]!;
      if (ya === 0) continue;
      const row = a * dims;
      for (let b = 0; b < dims; b++) m[row + b]! += ya * y[o + b]!;
    }
  }
  let q = new Float64Array(dims * k);
  let seed = 12345;
  for (let i = 0; i < q.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    q[i] = seed / 2 ** 32 - 0.5;
  }
  orthonormalize(q, dims, k);
  for (let it = 0; it < iterations; it++) {
    const z = new Float64Array(dims * k);
    for (let a = 0; a < dims; a++) {
      for (let b = 0; b < dims; b++) {
        const mab = m[a * dims + b]!;
        for (let j = 0; j < k; j++) z[a * k + j]! += mab * q[b * k + j]!;
      }
    }
    orthonormalize(z, dims, k);
    q = z;
  }
  return q;
}

/** Modified Gram–Schmidt on the k columns of a (rows × k) matrix, in place. */
function orthonormalize(q: Float64Array, rows: number, k: number): void {
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += q[r * k + i]! * q[r * k + j]!;
      for (let r = 0; r < rows; r++) q[r * k + j]! -= dot * q[r * k + i]!;
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += q[r * k + j]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < rows; r++) q[r * k + j]! /= norm;
  }
}

/** Y (n × D) · P (D × k). */
export function project(y: ArrayLike<number>, n: number, dims: number, p: Float64Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let s = 0; s < n; s++) {
    for (let d = 0; d < dims; d++) {
      const v = y[s * dims + d]!;
      if (v === 0) continue;
      for (let j = 0; j < k; j++) out[s * k + j]! += v * p[d * k + j]!;
    }
  }
  return out;
}

/**
 * The table E (vocabulary × k) minimising ‖X·E − Y‖² + λ‖E − prior‖²: mean-pooled rows that reproduce the teacher's
 * vectors Y (n × k), pulled towards the prior (each piece encoded alone by the teacher), which is all a piece absent
 * from the corpus keeps. Conjugate gradients with a Jacobi preconditioner, each of the k columns with its own step
 * sizes; frequent and rare pieces differ by orders of magnitude on the diagonal, which the preconditioner evens out.
 */
export function solveRidge(
  x: SparseRows,
  y: Float64Array,
  prior: Float64Array,
  vocabulary: number,
  k: number,
  lambda: number,
  iterations: number,
  onIteration?: (it: number, residual: number) => void,
): Float64Array {
  const diag = new Float64Array(vocabulary).fill(lambda);
  for (let p = 0; p < x.vals.length; p++) diag[x.cols[p]!]! += x.vals[p]! ** 2;
  const e = Float64Array.from(prior);
  const applyA = (m: Float64Array) => {
    const out = poolTransposed(x, pool(x, m, k), vocabulary, k);
    for (let i = 0; i < out.length; i++) out[i]! += lambda * m[i]!;
    return out;
  };
  // Starting at the prior, the residual B − A·E is Xᵀ(Y − X·prior).
  const fit = pool(x, e, k);
  for (let i = 0; i < fit.length; i++) fit[i] = y[i]! - fit[i]!;
  const r = poolTransposed(x, fit, vocabulary, k);
  const z = new Float64Array(r.length);
  const precondition = () => {
    for (let v = 0; v < vocabulary; v++) for (let j = 0; j < k; j++) z[v * k + j] = r[v * k + j]! / diag[v]!;
  };
  const columnDots = (a: Float64Array, b: Float64Array) => {
    const out = new Float64Array(k);
    for (let v = 0; v < vocabulary; v++) for (let j = 0; j < k; j++) out[j]! += a[v * k + j]! * b[v * k + j]!;
    return out;
  };
  precondition();
  const p = Float64Array.from(z);
  let rz = columnDots(r, z);
  for (let it = 0; it < iterations; it++) {
    const ap = applyA(p);
    const pap = columnDots(p, ap);
    const alpha = rz.map((v, j) => (pap[j]! > 0 ? v / pap[j]! : 0));
    for (let v = 0; v < vocabulary; v++) {
      for (let j = 0; j < k; j++) {
        e[v * k + j]! += alpha[j]! * p[v * k + j]!;
        r[v * k + j]! -= alpha[j]! * ap[v * k + j]!;
      }
    }
    precondition();
    const rzNext = columnDots(r, z);
    const beta = rzNext.map((v, j) => (rz[j]! > 0 ? v / rz[j]! : 0));
    for (let v = 0; v < vocabulary; v++) for (let j = 0; j < k; j++) p[v * k + j] = z[v * k + j]! + beta[j]! * p[v * k + j]!;
    rz = rzNext;
    onIteration?.(it, Math.sqrt(rz.reduce((a, b) => a + b, 0)));
  }
  return e;
}
