import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { test } from 'node:test';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { DocumentParseError } from './document-parse-error.js';
import { inflateZip } from './inflate-zip.js';
import { parseDocument } from './parse-document.js';

async function handbook(opts: { title?: string } = {}): Promise<Uint8Array> {
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const doc = new Document({
    ...(opts.title ? { title: opts.title } : {}),
    creator: 'Ada Stone',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Safety rules', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('Wear a '), new TextRun({ text: 'hard hat', bold: true }), new TextRun(' on site.')] }),
          new Paragraph({ text: 'Blasting', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'Sound the horn', bullet: { level: 0 } }),
          new Paragraph({ text: 'Clear the pit', bullet: { level: 0 } }),
          new Table({ rows: [new TableRow({ children: [cell('Rock'), cell('Hardness')] }), new TableRow({ children: [cell('Granite'), cell('6')] })] }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

const reason = async (bytes: Uint8Array) => {
  try {
    await parseDocument({ name: 'x.docx', bytes });
  } catch (e) {
    assert.ok(DocumentParseError.isInstance(e), `not a DocumentParseError: ${e}`);
    return e.reason;
  }
  assert.fail('expected a DocumentParseError');
};

test('headings, paragraphs, lists and tables keep their lines; title and author from the core properties', async () => {
  const [doc] = await parseDocument({ name: 'handbook.docx', bytes: await handbook({ title: 'Quarry Handbook' }) });
  assert.equal(
    doc.text,
    'Safety rules\n\nWear a hard hat on site.\n\nBlasting\n\n- Sound the horn\n- Clear the pit\n\nRock | Hardness\nGranite | 6',
  );
  assert.equal(doc.title, 'Quarry Handbook');
  assert.deepEqual(doc.metadata, { author: 'Ada Stone' });
});

test('without a core title the first heading is the title', async () => {
  const [doc] = await parseDocument({ name: 'handbook.docx', bytes: await handbook() });
  assert.equal(doc.title, 'Safety rules');
});

test('corrupt, truncated and encrypted DOCX files fail with a reason', async () => {
  const good = await handbook();
  assert.match(await reason(good.subarray(0, good.length - 200)), /^corrupt DOCX: /);
  assert.match(await reason(new TextEncoder().encode('PK\x03\x04 not really a zip')), /^corrupt DOCX: not a ZIP archive$/);
  // A valid ZIP that is not a Word document.
  const zip = storedZip('hello.txt', Buffer.from('hello'));
  assert.match(await reason(zip), /^corrupt DOCX: /);
  // Password-protected Office files are OLE compound files.
  const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Uint8Array(504)]);
  assert.match(await reason(ole), /^encrypted DOCX/);
});

test('a ZIP bomb is stopped by the real inflated size, whatever the headers claim', () => {
  const zeros = Buffer.alloc(8 * 1024 * 1024);
  const zip = deflatedZip('word/document.xml', zeros, { claimSize: 100 });
  assert.ok(zip.length < 20_000, `fixture is ${zip.length} bytes`);
  assert.throws(() => inflateZip(zip, 1024 * 1024, () => false), /inflates to over 1048576 bytes/);
  assert.equal(inflateZip(zip, 16 * 1024 * 1024, () => true).get('word/document.xml')?.length, zeros.length);
});

test('randomly damaged DOCX files parse or fail as DocumentParseError, never anything else', async () => {
  const good = await handbook();
  let seed = 3;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 40; i++) {
    const bytes = good.slice();
    for (let k = 1 + next(12); k > 0; k--) bytes[next(bytes.length)] = next(256);
    await parseDocument({ name: 'damaged.docx', bytes }).catch((e) => {
      assert.ok(DocumentParseError.isInstance(e), `threw ${e}`);
    });
  }
});

/** A one-entry ZIP, stored uncompressed. */
function storedZip(name: string, data: Buffer): Uint8Array {
  return zipOf(name, data, 0, data.length);
}

/** A one-entry ZIP, deflated, whose headers may lie about the inflated size. */
function deflatedZip(name: string, data: Buffer, opts: { claimSize: number }): Uint8Array {
  return zipOf(name, deflateRawSync(data), 8, opts.claimSize);
}

function zipOf(name: string, body: Buffer, method: number, size: number): Uint8Array {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(body.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  const directoryOffset = local.length + n.length + body.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + n.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  return new Uint8Array(Buffer.concat([local, n, body, central, n, end]));
}
