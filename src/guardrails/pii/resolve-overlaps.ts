/**
 * Keeps a non-overlapping subset, best first: higher score, then the more specific recognizer (`priority`), then the
 * longer span. Greedy by score is what Bedrock's output implies (one type per span) and it lets a validated card number
 * beat the phone-shaped reading of the same digits.
 */
export function resolveOverlaps<T extends { start: number; end: number; score: number }>(
  items: readonly T[],
  priority: (item: T) => number = () => 0,
): T[] {
  const ranked = [...items].sort(
    (a, b) => b.score - a.score || priority(b) - priority(a) || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  // Accepted spans sorted by start; a binary search finds the neighbours a new span could touch.
  const kept: T[] = [];
  for (const item of ranked) {
    if (item.end <= item.start) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < item.start) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && before.end > item.start) || (after && after.start < item.end)) continue;
    kept.splice(lo, 0, item);
  }
  return kept;
}
