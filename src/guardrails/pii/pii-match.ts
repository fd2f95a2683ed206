import type { PiiEntityType } from './pii-entity-type.js';

/** The `type` of a match found by a guardrail's own regex; its name is in `regexName`, as Bedrock reports them apart. */
export const CUSTOM_REGEX_TYPE = 'REGEX';

/**
 * One piece of sensitive information in the text given to `detectPii`. Offsets are UTF-16 indices into that original
 * text (not the normalised copy the recognizers read), so `text === original.slice(start, end)` always holds, even when
 * the match was found through zero-width characters or full-width digits.
 */
export interface PiiMatch {
  type: PiiEntityType | typeof CUSTOM_REGEX_TYPE;
  /** Set when `type` is `REGEX`: the name the guardrail gave the pattern. */
  regexName?: string;
  start: number;
  end: number;
  text: string;
  /** 0–1: how sure the recognizer is, after validation (checksums, ranges) and context words. */
  score: number;
}
