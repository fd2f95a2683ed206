/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros (the stores refuse those, callers may not). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (na === 0 || nb === 0) return 0;
  // Rounding can carry |cos| a hair past 1 for identical vectors.
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}
