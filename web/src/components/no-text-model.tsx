import { EmptyState } from './notice';

/** What to do when the server has no model that writes text: the three ways the server itself suggests. */
export function NoTextModel() {
  return (
    <EmptyState title="No text model is available on this server">
      <p>Chat, compare and generated answers need one. Any of these adds one; the console sees it on reload.</p>
      <ul className="steps">
        <li>
          Download a small model: <code>quarry models pull hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf</code>
        </li>
        <li>
          Or copy any <code>.gguf</code> file into the server's <code>models</code> folder (in its data directory, <code>.quarry/models</code> by default).
        </li>
        <li>
          Or configure a remote provider (OpenAI-compatible, Ollama, Anthropic, Bedrock) under <code>providers:</code> in <code>quarry.yaml</code>; see the README.
        </li>
      </ul>
    </EmptyState>
  );
}
