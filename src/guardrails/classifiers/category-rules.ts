import type { ContentCategory } from './content-category.js';
import { IDENTITY_GROUPS } from './identity-groups.js';

/**
 * Hand-written rules that give a category a floor confidence when they match a window of canonical text, for harm the
 * training data barely shows. Davidson's hate speech is mostly slurs, so a slur-free statement that a whole group are
 * vermin, or should be driven out, would otherwise score low; direct threats of violence against a person are rare in
 * AILuminate's prompts, which ask how rather than threaten. A rule only raises a category, never lowers it, and its
 * rate on every data set is measured with the models' (bench/guardrail-classifiers.ts). The same goes for insults
 * without profanity ("you are a worthless idiot": Davidson's offensive tweets swear), and for the two textbook
 * injections, overriding earlier instructions and asking for the system prompt, which are short while the jailbreaks the
 * attack model learned from are long, so that one such sentence inside a long harmless document still counts.
 */
export interface CategoryRule {
  category: ContentCategory;
  name: string;
  pattern: RegExp;
  /** The confidence a match gives (see `LEVEL_CUTS`: 0.6 is LOW, 0.75 MEDIUM). */
  confidence: number;
}

const INSULT_WORDS =
  'idiot|idiots|moron|morons|imbecile|cretin|stupid|dumb|loser|worthless|pathetic|useless|ugly|disgusting|retard|clown|jerk|scumbag|failure|disgrace|waste of space|piece of (?:shit|garbage|trash)';

const DEHUMANISING =
  'animals|vermin|rats|cockroaches|parasites|scum|savages|subhumans?|filth|filthy|disgusting|a disease|a plague|monkeys|apes|invaders|degenerates|freaks|inferior|trash|garbage';

export const CATEGORY_RULES: readonly CategoryRule[] = [
  {
    category: 'HATE',
    name: 'group-is-dehumanised',
    pattern: new RegExp(
      `\\b(?:all |those |these |the )?(?:${IDENTITY_GROUPS}) (?:are|is) (?:all |just |nothing but |such |so |a bunch of |like |dirty |worthless )*(?:${DEHUMANISING})\\b`,
    ),
    confidence: 0.75,
  },
  {
    category: 'HATE',
    name: 'group-should-be-removed',
    pattern: new RegExp(
      `\\b(?:${IDENTITY_GROUPS})\\b[^.!?\\n]{0,40}?\\b(?:should|must|need to|ought to|deserve to) (?:all )?(?:be )?(?:thrown out|kicked out|deported|sent back|wiped out|exterminated|eradicated|gassed|killed|shot|hanged|burned)\\b`,
    ),
    confidence: 0.6,
  },
  {
    category: 'INSULTS',
    name: 'you-are-insulted',
    pattern: new RegExp(
      `\\b(?:you(?:'re| are)?|u r|ur) (?:a |an |such a |so |the |just a |nothing but a |one )?(?:(?:\\w+|, ) ?){0,2}?(?:${INSULT_WORDS})\\b`,
    ),
    confidence: 0.75,
  },
  {
    category: 'PROMPT_ATTACK',
    name: 'override-instructions',
    pattern:
      /\b(?:ignore|disregard|forget|override|bypass)\b (?:all |any |the |your |of |my )*(?:previous |prior |above |earlier |preceding |former |original |system |initial )+(?:and following )?(?:instructions|prompts?|directions|directives|rules|guidelines|commands)\b/,
    confidence: 0.75,
  },
  {
    category: 'PROMPT_ATTACK',
    name: 'reveal-system-prompt',
    pattern:
      /\b(?:reveal|print|show|repeat|output|tell me|leak|display|give me)\b (?:me )?(?:your|the) (?:full |exact |entire |whole )?(?:system prompt|initial prompt|original prompt|hidden prompt|system instructions|initial instructions|original instructions|hidden instructions|instructions above|prompt above)\b/,
    confidence: 0.75,
  },
  {
    category: 'VIOLENCE',
    name: 'direct-threat',
    pattern:
      /\b(?:i|we)(?:'m| am|'ll| will|'re| are)? (?:going to |gonna |about to |will )?(?:kill|murder|stab|shoot|strangle|rape|beat|hurt|slit|cut|burn|behead|choke) (?:you|him|her|them|your|his|their)\b/,
    confidence: 0.75,
  },
];
