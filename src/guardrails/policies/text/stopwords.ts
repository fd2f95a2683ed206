/**
 * English function words and conversational filler that say nothing about a topic or a claim ("please tell me what
 * I should do"). Kept short on purpose: content words that are merely common ("money", "doctor") carry meaning and
 * are weighted by rarity instead.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below ' +
    'between both but by can cannot could couldn did didn do does doesn doing don down during each either else ever ' +
    'every few for from further get gets getting got had hadn has hasn have haven having he her here hers herself him ' +
    'himself his how however i if in into is isn it its itself just let lets like may me might mine more most much ' +
    'must mustn my myself need no nor not now of off on once one only or other ought our ours ourselves out over own ' +
    'please rather really same shall shan she should shouldn so some such than that the their theirs them themselves ' +
    'then there these they this those through thus to too under until up upon us very via was wasn we were weren ' +
    'what whatever when where whether which while who whom whose why will with within without won would wouldn yes ' +
    'yet you your yours yourself yourselves ok okay hi hello hey thanks thank tell know want wants wanted give ' +
    'make go going gonna think say said says use used using s t d ll m re ve'
  ).split(' '),
);
