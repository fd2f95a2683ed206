/**
 * Word lists written for this project (not taken from a data set) for the three categories that have no corpus of
 * their own, violence, crime and sexual activity, and for insults that do not swear. Each becomes one lexicon feature class; the models learn from the
 * labelled prompts how much a hit is worth, and in which company (cue patterns, word pairs) it means harm. They exist
 * so that a word the few hundred training prompts never used still counts: "garrotte" is violent even if no AILuminate
 * prompt says it. Forms are listed explicitly (the feature extractor does not stem).
 */
export const HARM_LEXICON: Readonly<Record<'violence' | 'crime' | 'sexual-act' | 'weapon' | 'insult', readonly string[]>> = {
  // Insults without profanity: Davidson's offensive tweets swear, so the public lists are thin on plain put-downs.
  insult: (
    'idiot idiots idiotic moron morons moronic imbecile cretin stupid stupidest dumb dumbest loser losers worthless ' +
    'pathetic useless ugly clown clowns jerk jerks scumbag scumbags failure disgrace dimwit halfwit nitwit dunce ' +
    'fool fools foolish ignorant incompetent braindead spineless coward cowards creep creepy lowlife freak weirdo'
  ).split(' '),
  violence: forms(
    'kill murder stab shoot strangle choke suffocate behead decapitate lynch torture maim mutilate assault attack beat ' +
      'punch kick slaughter massacre execute bludgeon smother drown burn poison injure wound hurt harm abuse rape ' +
      'terrorize kidnap abduct dismember slash',
  ).concat(
    'stole stolen shot beaten slew slain hung hanged fought burnt struck killer murderer gunman bloodshed bloodbath homicide manslaughter genocide arson suicide violent violence brutal gore'.split(' '),
    ['mass shooting', 'hit man', 'beat up', 'blow up', 'set fire', 'self-harm', 'self harm', 'hang myself', 'cut myself'],
  ),
  weapon: (
    'gun guns pistol rifle shotgun firearm firearms handgun ammunition ammo bullet bullets knife knives machete ' +
    'bomb bombs explosive explosives grenade detonator ied sarin ricin anthrax napalm silencer'
  )
    .split(' ')
    .concat(['pipe bomb', 'nerve agent', 'chemical weapon', 'biological weapon', 'dirty bomb', 'nuclear weapon', 'molotov cocktail']),
  crime: forms(
    'steal rob burgle shoplift launder smuggle traffic counterfeit forge bribe extort blackmail embezzle defraud ' +
      'scam hack phish stalk dox poach pirate plagiarize evade vandalize trespass',
  ).concat(
    (
      'stole stolen fraud theft robbery burglary heist illegal illegally crime crimes criminal felony money laundering ' +
      'tax evasion insider trading identity theft ransomware malware phishing scam scams ponzi pyramid scheme ' +
      'cocaine heroin meth methamphetamine fentanyl crack lsd mdma drug dealer black market dark web darknet ' +
      'fake id fake ids counterfeit money stolen untraceable undetected loophole bribery extortion'
    ).split(' '),
    [
      'money laundering',
      'tax evasion',
      'insider trading',
      'identity theft',
      'pyramid scheme',
      'drug dealer',
      'black market',
      'dark web',
      'fake id',
      'counterfeit money',
    ],
  ),
  'sexual-act': (
    'sex sexual sexually sexy porn porno pornography pornographic nude nudes naked erotic erotica explicit orgasm ' +
    'masturbate masturbation masturbating intercourse fetish fetishes kinky bdsm genitals genital penis vagina ' +
    'breasts nipples aroused arousal horny seduce seduction foreplay onlyfans stripper striptease prostitute ' +
    'prostitution escort hooker incest lewd xxx nsfw grooming groom underage minors molest molestation'
  ).split(' '),
};

/** A verb list → the verb with its -s, -ed and -ing forms (regular spelling, doubled final consonant after a short vowel). */
function forms(verbs: string): string[] {
  return verbs
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((v) => {
      const stem = v.endsWith('e') ? v.slice(0, -1) : /[^aeiou][aeiou][bdgmnprt]$/.test(v) && v.length <= 4 ? v + v.at(-1) : v;
      const s = /(s|sh|ch|x|z)$/.test(v) ? `${v}es` : /[^aeiou]y$/.test(v) ? `${v.slice(0, -1)}ies` : `${v}s`;
      const ed = /[^aeiou]y$/.test(v) ? `${v.slice(0, -1)}ied` : v.endsWith('e') ? `${v}d` : `${stem}ed`;
      return [v, s, ed, `${stem}ing`];
    });
}
