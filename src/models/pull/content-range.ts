/** `Content-Range: bytes 100-199/1000` → { start: 100, end: 199, total: 1000 }; `bytes *\/1000` (on a 416) → { total }. */
export function parseContentRange(
  value: string | string[] | undefined,
): { start?: number; end?: number; total?: number } | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const m = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(v.trim());
  if (!m) return undefined;
  return {
    start: m[1] === undefined ? undefined : Number(m[1]),
    end: m[2] === undefined ? undefined : Number(m[2]),
    total: m[3] === '*' ? undefined : Number(m[3]),
  };
}
