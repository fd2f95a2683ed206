import type { TurnState } from '../api/chat-stream';
import type { ImageAttachment } from '../lib/attachments';
import type { Pricing } from '../lib/format';
import { FieldError } from './notice';
import { ToolCallCard } from './tool-call-card';
import { TurnStats } from './turn-stats';

export type Turn =
  | { id: string; role: 'user'; text: string; images: ImageAttachment[] }
  | { id: string; role: 'assistant'; model: string; pricing: Pricing | undefined; structured: boolean; state: TurnState }
  | { id: string; role: 'tool'; toolCallId: string; name: string; content: string };

function structuredText(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return undefined;
  }
}

/** One message of the conversation: what was sent, or the answer with its tool calls and statistics. */
export function ChatTurn({ turn }: { turn: Turn }) {
  switch (turn.role) {
    case 'user':
      return (
        <article className="turn turn-user" aria-label="You">
          <div className="turn-who">You</div>
          {turn.text && <div className="turn-text">{turn.text}</div>}
          {turn.images.length > 0 && (
            <div className="thumbs">
              {turn.images.map((im) => (
                <img key={im.id} src={im.dataUrl} alt={im.name} className="thumb" />
              ))}
            </div>
          )}
        </article>
      );
    case 'tool':
      return (
        <article className="turn turn-tool" aria-label={`Result of tool ${turn.name}`}>
          <div className="turn-who">
            Tool result · <code>{turn.name}</code>
          </div>
          <pre className="code-block">{turn.content}</pre>
        </article>
      );
    case 'assistant': {
      const s = turn.state;
      const json = turn.structured && s.done ? structuredText(s.text) : undefined;
      return (
        <article className="turn turn-assistant" aria-label={`Answer from ${turn.model}`} aria-busy={!s.done} data-done={s.done}>
          <div className="turn-who">
            <code>{turn.model}</code>
          </div>
          {s.reasoning && (
            <details className="reasoning">
              <summary>Reasoning</summary>
              <div className="turn-text">{s.reasoning}</div>
            </details>
          )}
          {json ? (
            <pre className="code-block" data-testid="answer">
              {json}
            </pre>
          ) : (
            (s.text || !s.toolCalls.length) && (
              <div className="turn-text" data-testid="answer">
                {s.text}
                {!s.done && <span className="cursor" aria-hidden="true" />}
              </div>
            )
          )}
          {s.toolCalls.map((c) => (
            <ToolCallCard key={c.id} call={c} />
          ))}
          <FieldError message={s.error} />
          <TurnStats turn={s} pricing={turn.pricing} />
        </article>
      );
    }
    default: {
      const never: never = turn;
      return never;
    }
  }
}
