/**
 * Words that introduce a person's name, in three strengths, and words that introduce a place instead. Looked up as
 * the last one to four words before a candidate (a set lookup, not a regex over the text), so scoring a candidate
 * costs the same however many cues there are.
 */
const STRONG = new Set(
  (
    "name|name is|name's|name was|names are|name on the account|named|called|call me|dear|this is|i am|i'm|signed|" +
    'sincerely|regards|author|contact|patient|attn|attention|married|sister|brother|son|daughter|wife|husband|' +
    'friend|partner|kid|child|mother|father|mom|dad|boss|colleague|manager|assistant|nephew|niece|cousin|' +
    'grandfather|grandmother|grandson|granddaughter|spouse|user|said|says|say|asked|told|replied|shouted at|wrote|' +
    'starring|featuring|directed by|written by|sung by|produced by|performed by|signed by|customer|client|employee|' +
    'player|singer|actor|actress|producer|director|writer|songwriter'
  ).split('|'),
);
/** Only as a header label followed by a colon ("From: Jane Doe"). */
const STRONG_WITH_COLON = new Set(['from', 'to', 'cc', 'bcc']);
const MEDIUM = new Set(
  (
    'by|with|and|for|under|hi|hello|hey|thanks|thank you|ask|tell|met|meet|according to|invite|invited|add|added|' +
    'help|call|email|text|follow up with|speak to|talk to|join|joined|including|include|includes|remove|visit'
  ).split('|'),
);
const WEAK = new Set('per|about|than|like|via|at|to|on|of|is|was|but|not|who|whom'.split('|'));
const MOTION = (
  'flew|fly|went|go|going|moved|move|moving|drove|travelled|traveled|travelling|traveling|came|returned|relocated|' +
  'trip|back|way'
).split('|');
const PLACE = new Set([
  'in',
  'at',
  'near',
  'into',
  'across',
  'around',
  'outside',
  'inside',
  'visit',
  'visited',
  'visiting',
  'toward',
  'towards',
  'from',
  ...MOTION.map((m) => `${m} to`),
]);

export interface NameCues {
  /** 3 strong ("my name is"), 2 medium ("with"), 1 weak ("at"), 0 none. */
  strength: 0 | 1 | 2 | 3;
  /** The words before announce a place ("in", "flew to"). */
  place: boolean;
  /** Only a short name-field label ("is", "name:", "called") comes before. */
  nameField: boolean;
}

const NAME_FIELD = new Set(['name', 'name is', 'name was', 'named', 'called', 'call me']);
const GAP_PUNCTUATION = /^\s*[:\-–,?]?\s*$/;
const WORD_GAP = /^[ \t]{1,3}$/;

/**
 * Cues in the (up to) four words before the word at `index`. Words are the tokens' lower-case keys; they must be
 * separated by plain spaces, and at most one punctuation mark may sit between the cue and the name ("name: X",
 * "name? X", not "name.. X").
 */
export function cuesBefore(
  text: string,
  words: readonly { start: number; end: number; key: string }[],
  index: number,
): NameCues {
  const cues: NameCues = { strength: 0, place: false, nameField: false };
  const start = words[index]?.start ?? text.length;
  const previous = words[index - 1];
  if (!previous) return cues;
  const gap = text.slice(previous.end, start);
  if (!GAP_PUNCTUATION.test(gap)) return cues;
  const colon = gap.includes(':');
  let phrase = '';
  for (let k = 1; k <= 4 && index - k >= 0; k++) {
    const word = words[index - k]!;
    if (k > 1 && !WORD_GAP.test(text.slice(word.end, words[index - k + 1]!.start))) break;
    phrase = k === 1 ? word.key : `${word.key} ${phrase}`;
    if (STRONG.has(phrase) || (k === 1 && colon && STRONG_WITH_COLON.has(phrase))) cues.strength = 3;
    else if (cues.strength < 2 && MEDIUM.has(phrase)) cues.strength = 2;
    else if (cues.strength < 1 && WEAK.has(phrase)) cues.strength = 1;
    if (PLACE.has(phrase)) cues.place = true;
    if (k <= 2 && NAME_FIELD.has(phrase)) cues.nameField = true;
  }
  return cues;
}
