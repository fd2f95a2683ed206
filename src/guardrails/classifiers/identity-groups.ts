/**
 * People named by an identity that Bedrock's HATE definition protects (race, ethnicity, religion, sexual orientation,
 * gender, ability, national origin), as a regular-expression alternation over canonical (lower-case) text. Used by a
 * cue feature and by the HATE rules.
 */
export const IDENTITY_GROUPS =
  'immigrants|migrants|refugees|foreigners|muslims|jews|christians|hindus|sikhs|atheists|blacks|black people|whites|white people|asians|africans|arabs|mexicans|latinos|hispanics|indians|chinese|gypsies|gays|gay people|lesbians|homosexuals|bisexuals|trans people|transgender people|women|feminists|disabled people';

