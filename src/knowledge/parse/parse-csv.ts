import { parse } from 'csv-parse/sync';
import type { Metadata, MetadataValue } from '../metadata.js';
import type { ParseContext } from './parse-context.js';
import type { ParsedDocument, ParseInput } from './parsed-document.js';
import { decodeInput } from './parse-text.js';
import { MAX_METADATA_VALUE_LENGTH, namedFields, recordFields, recordText, setMetadata } from './record-fields.js';

/** Decimal numbers as people write them in sheets; `007` and `1,000` stay strings (codes, locale formats). */
const NUMBER = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,15})?(?:[eE][+-]?\d{1,3})?$/;
const BOOLEAN = /^(?:true|false)$/i;

type ColumnType = 'number' | 'boolean' | 'string';

/**
 * One document per row (`part` is the 1-based data row number, counting rows skipped as malformed), the first row
 * being the header, as in Bedrock. Which columns are content and which metadata follows `ctx.records`; metadata values
 * are typed per column: a column whose every value is a number (or true/false) gives numbers (booleans).
 */
export async function parseCsv(input: ParseInput, ctx: ParseContext, delimiter = ','): Promise<ParsedDocument[]> {
  const text = decodeInput(input, ctx);
  let header: string[] | undefined;
  const rows: { row: number; values: string[] }[] = [];
  const skipped: string[] = [];
  let seen = 0;
  try {
    parse(text, {
      delimiter,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err) => {
        seen++;
        skipped.push(err?.message ?? 'malformed row');
      },
      on_record: (record: string[]) => {
        seen++;
        if (header === undefined) header = columnNames(record);
        else rows.push({ row: seen - 1, values: record });
        // Rows are kept above, with their numbers; csv-parse need not collect them too.
        return null;
      },
    });
  } catch (e) {
    throw ctx.fail(`malformed CSV: ${e instanceof Error ? e.message : String(e)}`, e);
  }
  if (header === undefined) {
    if (skipped.length > 0) throw ctx.fail(`malformed CSV: ${skipped[0]}`);
    return [];
  }
  if (skipped.length > 0) {
    if (rows.length === 0) throw ctx.fail(`malformed CSV: ${skipped[0]}`);
    ctx.warn(`skipped ${skipped.length} malformed CSV row(s); the first: ${skipped[0]}`);
  }
  const columns = header;
  const missing = namedFields(ctx.records).filter((f) => !columns.includes(f));
  if (missing.length > 0) throw ctx.fail(`CSV has no column ${missing.map((f) => JSON.stringify(f)).join(', ')}`);

  const fields = recordFields(ctx.records);
  const contentColumns = (fields.content ?? columns).map((f) => columns.indexOf(f));
  const types = columns.map((_, i) => columnType(rows, i));
  const metadataColumns = columns
    .map((name, i) => ({ name, i }))
    .filter(({ name, i }) => fields.isMetadata(name, rows.every((r) => isShort(r.values[i] ?? ''))));

  const docs: ParsedDocument[] = [];
  for (const { row, values } of rows) {
    ctx.signal?.throwIfAborted();
    const pairs = contentColumns.map((i) => [columns[i], values[i] ?? ''] as const);
    const rowText = recordText(pairs, fields.content?.length === 1);
    if (rowText === '') continue;
    ctx.count(rowText.length);
    const metadata: Metadata = {};
    for (const { name, i } of metadataColumns) {
      const value = values[i]?.trim();
      if (value) setMetadata(metadata, name, typed(value, types[i]));
    }
    docs.push({ text: rowText, metadata, part: String(row) });
  }
  return docs;
}

/** Header cells trimmed; blank ones named by position and repeated ones numbered, so every column has a unique key. */
function columnNames(record: string[]): string[] {
  const used = new Set<string>();
  return record.map((cell, i) => {
    const base = cell.trim() || `column_${i + 1}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}

function columnType(rows: { values: string[] }[], i: number): ColumnType {
  let number = true;
  let boolean = true;
  let any = false;
  for (const { values } of rows) {
    const v = values[i]?.trim();
    if (!v) continue;
    any = true;
    number &&= NUMBER.test(v) && Number.isFinite(Number(v));
    boolean &&= BOOLEAN.test(v);
    if (!number && !boolean) return 'string';
  }
  if (!any) return 'string';
  return number ? 'number' : boolean ? 'boolean' : 'string';
}

function typed(value: string, type: ColumnType): MetadataValue {
  switch (type) {
    case 'number':
      return Number(value);
    case 'boolean':
      return value.toLowerCase() === 'true';
    case 'string':
      return value;
    default: {
      const never: never = type;
      return never;
    }
  }
}

function isShort(value: string): boolean {
  return value.length <= MAX_METADATA_VALUE_LENGTH && !value.includes('\n');
}
