import { z } from 'zod';

/**
 * The agent resources' request bodies in the shapes of `@aws-sdk/client-bedrock-agent`, validated where they enter
 * (the API). Limits are Bedrock's where it documents them, otherwise bounds that keep one request from filling the
 * store. Path parameters are checked by the routes.
 */

/** Bedrock's resource-name rule (agents, action groups, aliases, collaborators, functions, parameters). */
export const resourceName = z
  .string()
  .regex(/^([0-9a-zA-Z][_-]?){1,100}$/, 'must be 1-100 letters, digits, "_" or "-", starting with a letter or digit, with no two "_"/"-" in a row');

const clientToken = z.string().min(1).max(256).optional();
const description = z.string().min(1).max(200);

export const guardrailConfigurationSchema = z
  .object({
    guardrailIdentifier: z.string().min(1).max(2048).optional(),
    guardrailVersion: z.string().regex(/^(DRAFT|[1-9][0-9]{0,7})$/, 'must be DRAFT or a version number').optional(),
  })
  .strict()
  .refine((g) => !g.guardrailIdentifier === !g.guardrailVersion, 'guardrailIdentifier and guardrailVersion go together');

export const memoryConfigurationSchema = z
  .object({
    enabledMemoryTypes: z.array(z.literal('SESSION_SUMMARY', { error: 'the only memory type is SESSION_SUMMARY' })).min(1).max(1),
    /** Days a session summary is kept (Bedrock: 0-365, 30 by default). */
    storageDays: z.number().int().min(0).max(365).optional(),
    sessionSummaryConfiguration: z.object({ maxRecentSessions: z.number().int().min(1).max(50).optional() }).strict().optional(),
  })
  .strict();

export const PROMPT_TYPES = ['PRE_PROCESSING', 'ORCHESTRATION', 'POST_PROCESSING', 'KNOWLEDGE_BASE_RESPONSE_GENERATION', 'MEMORY_SUMMARIZATION'] as const;

const promptConfigurationSchema = z
  .object({
    promptType: z.enum(PROMPT_TYPES),
    promptCreationMode: z.enum(['DEFAULT', 'OVERRIDDEN']).optional(),
    promptState: z.enum(['ENABLED', 'DISABLED']).optional(),
    basePromptTemplate: z.string().min(1).max(100_000).optional(),
    inferenceConfiguration: z
      .object({
        temperature: z.number().min(0).max(1).optional(),
        topP: z.number().min(0).max(1).optional(),
        topK: z.number().int().min(0).max(500).optional(),
        maximumLength: z.number().int().min(0).max(200_000).optional(),
        stopSequences: z.array(z.string().min(1).max(100)).max(4).optional(),
      })
      .strict()
      .optional(),
    parserMode: z.enum(['DEFAULT', 'OVERRIDDEN']).optional(),
    foundationModel: z.string().min(1).max(2048).optional(),
    additionalModelRequestFields: z.unknown().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.promptCreationMode === 'OVERRIDDEN' && !p.basePromptTemplate) {
      ctx.addIssue({ code: 'custom', message: 'an OVERRIDDEN prompt needs a basePromptTemplate', path: ['basePromptTemplate'] });
    }
    if (p.parserMode === 'OVERRIDDEN') {
      ctx.addIssue({ code: 'custom', message: 'parser overrides run a Lambda, which Quarry does not offer; leave parserMode DEFAULT', path: ['parserMode'] });
    }
  });

export const promptOverrideConfigurationSchema = z
  .object({
    promptConfigurations: z.array(promptConfigurationSchema).max(10),
    overrideLambda: z.string().max(2048).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.overrideLambda) ctx.addIssue({ code: 'custom', message: 'overrideLambda (a custom parser) is not supported by Quarry', path: ['overrideLambda'] });
    const seen = new Set<string>();
    for (const c of p.promptConfigurations) {
      if (seen.has(c.promptType)) ctx.addIssue({ code: 'custom', message: `promptType ${c.promptType} is configured twice`, path: ['promptConfigurations'] });
      seen.add(c.promptType);
    }
  });

export const AGENT_COLLABORATION = ['DISABLED', 'SUPERVISOR', 'SUPERVISOR_ROUTER'] as const;

/** Everything CreateAgent sets besides the name; stored as the draft's settings and echoed by GetAgent. */
const agentSettingsShape = {
  /** Bedrock refuses instructions shorter than 40 characters. */
  instruction: z.string().min(40, 'must be at least 40 characters (as on Bedrock)').max(20_000).optional(),
  foundationModel: z.string().min(1).max(2048).optional(),
  description: description.optional(),
  orchestrationType: z.enum(['DEFAULT', 'CUSTOM_ORCHESTRATION']).optional(),
  customOrchestration: z.object({ executor: z.object({ lambda: z.string().max(2048) }).strict().optional() }).strict().optional(),
  idleSessionTTLInSeconds: z.number().int().min(60).max(5400).optional(),
  /** Accepted and echoed: Quarry's agents act with the caller's own permissions, not an assumed role. */
  agentResourceRoleArn: z.string().max(2048).optional(),
  customerEncryptionKeyArn: z.string().max(2048).optional(),
  promptOverrideConfiguration: promptOverrideConfigurationSchema.optional(),
  guardrailConfiguration: guardrailConfigurationSchema.optional(),
  memoryConfiguration: memoryConfigurationSchema.optional(),
  agentCollaboration: z.enum(AGENT_COLLABORATION).optional(),
  /** Quarry: model turns per invocation before the agent stops (the AWS SDK drops this member; use the CLI or plain HTTP). */
  maxIterations: z.number().int().min(1).max(100).optional(),
  /** Quarry: input plus output tokens over all model calls of one invocation. */
  maxTotalTokens: z.number().int().min(1000).max(10_000_000).optional(),
};

const refuseCustomOrchestration = (v: { orchestrationType?: string }, ctx: z.RefinementCtx) => {
  if (v.orchestrationType === 'CUSTOM_ORCHESTRATION') {
    ctx.addIssue({ code: 'custom', message: 'CUSTOM_ORCHESTRATION (a Lambda running the loop) is not supported by Quarry; use DEFAULT', path: ['orchestrationType'] });
  }
};

export const createAgentSchema = z
  .object({ agentName: resourceName, clientToken, tags: z.record(z.string(), z.string().max(256)).optional(), ...agentSettingsShape })
  .strict()
  .superRefine(refuseCustomOrchestration);
export type CreateAgentInput = z.infer<typeof createAgentSchema>;

/** UpdateAgent replaces the settings as a whole, as on Bedrock (fields left out are cleared). */
export const updateAgentSchema = z
  .object({ agentName: resourceName, ...agentSettingsShape })
  .strict()
  .superRefine(refuseCustomOrchestration);
export type UpdateAgentInput = z.infer<typeof updateAgentSchema>;

/** The draft's settings as stored (everything of Create/UpdateAgent but the name, token and tags). */
export type AgentSettings = Omit<UpdateAgentInput, 'agentName'>;

export const PARAMETER_TYPES = ['string', 'number', 'integer', 'boolean', 'array'] as const;

const functionSchemaSchema = z
  .object({
    functions: z
      .array(
        z
          .object({
            name: resourceName,
            description: z.string().min(1).max(1200).optional(),
            parameters: z
              .record(
                resourceName,
                z
                  .object({ description: z.string().min(1).max(500).optional(), type: z.enum(PARAMETER_TYPES), required: z.boolean().optional() })
                  .strict(),
              )
              .optional(),
            requireConfirmation: z.enum(['ENABLED', 'DISABLED']).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(100),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.functions.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: 'custom', message: `function ${f.name} is defined twice`, path: ['functions', i, 'name'] });
      seen.add(f.name);
      if (Object.keys(f.parameters ?? {}).length > 100) ctx.addIssue({ code: 'custom', message: 'at most 100 parameters per function', path: ['functions', i] });
    });
  });
export type FunctionSchemaInput = z.infer<typeof functionSchemaSchema>;

export const ACTION_GROUP_SIGNATURES = ['AMAZON.UserInput', 'AMAZON.CodeInterpreter', 'ANTHROPIC.Computer', 'ANTHROPIC.Bash', 'ANTHROPIC.TextEditor'] as const;

const actionGroupShape = {
  actionGroupName: resourceName,
  description: description.optional(),
  parentActionGroupSignature: z.enum(ACTION_GROUP_SIGNATURES).optional(),
  parentActionGroupSignatureParams: z.record(z.string().max(100), z.string().max(1000)).optional(),
  actionGroupExecutor: z
    .union([z.object({ customControl: z.literal('RETURN_CONTROL') }).strict(), z.object({ lambda: z.string().min(1).max(2048) }).strict()], {
      error: 'actionGroupExecutor is either {"customControl":"RETURN_CONTROL"} or {"lambda":"<function ARN or name>"}',
    })
    .optional(),
  apiSchema: z
    .union([z.object({ payload: z.string().min(1) }).strict(), z.object({ s3: z.object({}).passthrough() }).strict()], {
      error: 'apiSchema is {"payload":"<OpenAPI document as JSON or YAML>"}',
    })
    .optional(),
  functionSchema: functionSchemaSchema.optional(),
  actionGroupState: z.enum(['ENABLED', 'DISABLED']).optional(),
};

export const createActionGroupSchema = z.object({ clientToken, ...actionGroupShape }).strict();
export const updateActionGroupSchema = z.object(actionGroupShape).strict();
export type ActionGroupInput = z.infer<typeof updateActionGroupSchema>;

export const associateKnowledgeBaseSchema = z
  .object({
    knowledgeBaseId: z.string().regex(/^[0-9A-Z]{10}$/, 'must be a knowledge-base id (10 upper-case letters and digits)'),
    description: description,
    knowledgeBaseState: z.enum(['ENABLED', 'DISABLED']).optional(),
    clientToken,
  })
  .strict();

export const updateAgentKnowledgeBaseSchema = z.object({ description: description.optional(), knowledgeBaseState: z.enum(['ENABLED', 'DISABLED']).optional() }).strict();

const routingConfigurationSchema = z
  .array(
    z
      .object({
        agentVersion: z.string().regex(/^(DRAFT|[1-9][0-9]{0,8})$/, 'must be a version number').optional(),
        provisionedThroughput: z.string().max(2048).optional(),
      })
      .strict(),
  )
  .max(1, 'an alias routes to exactly one version');

export const createAliasSchema = z
  .object({ agentAliasName: resourceName, clientToken, description: description.optional(), routingConfiguration: routingConfigurationSchema.optional(), tags: z.record(z.string(), z.string().max(256)).optional() })
  .strict();
export const updateAliasSchema = z
  .object({
    agentAliasName: resourceName,
    description: description.optional(),
    routingConfiguration: routingConfigurationSchema.optional(),
    aliasInvocationState: z.enum(['ACCEPT_INVOCATIONS', 'REJECT_INVOCATIONS']).optional(),
  })
  .strict();
export type RoutingConfiguration = z.infer<typeof routingConfigurationSchema>;

const collaboratorShape = {
  agentDescriptor: z.object({ aliasArn: z.string().min(1).max(2048) }).strict(),
  collaboratorName: resourceName,
  collaborationInstruction: z.string().min(1).max(4000),
  relayConversationHistory: z.enum(['TO_COLLABORATOR', 'DISABLED']).optional(),
};
export const associateCollaboratorSchema = z.object({ clientToken, ...collaboratorShape }).strict();
export const updateCollaboratorSchema = z.object(collaboratorShape).strict();
export type CollaboratorInput = z.infer<typeof updateCollaboratorSchema>;

export const listSchema = z.object({ maxResults: z.number().int().min(1).max(1000).optional(), nextToken: z.string().max(2048).optional() }).strict();
