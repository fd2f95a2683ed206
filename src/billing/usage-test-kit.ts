import type { UsageRecord } from './usage-meter.js';

/** A usage record for tests: one request's plain token counts, with `extra` overriding any column. */
export const testUsageRecord = (requestId: string, extra: Partial<UsageRecord> = {}): UsageRecord => ({
  request_id: requestId,
  time: new Date().toISOString(),
  principal: 'p',
  key_id: 'k',
  model_id: 'm',
  api: 'test',
  input_tokens: 1,
  output_tokens: 2,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  cost_usd: 0.5,
  latency_ms: 3,
  outcome: 'ok',
  ...extra,
});
