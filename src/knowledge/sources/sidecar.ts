import { parseSidecar, type Sidecar } from '../parse/sidecar-metadata.js';

/** Bedrock's convention: `report.pdf.metadata.json` beside `report.pdf` holds that document's attributes. */
export const SIDECAR_SUFFIX = '.metadata.json';

/** What a source reads of a sidecar at most (Bedrock caps one at 10 KB; the parser refuses more than 64 KiB). */
export const MAX_SIDECAR_BYTES = 64 * 1024;

export const isSidecar = (name: string) => name.endsWith(SIDECAR_SUFFIX) && name.length > SIDECAR_SUFFIX.length;

/** Parses a sidecar's bytes (`name` is for messages); throws with a reason when they are not a valid sidecar. */
export type ParseSidecar = (bytes: Uint8Array, name: string) => Sidecar;

/** The knowledge parser's reader of Bedrock sidecars: attributes, which to embed, and a CSV's record structure. */
export const defaultParseSidecar: ParseSidecar = (bytes, name) => parseSidecar(bytes, name);
