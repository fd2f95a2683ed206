import type { TurnState } from '../api/chat-stream';
import { costOf, formatCount, formatMs, formatUsd, type Pricing } from '../lib/format';

const FINISH: Record<string, string> = { length: 'stopped at the token limit', stop: '', tool_calls: 'asked for a tool', content_filter: 'stopped by a content filter' };

/** Tokens, latency and cost of one answer; cost only where the catalog has the model's price. */
export function TurnStats({ turn, pricing }: { turn: TurnState; pricing: Pricing | undefined }) {
  const u = turn.usage;
  const cost = u ? costOf(u, pricing) : undefined;
  const finish = turn.finishReason ? (FINISH[turn.finishReason] ?? turn.finishReason) : '';
  return (
    <dl className="stats" aria-label="Answer statistics">
      <div>
        <dt>Tokens</dt>
        <dd data-stat="tokens">{u ? `${formatCount(u.inputTokens)} in · ${formatCount(u.outputTokens)} out` : turn.done ? 'not reported' : '…'}</dd>
      </div>
      <div>
        <dt>First token</dt>
        <dd data-stat="first-token">{formatMs(turn.firstTokenMs)}</dd>
      </div>
      <div>
        <dt>Latency</dt>
        <dd data-stat="latency">{turn.done ? formatMs(turn.totalMs) : '…'}</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd data-stat="cost" title={pricing ? undefined : 'The catalog has no price for this model.'}>
          {!turn.done ? '…' : pricing ? formatUsd(cost) : 'no price'}
        </dd>
      </div>
      {finish && (
        <div>
          <dt>Finish</dt>
          <dd>{finish}</dd>
        </div>
      )}
    </dl>
  );
}
