/**
 * Hosts a user explicitly allowed past the address check, as `host` (any port) or `host:port` (`[::1]:8080` for
 * IPv6). Entries and URLs are both normalised by the WHATWG URL parser, so `127.0.0.1` also covers `2130706433` and
 * `0x7f.1`, and `0:0:0:0:0:0:0:1` covers `[::1]`.
 */
export class HostAllowList {
  private readonly keys = new Set<string>();

  constructor(entries: readonly string[] = []) {
    for (const entry of entries) this.keys.add(entryKey(entry));
  }

  get size(): number {
    return this.keys.size;
  }

  allows(url: URL): boolean {
    if (this.keys.size === 0) return false;
    const host = hostOf(url);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return this.keys.has(host) || this.keys.has(`${host} ${port}`);
  }
}

function hostOf(url: URL): string {
  return url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
}

function entryKey(entry: string): string {
  const e = entry.trim();
  // A bare IPv6 address has several colons and cannot carry a port; with a port it must be bracketed.
  const bareV6 = !e.startsWith('[') && e.indexOf(':') !== e.lastIndexOf(':');
  const m = bareV6 ? undefined : /^(.*):(\d{1,5})$/.exec(e);
  const hostPart = bareV6 ? `[${e}]` : (m?.[1] ?? e);
  let url: URL;
  try {
    url = new URL(`http://${hostPart}/`);
  } catch {
    throw new TypeError(`allowHosts: "${entry}" is not a host or host:port`);
  }
  const host = hostOf(url);
  return m ? `${host} ${Number(m[2])}` : host;
}
