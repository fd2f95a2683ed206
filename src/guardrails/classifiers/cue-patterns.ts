import { IDENTITY_GROUPS } from './identity-groups.js';

/**
 * Hand-written cues that become one feature each. They are not rules: the trained models decide what each is worth
 * for each category. They exist because the training sets are small and narrow (a few hundred jailbreaks, a dozen
 * injections), and a cue written from how attacks work generalises past the exact wording of those sets. Patterns run
 * on canonical text (lower case, leetspeak read, look-alikes folded), with bounded gaps so they stay linear.
 */
export const CUE_PATTERNS: ReadonlyArray<readonly [name: string, pattern: RegExp]> = [
  // Prompt attacks: overriding the instructions the model was given.
  [
    'override-instructions',
    /\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon)\b[^.!?\n]{0,40}?\b(?:instructions?|prompts?|rules|directions|directives|guidelines|context|programming|commands?|constraints|messages?|everything)\b/g,
  ],
  ['new-instructions', /\b(?:new|updated|real|actual|true|revised|following) (?:instructions?|rules|directives|task|objective)\b/g],
  ['system-prompt', /\b(?:system|initial|original|hidden|secret|pre-?) ?(?:prompts?|instructions?|messages?)\b/g],
  [
    'reveal-instructions',
    /\b(?:reveal|repeat|print|show|output|display|leak|spell out|recite|summari[sz]e|translate|tell me|what (?:is|are|were))\b[^.!?\n]{0,40}?\b(?:prompts?|instructions?|rules|above|password|passcode|access code|secret|text before|words before)\b/g,
  ],
  ['verbatim', /\b(?:verbatim|word for word|exact(?:ly)? (?:as written|text|words))\b/g],
  ['just-say', /\b(?:just|only|simply) (?:say|print|output|respond with|reply with|write)\b/g],
  ['stop-everything', /\b(?:stop everything|nevermind|never mind|end of (?:prompt|instructions|input)|new session)\b/g],
  // Jailbreaks: a persona or mode with the rules switched off.
  [
    'persona-switch',
    /\b(?:you are (?:now|going to|about to)|act as|acting as|pretend (?:to be|you)|from now on|role-?play|simulate|stay in character|in character|you will (?:now )?be)\b/g,
  ],
  [
    'mode-names',
    /\b(?:dan|do anything now|jailbr(?:eak|oken)|developer mode|dev mode|god mode|sudo mode|unfiltered|uncensored|unrestricted|amoral|unethical|immoral|evil (?:mode|bot|ai|assistant)|opposite mode|anti-?gpt)\b/g,
  ],
  [
    'no-limits',
    /\b(?:no|without(?: any)?|free of|free from|beyond|break(?:ing)?(?: free of)?) (?:restrictions?|limitations?|limits|filters?|filtering|censorship|boundaries|rules|morals|ethics|guidelines|policies)\b/g,
  ],
  [
    'policy-talk',
    /\b(?:openai|anthropic|content polic(?:y|ies)|usage polic(?:y|ies)|ethical (?:guidelines|constraints|principles)|safety (?:guidelines|filters|measures)|chatgpt|gpt-?[34])\b/g,
  ],
  [
    'never-refuse',
    /\b(?:never|don't|do not|cannot|can't|won't|will not|must not)\b[^.!?\n]{0,20}?\b(?:refuse|decline|apologi[sz]e|warn|remind|break character|say (?:no|sorry|that you can't)|add (?:any )?(?:disclaimers?|warnings?))\b/g,
  ],
  ['dual-response', /\[(?:gpt|dan|classic|jailbreak|normal|developer|lock|unlock)[^\]\n]{0,20}\]|🔒|🔓/g],
  ['fiction-frame', /\b(?:hypothetical(?:ly)?|fictional (?:world|story|universe|setting)|in this (?:story|universe|world|game)|for a novel|purely fictional)\b/g],
  ['token-game', /\b(?:tokens?|points?) (?:will be )?(?:deducted|lost|taken)|\byou (?:will )?(?:lose|die|cease to exist)\b/g],
  ['chat-delimiter', /<\|[a-z_]{2,20}\|>|<\/?(?:system|user|assistant|im_start|im_end|instructions?)>|\[\/?(?:inst|sys)\]|#{3,} ?(?:system|instruction|new)/g],
  // Prompt leakage in a model's answer: the rules of a hidden prompt, or its secret, restated.
  [
    'conditional-rule',
    /\bif (?:the )?(?:user|input|they|someone|anyone|password|code)\b[^.\n]{0,60}?\b(?:says?|enters?|types?|inputs?|provides?|writes?|is|equals|contains|mentions?)\b/g,
  ],
  ['grant-rule', /\b(?:say|output|respond with|reply with|print|return|answer)\b\W{0,3}access (?:granted|denied)\b/g],
  ['secret-disclosure', /\b(?:password|passcode|access code|secret (?:word|code|phrase|key)|code ?word) ?(?:is|was|=|:)/g],
  ['encoding-talk', /\b(?:base64|rot13|rot-13|hex(?:adecimal)?|decode (?:this|the following)|encoded (?:message|text|string))\b/g],
  // Hate: a statement about a whole group, dehumanising words, calls to remove a group.
  ['group-generalisation', new RegExp(`\\b(?:${IDENTITY_GROUPS})\\b[^.!?\\n]{0,40}?\\b(?:are|is|should|must|deserve|need to be|will never|can't|cannot)\\b`, 'g')],
  [
    'dehumanising',
    /\b(?:animals|vermin|rats|cockroaches|parasites|filth|filthy|subhuman|sub-human|savages|scum|inferior|disgusting|freaks|degenerates|monkeys|apes|invaders|breed like)\b/g,
  ],
  [
    'remove-group',
    /\b(?:should|must|need to|ought to|deserve to) (?:all )?(?:be )?(?:thrown out|deported|sent back|wiped out|exterminated|eradicated|banned|locked up|gassed|removed|go back)\b|\bgo back to (?:your|their) (?:own )?(?:country|countries)\b/g,
  ],
  // Harm requests: intent to get away with something.
  [
    'evade-detection',
    /\b(?:without (?:getting caught|being (?:caught|detected|noticed|traced)|detection|leaving (?:any )?(?:evidence|traces?)|anyone (?:knowing|noticing|finding out))|undetect(?:ed|able)|untraceable|avoid (?:detection|getting caught|the police|law enforcement))\b/g,
  ],
  [
    'threat',
    /\b(?:i(?:'m| am)?|we(?:'re| are)?) (?:going to|gonna|will|wanna|want to) (?:kill|hurt|shoot|stab|murder|beat|rape|strangle|choke|burn|bomb|destroy)\b/g,
  ],
  ['violent-act', /\b(?:kill|murder|shoot|stab|strangle|behead|lynch|torture|massacre|slaughter|maim|bomb|poison) (?:you|him|her|them|people|everyone|all|my|his|her|their|the)\b/g],
  ['how-to', /\b(?:how (?:do|can|could|would|should) (?:i|you|one|someone|we)|how to|step[- ]by[- ]step|detailed (?:instructions|guide|tutorial))\b/g],
];
