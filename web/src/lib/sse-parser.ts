/**
 * Splits a `text/event-stream` body into the data of each event, as the WHATWG spec reads it: events end at a blank
 * line, `data:` lines join with newlines, comment lines (`:`) and other fields are ignored. Chunks may cut a line
 * (or a CRLF) anywhere. Pure, so the tests run it without a browser.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];

  /** Feeds decoded text; returns the data of every event completed by it. */
  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    for (;;) {
      const nl = this.buffer.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      // A lone CR at the end of a chunk may be half of CRLF: wait for the next chunk before deciding.
      if (this.buffer[nl] === '\r' && nl === this.buffer.length - 1) break;
      const width = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + width);
      this.line(line, out);
    }
    return out;
  }

  /** The stream ended: an event not closed by a blank line is dropped, as the spec says. */
  end(): string[] {
    this.buffer = '';
    this.data = [];
    return [];
  }

  private line(line: string, out: string[]): void {
    if (line === '') {
      if (this.data.length) out.push(this.data.join('\n'));
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.data.push(value);
  }
}
