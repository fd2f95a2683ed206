/** One server-sent event: its `event:` name (empty when absent) and its joined `data:` lines. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Incremental server-sent-events parser (the WHATWG rules Quarry needs: `data` lines joined by newlines, `event`
 * names, `:` comments skipped, events dispatched on a blank line). Fed text as it arrives; a line split across two
 * network reads is held back until its end. Lines end in `\n` or `\r\n`; a lone `\r` line ending is valid SSE but
 * no model server sends it, and supporting it would mean holding every chunk that ends in `\r`.
 */
export class SseDecoder {
  private buffer = '';
  private data: string[] = [];
  private event = '';

  /** Appends text and returns the events it completed. */
  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    const buf = this.buffer + text;
    let start = 0;
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n', start)) {
      const end = nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(buf.slice(start, end), out);
      start = nl + 1;
    }
    this.buffer = start === 0 ? buf : buf.slice(start);
    return out;
  }

  /** True when text is held that has not yet formed a whole event: the stream was cut mid-event. */
  get pending(): boolean {
    return this.buffer.trim() !== '' || this.data.length > 0;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data.length) out.push({ event: this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment, e.g. keep-alives */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}
