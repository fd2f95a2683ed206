import { parseHTML } from 'linkedom';
import type { Metadata } from '../metadata.js';
import { decodeEntities } from './decode-entities.js';
import { type DomNode, htmlToText } from './html-to-text.js';
import { inflateZip, ZipError } from './inflate-zip.js';
import type { ParseContext } from './parse-context.js';
import type { ParsedDocument, ParseInput } from './parsed-document.js';

/** Word files are mostly XML that compresses 10–20×; anything inflating past this is a bomb, not a document. */
const MAX_INFLATED_BYTES = 512 * 1024 * 1024;
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * DOCX through mammoth's HTML conversion rather than its raw text, so headings, lists and tables keep their lines
 * (`- ` items, ` | ` cells) for the chunker. Images are dropped before they are base64-encoded into the HTML.
 */
export async function parseDocx(input: ParseInput, ctx: ParseContext): Promise<ParsedDocument[]> {
  if (OLE_MAGIC.every((b, i) => input.bytes[i] === b)) {
    // Password-protected Office files are OLE containers around the encrypted package, like legacy .doc files.
    throw ctx.fail('encrypted DOCX (or a legacy .doc file, which is not supported)');
  }
  let core: Buffer | undefined;
  try {
    core = inflateZip(input.bytes, MAX_INFLATED_BYTES, (name) => name === 'docProps/core.xml').get('docProps/core.xml');
  } catch (e) {
    if (e instanceof ZipError) throw ctx.fail(`corrupt DOCX: ${e.message}`, e);
    throw e;
  }
  const mammoth = (await import('mammoth')).default;
  let html: string;
  try {
    const buffer = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
    const result = await mammoth.convertToHtml(
      { buffer },
      {
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        ignoreEmptyParagraphs: true,
        // Linked (not embedded) images would otherwise be read from paths the document names.
        externalFileAccess: false,
      },
    );
    html = result.value;
  } catch (e) {
    throw ctx.fail(`corrupt DOCX: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  const { document } = parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`);
  const text = htmlToText(document.body as DomNode);
  const properties = coreProperties(core);
  const heading = document.querySelector('h1, h2, h3, h4, h5, h6')?.textContent?.replace(/\s+/g, ' ').trim();
  const metadata: Metadata = {};
  if (properties.author) metadata.author = properties.author;
  return [{ text, title: properties.title ?? (heading || undefined), metadata }];
}

/** Title and author from the package's Dublin Core properties, when the author of the file filled them in. */
function coreProperties(xml: Buffer | undefined): { title?: string; author?: string } {
  if (!xml) return {};
  const s = xml.toString('utf8', 0, Math.min(xml.length, 64 * 1024));
  const field = (tag: string) => {
    const m = new RegExp(`<${tag}(?:\\s[^>]{0,200})?>([^<]{1,1000})</${tag}>`).exec(s);
    const v = m ? decodeEntities(m[1]).replace(/\s+/g, ' ').trim() : '';
    return v || undefined;
  };
  return { title: field('dc:title'), author: field('dc:creator') };
}
