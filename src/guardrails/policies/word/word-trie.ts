import { Gap, MAX_READINGS, type WordUnits } from './word-units.js';

/** The symbol between two words of a configured phrase. */
export const SEP = -1;

/**
 * A letter run as the trie stores it: the folded code point and whether it is doubled. English doubles letters
 * ("ass", "good") but never triples them, so a run of one or two must match exactly ("good" is not "god") while a run
 * of three or more ("baaaad") may stand for either.
 */
export const runSymbol = (codePoint: number, doubled: boolean): number => codePoint * 2 + (doubled ? 1 : 0);

/**
 * A trie over letter runs with a separate, optional edge for a configured phrase's word breaks. Edges live in one
 * open-addressing hash table of typed arrays keyed by (node, symbol), not a map per node: 10,000 configured words make
 * ~100,000 nodes, a `Map` each would cost an order of magnitude more memory, and one `Map` keyed by a combined number
 * would hash doubles (node × symbol overflows 31 bits), which is several times slower on the hot path.
 */
export class WordTrie {
  private keyNode = new Int32Array(1024).fill(-1);
  private keySymbol = new Int32Array(1024);
  private value = new Int32Array(1024);
  private edgeCount = 0;
  private readonly sep: number[] = [-1];
  private readonly terminals = new Map<number, number[]>();
  /** Longest configured word, in symbols: no walk goes deeper. */
  maxDepth = 0;

  get nodeCount(): number {
    return this.sep.length;
  }

  insert(symbols: readonly number[], entry: number): void {
    let node = 0;
    for (const symbol of symbols) {
      if (symbol === SEP) {
        let next = this.sep[node]!;
        if (next < 0) {
          next = this.newNode();
          this.sep[node] = next;
        }
        node = next;
        continue;
      }
      let next = this.child(node, symbol);
      if (next < 0) {
        next = this.newNode();
        this.setChild(node, symbol, next);
      }
      node = next;
    }
    const list = this.terminals.get(node);
    if (list) list.push(entry);
    else this.terminals.set(node, [entry]);
    this.maxDepth = Math.max(this.maxDepth, symbols.length);
  }

  child(node: number, symbol: number): number {
    const mask = this.keyNode.length - 1;
    for (let slot = hash(node, symbol) & mask; ; slot = (slot + 1) & mask) {
      const k = this.keyNode[slot]!;
      if (k < 0) return -1;
      if (k === node && this.keySymbol[slot] === symbol) return this.value[slot]!;
    }
  }

  sepChild(node: number): number {
    return this.sep[node]!;
  }

  entriesAt(node: number): readonly number[] | undefined {
    return this.terminals.get(node);
  }

  private setChild(node: number, symbol: number, child: number): void {
    // Kept at most half full, so probes stay short and an empty slot always ends a search.
    if ((this.edgeCount + 1) * 2 > this.keyNode.length) this.rehash(this.keyNode.length * 2);
    const mask = this.keyNode.length - 1;
    let slot = hash(node, symbol) & mask;
    while (this.keyNode[slot]! >= 0) slot = (slot + 1) & mask;
    this.keyNode[slot] = node;
    this.keySymbol[slot] = symbol;
    this.value[slot] = child;
    this.edgeCount++;
  }

  private rehash(capacity: number): void {
    const { keyNode, keySymbol, value } = this;
    this.keyNode = new Int32Array(capacity).fill(-1);
    this.keySymbol = new Int32Array(capacity);
    this.value = new Int32Array(capacity);
    this.edgeCount = 0;
    for (let i = 0; i < keyNode.length; i++) if (keyNode[i]! >= 0) this.setChild(keyNode[i]!, keySymbol[i]!, value[i]!);
  }

  private newNode(): number {
    this.sep.push(-1);
    return this.sep.length - 1;
  }
}

const hash = (node: number, symbol: number): number => {
  const h = Math.imul(node, 0x9e3779b1) ^ Math.imul(symbol, 0x85ebca77);
  return (h ^ (h >>> 15)) >>> 0;
};

/**
 * The trie path of a configured word: its units (folded in `pattern` mode) grouped into runs, with `SEP` wherever the
 * word has a space or punctuation ("self-harm" and "self harm" are the same entry, and both match "selfharm").
 */
export function patternSymbols(units: WordUnits): number[] {
  const symbols: number[] = [];
  let k = 0;
  while (k < units.count) {
    const reading = units.readings[k * MAX_READINGS]!;
    let length = 1;
    while (
      k + length < units.count &&
      units.gap[k + length]! <= Gap.LeetSoft &&
      units.readings[(k + length) * MAX_READINGS] === reading
    ) {
      length++;
    }
    if (k > 0 && units.gap[k]! >= Gap.Soft && symbols.at(-1) !== SEP) symbols.push(SEP);
    symbols.push(runSymbol(reading, length >= 2));
    k += length;
  }
  return symbols;
}
