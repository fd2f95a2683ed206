import { sentenceSpans } from '../text/sentence-spans.js';

/** Longest window, in characters: long enough for a question with its context, short enough not to dilute it. */
export const TOPIC_WINDOW = 400;

/**
 * The spans a topic is looked for in: each sentence, and each pair of neighbouring sentences that fits in
 * `TOPIC_WINDOW` (a topic is often set up in one sentence and asked about in the next). Long text gives many windows,
 * all of them checked: the cost grows with the text, and nothing is cut off.
 */
export function topicWindows(text: string): Array<[number, number]> {
  const sentences = sentenceSpans(text, TOPIC_WINDOW);
  const windows: Array<[number, number]> = [];
  for (let i = 0; i < sentences.length; i++) {
    const [start, end] = sentences[i]!;
    windows.push([start, end]);
    const next = sentences[i + 1];
    if (next && next[1] - start <= TOPIC_WINDOW) windows.push([start, next[1]]);
  }
  return windows;
}
