import { hasContext } from '../context-window.js';
import { hasRun } from '../has-run.js';
import type { PiiCandidate, Recognizer } from '../recognizer.js';
import { vinCheck } from '../validate/vin-valid.js';

// Passport, driver's licence and plate numbers have no checksum and a shape shared with any order or ticket number, so
// each is reported only after words that introduce it; the token that follows within a few words is the value.
const PASSPORT = /\bpassport(?:\s?(?:number|no\.?|#|id))?\s*(?:is\b|was\b|:|=|-)?\s*([A-Z0-9]{6,9})(?![\w-])/gi;
const DRIVER_ID =
  /\b(?:driver'?s?|driving|drivers)\s?licen[cs]e(?:\s?(?:number|no\.?|#|id))?\s*(?:is\b|was\b|:|=|-)?\s*([A-Z0-9](?:[A-Z0-9-]{3,18}[A-Z0-9]))(?![\w-])|\b(?:dl|d\/l|dln)\s?(?:number|no\.?|#)?\s*(?::|=|-|is\b)?\s*([A-Z0-9](?:[A-Z0-9-]{3,18}[A-Z0-9]))(?![\w-])/gi;
const PLATE =
  /\b(?:licen[cs]e|number|registration|reg\.?)\s?plates?(?:\s?(?:number|no\.?|#))?\s*(?:is\b|was\b|:|=|-|reads?)?\s*([A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,4}){1,2})(?![\w-])|\b(?:plate|registration|reg\.?)\s?(?:number|no\.?|#|mark)\s*(?:is\b|was\b|:|=|-)?\s*([A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,4}){1,2})(?![\w-])/gi;
const VIN = /(?<![A-Za-z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])/g;
/** A superset of the VIN alphabet, for `hasRun`. */
const isUpperOrDigit = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
const VIN_CONTEXT = /\b(?:vin|vehicle|chassis|car|truck|frame number)\b/;

export const documentIdRecognizer: Recognizer = {
  name: 'document-id',
  types: ['US_PASSPORT_NUMBER', 'DRIVER_ID', 'LICENSE_PLATE', 'VEHICLE_IDENTIFICATION_NUMBER'],
  find(text) {
    const out: PiiCandidate[] = [];
    pushValue(out, text, PASSPORT, 'US_PASSPORT_NUMBER', 0.85);
    pushValue(out, text, DRIVER_ID, 'DRIVER_ID', 0.85);
    pushValue(out, text, PLATE, 'LICENSE_PLATE', 0.8);
    if (hasRun(text, 17, isUpperOrDigit)) for (const m of text.matchAll(VIN)) {
      const check = vinCheck(m[0]);
      if (check === 'invalid') continue;
      const context = hasContext(text, m.index, m.index + 17, VIN_CONTEXT, 40, 0);
      const score = check === 'checked' ? (context ? 0.97 : 0.85) : context ? 0.8 : 0.4;
      out.push({ type: 'VEHICLE_IDENTIFICATION_NUMBER', start: m.index, end: m.index + 17, score });
    }
    return out;
  },
};

/**
 * The value is the last non-empty capture, cut before the first group with a lower-case letter (the patterns match
 * their cue words case-insensitively, so "7ABC123 was" can come back); it must hold a digit, which keeps words like
 * "expired" out.
 */
function pushValue(out: PiiCandidate[], text: string, pattern: RegExp, type: PiiCandidate['type'], score: number): void {
  for (const m of text.matchAll(pattern)) {
    const captured = m[2] ?? m[1];
    if (!captured) continue;
    const lower = captured.search(/[ -]?[A-Z0-9]*[a-z]/);
    const value = lower < 0 ? captured : captured.slice(0, lower);
    if (!/\d/.test(value) || value.length < 2) continue;
    const start = m.index + m[0].lastIndexOf(captured);
    out.push({ type, start, end: start + value.length, score });
  }
}
