import { Buffer } from 'node:buffer';
import type { ChatRequest, Message as OllamaMessage, Tool as OllamaTool } from 'ollama';
import { type ContentBlock, type DocumentBlock, type GenerateRequest, textOf, validation } from '../../core/index.js';
import type { OllamaOptions } from './ollama-options.js';

const TEXT_DOCUMENTS = new Set(['txt', 'md', 'csv', 'html']);

/** Canonical request → `/api/chat` body (without `stream`, which the caller sets). */
export function toOllamaChat(req: GenerateRequest, options: OllamaOptions): ChatRequest {
  const { think, keep_alive, options: extraOptions, ...rest } = (req.additionalModelRequestFields ?? {}) as {
    think?: ChatRequest['think'];
    keep_alive?: string | number;
    options?: Record<string, unknown>;
  } & Record<string, unknown>;
  const inf = req.inferenceConfig;
  // Bedrock-style `additionalModelRequestFields` carry Ollama model options (num_ctx, top_k, seed …) either flat or
  // under `options`; both land in `options`, with the canonical inference fields winning.
  const modelOptions: Record<string, unknown> = { ...options.modelOptions, ...rest, ...extraOptions };
  if (inf?.temperature !== undefined) modelOptions.temperature = inf.temperature;
  if (inf?.topP !== undefined) modelOptions.top_p = inf.topP;
  if (inf?.maxTokens !== undefined) modelOptions.num_predict = inf.maxTokens;
  if (inf?.stopSequences?.length) modelOptions.stop = inf.stopSequences;

  const body: ChatRequest = { model: req.model.upstreamModel, messages: toOllamaMessages(req) };
  if (Object.keys(modelOptions).length) body.options = modelOptions;
  const keepAlive = keep_alive ?? options.keepAlive;
  if (keepAlive !== undefined) body.keep_alive = keepAlive;
  if (think !== undefined) body.think = think;
  if (req.jsonSchema) body.format = req.jsonSchema.schema;
  if (req.toolConfig?.tools.length) {
    const choice = req.toolConfig.toolChoice;
    // Ollama cannot force a tool call; offering only the named tool is the closest it gets to `tool` choice.
    const specs = choice && 'tool' in choice ? req.toolConfig.tools.filter((t) => t.toolSpec.name === choice.tool.name) : req.toolConfig.tools;
    body.tools = specs.map(
      ({ toolSpec }): OllamaTool => ({
        type: 'function',
        function: { name: toolSpec.name, description: toolSpec.description, parameters: toolSpec.inputSchema.json as OllamaTool['function']['parameters'] },
      }),
    );
  }
  return body;
}

function toOllamaMessages(req: GenerateRequest): OllamaMessage[] {
  const out: OllamaMessage[] = [];
  if (req.system?.length) out.push({ role: 'system', content: textOf(req.system) });
  // Ollama's tool messages name the tool, not the call, so each result needs the name of the call it answers.
  const toolNames = new Map<string, string>();
  for (const m of req.messages) {
    if (m.role === 'assistant') {
      let content = '';
      let thinking = '';
      const calls: NonNullable<OllamaMessage['tool_calls']> = [];
      for (const b of m.content) {
        if ('text' in b) content += b.text;
        else if ('reasoningContent' in b && b.reasoningContent.reasoningText) thinking += b.reasoningContent.reasoningText.text;
        else if ('toolUse' in b) {
          toolNames.set(b.toolUse.toolUseId, b.toolUse.name);
          calls.push({ function: { name: b.toolUse.name, arguments: (b.toolUse.input ?? {}) as Record<string, unknown> } });
        }
      }
      const msg: OllamaMessage = { role: 'assistant', content };
      if (thinking) msg.thinking = thinking;
      if (calls.length) msg.tool_calls = calls;
      out.push(msg);
    } else {
      toUserMessages(m.content, toolNames, out);
    }
  }
  return out;
}

/** Tool results become `tool` messages first (they answer the previous turn), then the rest as one user message. */
function toUserMessages(blocks: ContentBlock[], toolNames: Map<string, string>, out: OllamaMessage[]): void {
  let text = '';
  const images: string[] = [];
  for (const b of blocks) {
    if ('toolResult' in b) {
      let content = '';
      for (const c of b.toolResult.content) {
        if ('text' in c) content += c.text;
        else if ('json' in c) content += JSON.stringify(c.json);
        // Tool messages carry no images; they ride along with the user message that follows.
        else if ('image' in c) images.push(base64(c.image.source.bytes));
        else content += documentText(c);
      }
      if (b.toolResult.status === 'error' && !content.startsWith('Error')) content = `Error: ${content}`;
      out.push({ role: 'tool', content, tool_name: toolNames.get(b.toolResult.toolUseId) ?? b.toolResult.toolUseId });
    } else if ('text' in b) text += b.text;
    else if ('guardContent' in b) text += b.guardContent.text.text;
    else if ('image' in b) images.push(base64(b.image.source.bytes));
    else if ('document' in b) text += documentText(b);
  }
  if (text === '' && images.length === 0) return;
  const msg: OllamaMessage = { role: 'user', content: text };
  if (images.length) msg.images = images;
  out.push(msg);
}

function documentText(b: DocumentBlock): string {
  const { format, name, source } = b.document;
  if ('text' in source) return `<document name="${name}">\n${source.text}\n</document>\n`;
  if (TEXT_DOCUMENTS.has(format)) return `<document name="${name}">\n${Buffer.from(source.bytes).toString('utf8')}\n</document>\n`;
  throw validation(`Ollama models cannot read ${format} documents; send text.`);
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
