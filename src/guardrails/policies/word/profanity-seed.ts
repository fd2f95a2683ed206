/**
 * The hand-kept source of the managed PROFANITY list: each line is a root, then `:` and the endings it takes
 * ("fuck:s,ed,ing" gives fuck, fucks, fucked, fucking). `build-profanity-lexicon.ts` expands it into
 * `profanity-lexicon.ts`. Matching is on whole words of the folded text, so every form a word is written in must be
 * listed, and disguises (leetspeak, spacing, look-alike letters, repeated letters) need no entries of their own.
 *
 * Left out on purpose, because their everyday senses would block innocent text: words that are also names or things
 * (dick, fanny, knob, prick, shag, spunk, hoe, dyke), small birds and animals (tit, coon), clinical anatomy (penis,
 * vagina), reclaimed or scientific words (queer, homo) and mild words with ordinary uses (hell, bloody, screw, suck).
 * Their compounds that only have the vulgar sense ("dickhead", "knobhead") are kept.
 */
export const PROFANITY_SEED: readonly string[] = [
  // sexual and scatological
  'fuck:s,ed,er,ers,ing,in,face,faces,head,heads,wit,wits,tard,tards,wad,wads,boy,boys,up,ups,off,offs,ery,ings,able',
  'fuk:s,ed,er,ing',
  'fck:s,ed,er,ing',
  'motherfuck:er,ers,ing,in,ed,a,as',
  'mothafucka:s',
  'clusterfuck:s',
  'shit:s,ty,tier,tiest,ted,ting,head,heads,face,bag,bags,hole,holes,show,storm,load,list',
  'bullshit:s,ted,ting,ter',
  'horseshit',
  'dipshit:s',
  'apeshit',
  'batshit',
  'chickenshit',
  'shite',
  'crap:py,s,pier,ped',
  'piss:ed,es,ing,er,head,pot',
  'cunt:s,y,ing',
  'twat:s',
  'ass:hole,holes,hat,hats,wipe,wipes,clown,face,head,lick,licker,kisser,hat',
  'asses',
  'arse:hole,holes,wipe',
  'arses',
  'jackass:es',
  'dumbass:es',
  'smartass:es',
  'badass',
  'kickass',
  'butthole:s',
  'buttplug:s',
  'bitch:es,ing,y,ed,ass',
  'sonofabitch',
  'bastard:s',
  'damn:ed,it',
  'dammit',
  'goddamn:ed,it',
  'goddam',
  'dickhead:s',
  'dickwad:s',
  'dickface',
  'dickweed',
  'cock:s,sucker,suckers,sucking,head,face,block',
  'pussy:s',
  'pussies',
  'slut:s,ty',
  'whore:s',
  'skank:s,y',
  'wank:er,ers,ing,ed,s',
  'tosser:s',
  'bellend:s',
  'bollocks',
  'bollock',
  'bugger:ed,ing',
  'knobhead:s',
  'twatwaffle',
  'douchebag:s',
  'douche:s',
  'scumbag:s',
  'jizz:ed',
  'cum:shot,shots,ming,slut',
  'clit:s',
  'tits',
  'titty:fuck',
  'titties',
  'boobs',
  'boner:s',
  'dildo:s',
  'blowjob:s',
  'handjob:s',
  'rimjob:s',
  'jerkoff:s',
  'jackoff:s',
  'milf:s',
  'minge',
  'pillock',
  // slurs
  'nigger:s',
  'nigga:s,z',
  'niggas',
  'chink:s',
  'spic:s',
  'kike:s',
  'wetback:s',
  'gook:s',
  'raghead:s',
  'towelhead:s',
  'paki:s',
  'beaner:s',
  'honky',
  'honkies',
  'wop:s',
  'dago:s',
  'fag:s,got,gots,goty',
  'tranny',
  'trannies',
  'shemale:s',
  'retard:s,ed',
  'spaz',
  'jiggaboo:s',
  'sambo',
];

/**
 * Roots that no innocent English word contains, also found inside longer words ("assfucker", "cuntbag"): a whole-word
 * list cannot enumerate every compound. Roots that do occur inside innocent words or names ("shit" in Matsushita,
 * "cock" in peacock, "wank" in swanky) stay whole-word only.
 */
export const PROFANITY_ANYWHERE_ROOTS: readonly string[] = [
  'fuck', 'fvck', 'fcuk', 'phuck', 'cunt', 'nigger', 'nigga', 'whore', 'bitch', 'twat', 'jizz', 'faggot', 'wanker',
];

/** Innocent words that contain one of the roots above; a root inside one of these is not reported. */
export const PROFANITY_INNOCENT_WORDS: readonly string[] = [
  'scunthorpe', 'snigger', 'sniggers', 'sniggered', 'sniggering', 'niggard', 'niggards', 'niggardly', 'niggardliness',
];
