/**
 * Decides, while a model turn streams, which of its text is answer text that may already go out. A model without
 * native tool calling speaks ReAct: its turn is an answer only from a `Final Answer:` line written before any
 * `Action:` line or `<tool_call>`, and the answer ends at an `Observation:` line — the rules of `parseReactTurn`,
 * applied as the text arrives. A partial last line that could still become `Observation:`, or a `<` that could
 * become `<tool_call>`, is held until the next delta settles it, and surrounding whitespace is trimmed as the whole
 * turn's answer would be. For a model answering in plain text (native tool calling, no tools offered) every word is
 * answer text.
 */
const FINAL = /^[ \t>*_-]*final[ \t]*answer[ \t]*:/im;
const ACTION = /^[ \t>*_-]*action[ \t]*(?:\d+[ \t]*)?:/im;
const OBSERVATION = /^[ \t]*observation[ \t]*:/im;
const TOOL_CALL = '<tool_call>';

export class AnswerGate {
  private raw = '';
  /** Where the answer starts in `raw`, once known. */
  private start?: number;
  /** Characters of the answer already let through. */
  private sent = 0;
  private closed = false;

  constructor(private readonly react: boolean) {
    if (!react) this.start = 0;
  }

  /** True once any answer text was let through: the turn is the answer from then on. */
  get opened(): boolean {
    return this.sent > 0;
  }

  push(delta: string): string {
    this.raw += delta;
    if (this.closed) return '';
    if (this.start === undefined) this.start = this.findStart();
    if (this.start === undefined) return '';
    return this.take(false);
  }

  /** What is left once the model has finished. */
  end(): string {
    if (this.closed || this.start === undefined) return '';
    return this.take(true);
  }

  private findStart(): number | undefined {
    if (this.raw.includes(TOOL_CALL)) {
      this.closed = true;
      return undefined;
    }
    const final = FINAL.exec(this.raw);
    if (!final) return undefined;
    const action = this.raw.search(ACTION);
    const observation = this.raw.search(OBSERVATION);
    // An action or an observation before the marker makes this a tool-calling turn, whatever follows.
    if ((action >= 0 && action < final.index) || (observation >= 0 && observation < final.index)) {
      this.closed = true;
      return undefined;
    }
    return final.index + final[0].length;
  }

  private take(last: boolean): string {
    let rest = this.raw.slice(this.start);
    if (this.react) {
      // The answer begins mid-line, after the marker, so a line that stops it starts after a newline.
      const stop = rest.search(/\n[ \t]*observation[ \t]*:/i);
      const call = rest.indexOf(TOOL_CALL);
      const cut = Math.min(stop < 0 ? rest.length : stop, call < 0 ? rest.length : call);
      if (cut < rest.length) {
        rest = rest.slice(0, cut);
        this.closed = true;
        last = true;
      }
      if (!last) {
        // Hold a last line that may yet become an Observation line, and a `<` that may yet open a tool call.
        const nl = rest.lastIndexOf('\n');
        if (nl >= 0 && 'observation:'.startsWith(rest.slice(nl + 1).replace(/[ \t]+/g, '').toLowerCase())) rest = rest.slice(0, nl + 1);
        const lt = rest.lastIndexOf('<');
        if (lt >= 0 && TOOL_CALL.startsWith(rest.slice(lt))) rest = rest.slice(0, lt);
      }
    }
    const answer = rest.trim();
    if (answer.length <= this.sent) return '';
    const out = answer.slice(this.sent);
    this.sent = answer.length;
    return out;
  }
}
