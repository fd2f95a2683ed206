import { validation } from '../../core/index.js';

/** Converse carries tool input as JSON, so arguments that do not parse are refused rather than guessed at. */
export function toolArguments(text: string, at: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw validation(`${at} is not valid JSON.`);
  }
}
