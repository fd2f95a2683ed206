import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Bedrock's agent, action-group, alias and collaborator ids: ten upper-case letters and digits. */
export function newAgentResourceId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  // The test alias's id is reserved; a random id equal to it (one chance in 36^10) is simply drawn again.
  return id === TEST_ALIAS_ID ? newAgentResourceId() : id;
}

export const isAgentResourceId = (s: string | undefined): s is string => s !== undefined && /^[0-9A-Z]{10}$/.test(s);

/** The working copy every agent has; the only version that can be changed. */
export const DRAFT = 'DRAFT';

/** Bedrock's built-in test alias: every agent has it, it always routes to the (last prepared) DRAFT. */
export const TEST_ALIAS_ID = 'TSTALIASID';
export const TEST_ALIAS_NAME = 'AgentTestAlias';

/** `DRAFT` or a version number (`1`, `2`, …); anything else names no version. */
export const isAgentVersion = (s: string | undefined): s is string => s === DRAFT || (s !== undefined && /^[1-9][0-9]{0,8}$/.test(s));

export function agentArn(region: string, accountId: string, agentId: string): string {
  return `arn:aws:bedrock:${region}:${accountId}:agent/${agentId}`;
}

export function agentAliasArn(region: string, accountId: string, agentId: string, aliasId: string): string {
  return `arn:aws:bedrock:${region}:${accountId}:agent-alias/${agentId}/${aliasId}`;
}

/** The agent and alias an alias ARN names, if it is one (any region; the account is returned for the caller to check). */
export function parseAgentAliasArn(arn: string): { accountId: string; agentId: string; aliasId: string } | undefined {
  const m = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:(\d{12}):agent-alias\/([0-9A-Z]{10})\/([0-9A-Z]{10})$/.exec(arn);
  return m ? { accountId: m[1]!, agentId: m[2]!, aliasId: m[3]! } : undefined;
}
