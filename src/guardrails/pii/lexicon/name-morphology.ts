/**
 * Surname endings that are productive across European and Central Asian naming (patronymics, diminutives, place
 * suffixes): "-sson", "-dóttir", "-ova", "-ić", "-ski", "-escu", "-poulos", "-berg" ... They rescue surnames no lexicon
 * can list. Matched against the accent-folded, lower-case word.
 */
export const SURNAME_ENDING =
  /(?:sson|sen|ssen|dottir|dotter|ov|ova|ev|eva|yev|yeva|ic|ich|vic|vich|ski|ska|sky|skiy|cki|cka|wicz|czyk|chuk|enko|escu|eanu|poulos|akis|idis|oglu|yan|dze|shvili|auskas|aite|iene|nen|lainen|mann|berg|borg|strom|lund|qvist|quist|holm|gren|stein|ez|ini|elli|etti|otti|ucci|kova|eau|ault|oux)$/;

/** Lower-case words that sit inside a name ("Willemine ten Pas", "Ludwig van Beethoven", "Rua do Arenque"). */
export const NAME_PARTICLES: ReadonlySet<string> = new Set(
  (
    'van von der den ten ter de del della dei degli da do dos das di du des le la bin ibn binti al el y e st af zu ' +
    'vom mac ap'
  ).split(' '),
);

/**
 * Capitalised function words mark a title or headline ("Guilty Pleasures: 5 Musicians Of The 70s"), not a name.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'the of and or to in on at for with by from a an but is are was were be you your my our we i he she it they this ' +
    'that these those what who why how when where which not no yes so if then than as all me him her them us its his ' +
    'their do does did have has had can will would should could may might must shall hi hello dear thanks please ok ' +
    'okay'
  ).split(' '),
);

/** Company designators and industry words that end an organisation's name, beyond compromise's list. */
export const COMPANY_WORDS: ReadonlySet<string> = new Set(
  (
    'technologies technology tech solutions analytics research software labs lab global associates ventures studios ' +
    'studio networks logistics consulting consultants partners holdings industries enterprises systems services ' +
    'unlimited agency movers capital llc inc ltd corp plc gmbh ag sa bv nv oy ab spa srl pty llp lp co tv radio ' +
    'records films pictures entertainment media press publishing airlines motors foods brands stores markets pharma ' +
    'therapeutics biosciences health healthcare insurance financial finance investments trust bancorp group company ' +
    'corporation incorporated limited'
  ).split(' '),
);
