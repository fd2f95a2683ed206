import type { GuardrailSource } from './policy-verdict.js';

/** The per-direction switches Bedrock puts on words, managed lists and topics. */
export interface DirectionalConfig {
  inputAction?: 'BLOCK' | 'NONE';
  outputAction?: 'BLOCK' | 'NONE';
  inputEnabled?: boolean;
  outputEnabled?: boolean;
}

/** Bedrock's defaults: enabled on both sides, and BLOCK when no action is given. */
export function direction(config: DirectionalConfig, source: GuardrailSource): { enabled: boolean; action: 'BLOCK' | 'NONE' } {
  return source === 'INPUT'
    ? { enabled: config.inputEnabled ?? true, action: config.inputAction ?? 'BLOCK' }
    : { enabled: config.outputEnabled ?? true, action: config.outputAction ?? 'BLOCK' };
}

export const reportedAction = (action: 'BLOCK' | 'NONE'): 'BLOCKED' | 'NONE' => (action === 'BLOCK' ? 'BLOCKED' : 'NONE');
