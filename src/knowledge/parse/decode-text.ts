import { DocumentParseError } from './document-parse-error.js';

/** Like git, judge binary-ness on a prefix: a stray NUL deep in a large log file should not reject it. */
const SAMPLE = 64 * 1024;
/** Share of control characters in the sample above which the bytes are not text in any encoding we read. */
const MAX_CONTROL_RATIO = 0.1;

/**
 * Bytes of a text-like file (plain text, Markdown, CSV, JSON, HTML) to a string with `\n` line ends. A BOM decides the
 * encoding (UTF-8, UTF-16 LE/BE); then a `charset` from the content type; else strict UTF-8, falling back to
 * windows-1252 (which decodes every byte) so a legacy file reads as text instead of a soup of U+FFFD.
 */
export function decodeText(name: string, bytes: Uint8Array, charset?: string): string {
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    text = new TextDecoder('utf-8').decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  } else {
    if (bytes.subarray(0, SAMPLE).includes(0)) throw binary(name);
    text = decodeWithoutBom(bytes, charset);
  }
  if (controlRatio(text.slice(0, SAMPLE)) > MAX_CONTROL_RATIO) throw binary(name);
  // NULs past the sample would end C strings downstream (SQLite FTS, PostgreSQL text) and carry no meaning.
  return text.replace(/\r\n?/g, '\n').replace(/\0/g, '');
}

function decodeWithoutBom(bytes: Uint8Array, charset: string | undefined): string {
  const declared = charset ? decoderFor(charset) : undefined;
  // A declared UTF-8 gets the same strict reading as an undeclared one: servers say utf-8 by default, often wrongly.
  if (declared && declared.encoding === 'windows-1252') return windows1252(declared.decode(bytes));
  if (declared && declared.encoding !== 'utf-8') return declared.decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return windows1252(new TextDecoder('windows-1252').decode(bytes));
  }
}

/** Windows-1252's printable characters at 0x80–0x9F; the five bytes it leaves undefined stay C1 controls. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * Node 20's TextDecoder reads the label 'windows-1252' (and 'iso-8859-1', which WHATWG aliases to it) as Latin-1,
 * turning curly quotes, dashes and the euro sign into invisible C1 controls; mapping that range fixes it either way.
 */
function windows1252(latin1: string): string {
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

function decoderFor(charset: string): InstanceType<typeof TextDecoder> | undefined {
  try {
    return new TextDecoder(charset.trim().replace(/^["']|["']$/g, ''));
  } catch {
    return undefined;
  }
}

/** C0 controls other than tab, line feed, vertical tab, form feed and carriage return; DEL; and the C1 block. */
function controlRatio(sample: string): number {
  if (sample.length === 0) return 0;
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && (c < 0x09 || c > 0x0d)) || (c >= 0x7f && c <= 0x9f)) controls++;
  }
  return controls / sample.length;
}

function binary(name: string): DocumentParseError {
  return new DocumentParseError(name, 'binary content with a text extension');
}
