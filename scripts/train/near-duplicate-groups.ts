/**
 * Groups texts that are variants of one another, so a held-out split cannot keep one variant and train on another.
 * Two texts are linked when they are equal, or when at least half of the smaller one's word 4-grams also occur in the
 * other (both having at least 6 distinct 4-grams); groups are the connected components. 4-grams found in more than
 * 2% of the texts are boilerplate shared by unrelated prompts ("you are going to act as") and are not counted, so
 * they neither link texts nor dilute the overlap.
 *
 * Returns, for each text, the index of its group's first member.
 */
export function nearDuplicateGroups(texts: readonly string[]): number[] {
  const shingles = texts.map(shingleSet);
  const frequency = new Map<number, number>();
  for (const set of shingles) for (const s of set) frequency.set(s, (frequency.get(s) ?? 0) + 1);
  const common = Math.max(3, Math.ceil(texts.length * 0.02));
  const rare = shingles.map((set) => [...set].filter((s) => frequency.get(s)! <= common));
  const postings = new Map<number, number[]>();
  rare.forEach((list, i) => {
    for (const s of list) {
      const p = postings.get(s);
      if (p) p.push(i);
      else postings.set(s, [i]);
    }
  });

  const parent = texts.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  const firstByText = new Map<string, number>();
  texts.forEach((t, i) => {
    const first = firstByText.get(t);
    if (first === undefined) firstByText.set(t, i);
    else union(first, i);
  });

  rare.forEach((list, i) => {
    if (list.length < 6) return;
    const shared = new Map<number, number>();
    for (const s of list) for (const j of postings.get(s)!) if (j > i) shared.set(j, (shared.get(j) ?? 0) + 1);
    for (const [j, n] of shared) {
      const other = rare[j]!.length;
      if (other >= 6 && n >= 0.5 * Math.min(list.length, other)) union(i, j);
    }
  });
  return texts.map((_, i) => find(i));
}

function shingleSet(text: string): Set<number> {
  const words = text.split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  const set = new Set<number>();
  for (let i = 0; i + 4 <= words.length; i++) set.add(hash(words.slice(i, i + 4).join(' ')));
  return set;
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
