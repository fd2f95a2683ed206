import { hasContext } from '../context-window.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';

// Credentials are only knowable from the words that introduce them; the value is the next token after a label and a
// separator ("username: jdoe", "my password is hunter2", "PIN=4821").
const USERNAME =
  /\b(?:user ?names?|user ?id|login(?: name| id)?|screen ?name|nick ?name|handle|account name|gamertag)\s*(?:is\b|was\b|:|=|-)\s*(?:["'`]?)([^\s"'`,;]{2,64})/gi;
const PASSWORD =
  /\b(?:pass ?words?|passwd|pwd|pass ?phrase|pass ?code|passcode|secret)\s*(?:is\b|was\b|:|=)\s*(?:["'`]?)([^\s"'`]{3,128})/gi;
const PIN = /\bpin(?:\s?(?:code|number|no\.?|#))?\s*(?:is\b|was\b|:|=|#)?\s*(\d{4,8})(?!\d)/gi;
const HANDLE = /(?<![\w@.+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?)(?![\w@-]|\.\w)/g;
const HANDLE_CONTEXT =
  /\b(?:twitter|x\.com|instagram|insta|ig|tiktok|threads|mastodon|telegram|github|gitlab|reddit|discord|handle|follow|followed|dm|tweet|tweeted|mention|mentioned|user ?name|account|ping|cc)\b/;
const NOT_A_VALUE =
  /^(?:is|was|the|a|an|and|or|to|for|of|my|your|our|reset|change|changed|please|here|below|above|will|has|have|must|should|can|cannot|and|not|field|policy|manager|required|expired|incorrect|wrong)$/i;

export const credentialRecognizer: Recognizer = {
  name: 'credential',
  types: ['USERNAME', 'PASSWORD', 'PIN'],
  find(text) {
    const out: PiiCandidate[] = [];
    if (!/user|login|name|handle|gamertag|pass|pwd|secret|pin|@/i.test(text)) return out;
    push(out, text, USERNAME, 'USERNAME', 0.85);
    push(out, text, PASSWORD, 'PASSWORD', 0.9);
    push(out, text, PIN, 'PIN', 0.9);
    // "@name" is a handle in social text, but also a decorator or an annotation in code: it needs a word nearby.
    for (const m of text.matchAll(HANDLE)) {
      const context = hasContext(text, m.index, m.index + m[0].length, HANDLE_CONTEXT, 40, 24);
      out.push({ type: 'USERNAME', start: m.index, end: m.index + m[0].length, score: context ? 0.75 : 0.4 });
    }
    return out;
  },
};

function push(out: PiiCandidate[], text: string, pattern: RegExp, type: PiiCandidate['type'], score: number): void {
  for (const m of text.matchAll(pattern)) {
    // Sentence punctuation after the value is not part of it; '!' and '?' may be, so they stay.
    const value = m[1]!.replace(/[.,;:)]+$/, '');
    if (value.length < 2 || NOT_A_VALUE.test(value)) continue;
    const start = m.index + m[0].length - m[1]!.length;
    out.push({ type, start, end: start + value.length, score });
  }
}
