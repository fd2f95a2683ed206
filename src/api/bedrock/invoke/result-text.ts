import type { ConverseResult } from '../../../core/index.js';

/** The reply's text, for formats that answer with one string (Llama, Titan, Mistral); tool calls have no place there. */
export const resultText = (r: ConverseResult) => r.message.content.map((b) => ('text' in b ? b.text : '')).join('');
