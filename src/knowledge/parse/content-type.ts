/** `text/html; charset=ISO-8859-1` → `{ mime: 'text/html', charset: 'ISO-8859-1' }`; undefined when there is none. */
export function parseContentType(contentType: string | undefined): { mime: string; charset?: string } | undefined {
  if (!contentType) return undefined;
  const [type, ...params] = contentType.split(';');
  const mime = type.trim().toLowerCase();
  if (!mime) return undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === 'charset') {
      const charset = param.slice(eq + 1).trim().replace(/^"|"$/g, '');
      if (charset) return { mime, charset };
    }
  }
  return { mime };
}
