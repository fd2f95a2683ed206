import { guardrailArn } from './guardrail-ids.js';
import type { GuardrailConfig } from './guardrail-request-schema.js';
import type { GuardrailsTable, GuardrailVersionsTable } from './guardrail-tables.js';

/** GetGuardrail's response (`@aws-sdk/client-bedrock` GetGuardrailResponse), timestamps as ISO strings on the wire. */
export interface GuardrailView {
  name: string;
  description?: string;
  guardrailId: string;
  guardrailArn: string;
  version: string;
  status: string;
  topicPolicy?: { topics: unknown[]; tier?: unknown };
  contentPolicy?: { filters: unknown[]; tier?: unknown };
  wordPolicy?: { words?: unknown[]; managedWordLists?: unknown[] };
  sensitiveInformationPolicy?: { piiEntities?: unknown[]; regexes?: unknown[] };
  contextualGroundingPolicy?: { filters: unknown[]; tier?: unknown };
  createdAt: string;
  updatedAt: string;
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  kmsKeyArn?: string;
}

/** ListGuardrails' `GuardrailSummary`. */
export interface GuardrailSummaryView {
  id: string;
  arn: string;
  status: string;
  name: string;
  description?: string;
  version: string;
  createdAt: string;
  updatedAt: string;
}

const tier = (t: { tierName: string } | undefined) => (t ? { tier: { tierName: t.tierName } } : {});

/** Bedrock answers with the request's configuration renamed: `…PolicyConfig.…Config` becomes `…Policy.…`. */
export function guardrailView(region: string, guardrail: GuardrailsTable, row: GuardrailVersionsTable): GuardrailView {
  const c = JSON.parse(row.config) as GuardrailConfig;
  const view: GuardrailView = {
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    guardrailId: row.guardrail_id,
    guardrailArn: guardrailArn(region, row.scope, row.guardrail_id),
    version: row.version,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    blockedInputMessaging: c.blockedInputMessaging,
    blockedOutputsMessaging: c.blockedOutputsMessaging,
  };
  if (c.topicPolicyConfig) view.topicPolicy = { topics: c.topicPolicyConfig.topicsConfig, ...tier(c.topicPolicyConfig.tierConfig) };
  if (c.contentPolicyConfig) view.contentPolicy = { filters: c.contentPolicyConfig.filtersConfig, ...tier(c.contentPolicyConfig.tierConfig) };
  if (c.wordPolicyConfig) {
    view.wordPolicy = {
      ...(c.wordPolicyConfig.wordsConfig ? { words: c.wordPolicyConfig.wordsConfig } : {}),
      ...(c.wordPolicyConfig.managedWordListsConfig ? { managedWordLists: c.wordPolicyConfig.managedWordListsConfig } : {}),
    };
  }
  if (c.sensitiveInformationPolicyConfig) {
    const s = c.sensitiveInformationPolicyConfig;
    view.sensitiveInformationPolicy = { ...(s.piiEntitiesConfig ? { piiEntities: s.piiEntitiesConfig } : {}), ...(s.regexesConfig ? { regexes: s.regexesConfig } : {}) };
  }
  if (c.contextualGroundingPolicyConfig) {
    view.contextualGroundingPolicy = { filters: c.contextualGroundingPolicyConfig.filtersConfig, ...tier(c.contextualGroundingPolicyConfig.tierConfig) };
  }
  if (guardrail.kms_key_id) view.kmsKeyArn = guardrail.kms_key_id;
  return view;
}

export function guardrailSummaryView(region: string, row: GuardrailVersionsTable): GuardrailSummaryView {
  return {
    id: row.guardrail_id,
    arn: guardrailArn(region, row.scope, row.guardrail_id),
    status: row.status,
    name: row.name,
    ...(row.description ? { description: row.description } : {}),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
