import { isUtf8 } from 'node:buffer';

/**
 * Finds runs that look like base64 (standard or URL-safe alphabet, optionally wrapped over lines as MIME does) and
 * returns those that decode to plausible text, so that an attack hidden as `SWdub3JlIGFsbCBwcmV2aW91cy4uLg==` is
 * classified in its decoded form too. "Plausible": valid UTF-8, at least 9 bytes, almost only printable characters,
 * at least half of them letters. Long ordinary words and identifiers decode to binary noise and are dropped by that
 * test, not by a guess on the letters. Reads case-sensitive text (`foldUnicode`'s output, not the canonical form).
 */
export function decodeBase64Segments(text: string): string[] {
  const out: string[] = [];
  if (text.length < MIN_RUN) return out;
  for (const match of text.matchAll(CANDIDATE)) {
    const block = match[0];
    const decoded = decodePlausible(block.replace(LINE_BREAKS, ''));
    if (decoded !== undefined) {
      out.push(decoded);
      continue;
    }
    // Lines that only looked like a wrapped block (two unrelated tokens on consecutive lines) are tried one by one.
    if (!block.includes('\n')) continue;
    for (const line of block.split(LINE_BREAKS)) {
      const one = decodePlausible(line);
      if (one !== undefined) out.push(one);
    }
  }
  return out;
}

/** 12 base64 characters hold 9 bytes: "kill them" is the shortest thing worth decoding. */
const MIN_RUN = 12;
// A run of the alphabet with its padding, possibly continued on following lines. A '-' or '_' makes it URL-safe.
const CANDIDATE = /[A-Za-z0-9+/_-]{12,}={0,2}(?:\r?\n[A-Za-z0-9+/_-]{12,}={0,2})*/g;
/** Pure lower-case words (however long) are never worth a decode; base64 of text nearly always has a digit or caps. */
const ENCODED_LOOK = /[0-9+/_=-]|[a-z][A-Z]|[A-Z][a-z]{0,2}[A-Z]/;
const LINE_BREAKS = /\r?\n/g;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const LETTER = /\p{L}/u;

function decodePlausible(run: string): string | undefined {
  if (run.length < MIN_RUN || !ENCODED_LOOK.test(run)) return undefined;
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined; // no base64 encoding ends with one lone character
  const urlSafe = /[-_]/.test(body);
  if (urlSafe && /[+/]/.test(body)) return undefined;
  const bytes = Buffer.from(body, urlSafe ? 'base64url' : 'base64');
  if (bytes.length < 9) return undefined;
  // Most candidates (hyphenated words, identifiers) decode to bytes that are not UTF-8: checked without the decoder's
  // exception, which cost more than the decoding.
  if (!isUtf8(bytes)) return undefined;
  const decoded = utf8.decode(bytes);
  let printable = 0;
  let letters = 0;
  for (const ch of decoded) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a || cp === 0x0d || cp === 0x09 || (cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0))) printable++;
    if (cp < 0x80 ? (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a : LETTER.test(ch)) letters++;
  }
  const chars = [...decoded].length;
  return printable >= chars * 0.95 && letters >= chars * 0.5 ? decoded : undefined;
}
