import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ServerError, serverAddress, streamChat } from './client.js';

const clientOptions = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  system: { type: 'string' },
  'max-tokens': { type: 'string' },
} as const;

/** --max-tokens, a positive whole number when given. */
function maxTokensOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--max-tokens must be a positive whole number, not ${v}`);
  return n;
}

export async function invokeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: clientOptions, allowPositionals: true });
  const [model, ...prompt] = positionals;
  if (!model || prompt.length === 0) throw new Error('usage: quarry invoke <model> "prompt"');
  const messages = [...(values.system ? [{ role: 'system', content: values.system }] : []), { role: 'user', content: prompt.join(' ') }];
  await streamChat(serverAddress(values), model, messages, (t) => process.stdout.write(t), { maxTokens: maxTokensOf(values['max-tokens']) });
  process.stdout.write('\n');
  return 0;
}

export async function chatCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: clientOptions, allowPositionals: true });
  const model = positionals[0];
  if (!model) throw new Error('usage: quarry chat <model>');
  const addr = serverAddress(values);
  const maxTokens = maxTokensOf(values['max-tokens']);
  const history: { role: string; content: string }[] = values.system ? [{ role: 'system', content: values.system }] : [];
  // Lines are read through the async iterator, which buffers them: with piped input several lines can arrive while a
  // reply is still streaming, and a question()-based loop would drop them.
  const rl = createInterface({ input: process.stdin, terminal: false });
  process.stdout.write(`Chatting with ${model} at ${addr.url}. Empty line or Ctrl-D to quit.\n> `);
  try {
    for await (const line of rl) {
      if (!line.trim()) break;
      history.push({ role: 'user', content: line });
      for (;;) {
        try {
          const reply = await streamChat(addr, model, history, (t) => process.stdout.write(t), { maxTokens });
          history.push({ role: 'assistant', content: reply });
        } catch (e) {
          // A conversation that outgrew the model's context goes on without its oldest turn, as chat front ends do.
          if (e instanceof ServerError && e.code === 'context_length_exceeded' && dropOldestTurn(history)) {
            process.stdout.write('[the oldest turn was dropped to fit the model\'s context] ');
            continue;
          }
          history.pop();
          process.stdout.write(`[error] ${(e as Error).message}`);
        }
        break;
      }
      process.stdout.write('\n> ');
    }
  } finally {
    rl.close();
  }
  return 0;
}

/** Removes the first user turn and the replies after it (the system prompt stays); false when only the newest is left. */
function dropOldestTurn(history: { role: string; content: string }[]): boolean {
  const first = history.findIndex((m) => m.role !== 'system');
  const next = history.findIndex((m, i) => i > first && m.role === 'user');
  if (first < 0 || next < 0) return false;
  history.splice(first, next - first);
  return true;
}
