/** A sentence as character offsets `[start, end)`, without surrounding whitespace. */
export interface SentenceSpan {
  start: number;
  end: number;
}

// Candidate ends: terminal punctuation (with closing quotes or brackets) before whitespace, CJK terminators, and
// line breaks. Linear; Intl.Segmenter was tried and is quadratic on long paragraphs in Node 20's ICU.
const CANDIDATE = /[.!?…]+["'”’»)\]]*(?=\s|$)|[。！？]+|\n/g;

// A period after these is not a sentence end. Initials and dotted acronyms are recognised by their shape.
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'inc', 'ltd', 'co', 'no', 'fig', 'eq', 'al', 'approx', 'dept', 'vol',
]);

/**
 * Splits text into sentences. Blank lines and lines ending a sentence always split; a single line break followed by a
 * lowercase letter is taken for a hard wrap (PDF text) and joined. Good enough for choosing semantic breakpoints —
 * a false split only offers the chunker one more place to cut.
 */
export function splitSentences(text: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  let from = 0;
  const push = (end: number) => {
    let s = from;
    let e = end;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e > s) out.push({ start: s, end: e });
    from = end;
  };
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const end = m.index + m[0].length;
    if (m[0] === '\n') {
      if (isHardWrap(text, m.index)) continue;
    } else if (/^\.(?!\.)/.test(m[0]) && isAbbreviation(text, m.index)) {
      continue;
    }
    push(end);
  }
  push(text.length);
  return out;
}

function isHardWrap(text: string, newline: number): boolean {
  const before = text[newline - 1] === '\r' ? text[newline - 2] : text[newline - 1];
  const after = text[newline + 1];
  if (before === undefined || after === undefined || before === '\n') return false;
  return /[\p{Ll}]/u.test(after) && /[\p{L}\p{N},;\-–]/u.test(before);
}

function isAbbreviation(text: string, dot: number): boolean {
  let i = dot;
  while (i > 0 && /[\p{L}.]/u.test(text[i - 1]!)) i--;
  const word = text.slice(i, dot).toLowerCase();
  // Initials and dotted acronyms: "J. Smith", "U.S. store".
  if (/^(\p{L}\.)*\p{L}$/u.test(word)) return true;
  return ABBREVIATIONS.has(word);
}
