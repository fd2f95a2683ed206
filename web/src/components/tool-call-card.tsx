import type { ChatToolCall } from '../api/chat-stream';

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** A tool the model asked to call, with its arguments as the model wrote them (pretty-printed when they parse). */
export function ToolCallCard({ call }: { call: ChatToolCall }) {
  return (
    <div className="tool-call" data-tool-call={call.function.name}>
      <div className="tool-call-head">
        <span className="badge">Tool call</span> <code>{call.function.name || '…'}</code> <span className="muted small">{call.id}</span>
      </div>
      <pre className="code-block">{pretty(call.function.arguments) || '{}'}</pre>
    </div>
  );
}
