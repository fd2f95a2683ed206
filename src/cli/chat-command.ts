import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { serverAddress, streamChat } from './client.js';

const clientOptions = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'data-dir': { type: 'string' },
  system: { type: 'string' },
} as const;

export async function invokeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: clientOptions, allowPositionals: true });
  const [model, ...prompt] = positionals;
  if (!model || prompt.length === 0) throw new Error('usage: quarry invoke <model> "prompt"');
  const messages = [...(values.system ? [{ role: 'system', content: values.system }] : []), { role: 'user', content: prompt.join(' ') }];
  await streamChat(serverAddress(values), model, messages, (t) => process.stdout.write(t));
  process.stdout.write('\n');
  return 0;
}

export async function chatCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: clientOptions, allowPositionals: true });
  const model = positionals[0];
  if (!model) throw new Error('usage: quarry chat <model>');
  const addr = serverAddress(values);
  const history: { role: string; content: string }[] = values.system ? [{ role: 'system', content: values.system }] : [];
  // Lines are read through the async iterator, which buffers them: with piped input several lines can arrive while a
  // reply is still streaming, and a question()-based loop would drop them.
  const rl = createInterface({ input: process.stdin, terminal: false });
  process.stdout.write(`Chatting with ${model} at ${addr.url}. Empty line or Ctrl-D to quit.\n> `);
  try {
    for await (const line of rl) {
      if (!line.trim()) break;
      history.push({ role: 'user', content: line });
      try {
        const reply = await streamChat(addr, model, history, (t) => process.stdout.write(t));
        history.push({ role: 'assistant', content: reply });
      } catch (e) {
        history.pop();
        process.stdout.write(`[error] ${(e as Error).message}`);
      }
      process.stdout.write('\n> ');
    }
  } finally {
    rl.close();
  }
  return 0;
}
