import { Hono } from 'hono';
import type { Context } from 'hono';
import { z } from 'zod';
import { QuarryError } from '../../core/index.js';
import type { KnowledgeModule, RagRequest } from '../../knowledge/index.js';
import { encodeEvent, encodeException, EVENT_STREAM_CONTENT_TYPE } from '../bedrock/event-stream.js';
import { type ApiEnv, invocationContext, readBody } from '../shared/api-env.js';
import { authorizeRequest, knowledgeBaseResource, modelResource, scopeOf } from '../shared/authorize-request.js';
import { parseJsonBody, validate } from '../shared/parse-body.js';
import { streamResponse } from '../shared/stream-response.js';
import { guardrailConfigurationSchema, retrievalConfigurationSchema, retrieveOptions, wireCitation, wireResult } from './retrieval-wire.js';

const retrieveBody = z.object({
  retrievalQuery: z.object({ text: z.string().min(1).max(20_000) }),
  retrievalConfiguration: retrievalConfigurationSchema.optional(),
  guardrailConfiguration: guardrailConfigurationSchema.optional(),
  nextToken: z.string().optional(),
});

const ragBody = z.object({
  sessionId: z.string().min(2).max(100).optional(),
  input: z.object({ text: z.string().min(1).max(20_000) }),
  retrieveAndGenerateConfiguration: z.object({
    type: z.literal('KNOWLEDGE_BASE', { error: 'only KNOWLEDGE_BASE is supported (EXTERNAL_SOURCES is not)' }),
    knowledgeBaseConfiguration: z.object({
      knowledgeBaseId: z.string().min(1).max(10),
      /** Bedrock requires it; Quarry falls back to its first text model, or to an extractive answer when it has none. */
      modelArn: z.string().min(1).max(2048).optional(),
      retrievalConfiguration: retrievalConfigurationSchema.optional(),
      generationConfiguration: z
        .object({
          promptTemplate: z.object({ textPromptTemplate: z.string().min(1).max(100_000).refine((t) => t.includes('$search_results$'), 'must contain $search_results$') }).optional(),
          guardrailConfiguration: guardrailConfigurationSchema.optional(),
          inferenceConfig: z
            .object({
              textInferenceConfig: z
                .object({
                  temperature: z.number().min(0).max(1).optional(),
                  topP: z.number().min(0).max(1).optional(),
                  maxTokens: z.number().int().min(1).optional(),
                  stopSequences: z.array(z.string()).max(4).optional(),
                })
                .optional(),
            })
            .optional(),
          additionalModelRequestFields: z.record(z.string(), z.unknown()).optional(),
        })
        .passthrough()
        .optional(),
      orchestrationConfiguration: z
        .object({ queryTransformationConfiguration: z.object({ type: z.literal('QUERY_DECOMPOSITION') }).optional() })
        .passthrough()
        .optional(),
    }),
  }),
  sessionConfiguration: z.object({ kmsKeyArn: z.string() }).optional(),
});

function ragRequest(b: z.infer<typeof ragBody>): RagRequest {
  const kbc = b.retrieveAndGenerateConfiguration.knowledgeBaseConfiguration;
  const gen = kbc.generationConfiguration;
  return {
    query: b.input.text,
    ...(b.sessionId ? { sessionId: b.sessionId } : {}),
    knowledgeBaseId: kbc.knowledgeBaseId,
    ...(kbc.modelArn ? { model: kbc.modelArn } : {}),
    retrieval: retrieveOptions(kbc.retrievalConfiguration?.vectorSearchConfiguration),
    ...(gen?.promptTemplate ? { promptTemplate: gen.promptTemplate.textPromptTemplate } : {}),
    ...(gen?.inferenceConfig?.textInferenceConfig ? { inferenceConfig: gen.inferenceConfig.textInferenceConfig } : {}),
    ...(gen?.additionalModelRequestFields ? { additionalModelRequestFields: gen.additionalModelRequestFields } : {}),
    queryDecomposition: kbc.orchestrationConfiguration?.queryTransformationConfiguration?.type === 'QUERY_DECOMPOSITION',
    ...(gen?.guardrailConfiguration
      ? { guardrail: { identifier: gen.guardrailConfiguration.guardrailId, version: gen.guardrailConfiguration.guardrailVersion, trace: 'disabled' as const } }
      : {}),
  };
}

/** Retrieve's guardrail is not applied yet; a request that names one is refused rather than silently unguarded. */
function refuseGuardrail(g: unknown): void {
  if (g) throw new QuarryError('ValidationException', 'Retrieve does not apply guardrails yet; remove guardrailConfiguration (RetrieveAndGenerate applies them).');
}

/**
 * RetrieveAndGenerate is authorized on the knowledge base, and the generation on the model as InvokeModel (Bedrock
 * checks both); the model is the one named, the server's default text model being a choice the server makes.
 */
async function authorizeRag(c: Context<ApiEnv>, region: string, b: z.infer<typeof ragBody>): Promise<void> {
  const kbc = b.retrieveAndGenerateConfiguration.knowledgeBaseConfiguration;
  await authorizeRequest(c, 'bedrock:RetrieveAndGenerate', knowledgeBaseResource(c, region, kbc.knowledgeBaseId));
  if (kbc.modelArn) await authorizeRequest(c, 'bedrock:InvokeModel', modelResource(region, kbc.modelArn));
}

/** Knowledge-base retrieval of `@aws-sdk/client-bedrock-agent-runtime`: Retrieve, RetrieveAndGenerate and its stream. */
export function retrieveRoutes(k: KnowledgeModule, region: string, maxBodyBytes: number): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post('/knowledgebases/:kbId/retrieve', async (c) => {
    const b = validate(retrieveBody, parseJsonBody(await readBody(c, maxBodyBytes)), 'Retrieve request');
    refuseGuardrail(b.guardrailConfiguration);
    await authorizeRequest(c, 'bedrock:Retrieve', knowledgeBaseResource(c, region, c.req.param('kbId')));
    const opts = retrieveOptions(b.retrievalConfiguration?.vectorSearchConfiguration);
    const { chunks } = await k.service.retrieve(invocationContext(c, 'bedrock-agent.retrieve'), scopeOf(c), c.req.param('kbId'), { ...opts, text: b.retrievalQuery.text });
    return c.json({ retrievalResults: chunks.map(wireResult) });
  });

  app.post('/retrieveAndGenerate', async (c) => {
    const b = validate(ragBody, parseJsonBody(await readBody(c, maxBodyBytes)), 'RetrieveAndGenerate request');
    await authorizeRag(c, region, b);
    const r = await k.rag.run(invocationContext(c, 'bedrock-agent.retrieve-and-generate'), scopeOf(c), ragRequest(b));
    return c.json({
      sessionId: r.sessionId,
      output: { text: r.text },
      citations: r.citations.map(wireCitation),
      ...(r.guardrailAction ? { guardrailAction: r.guardrailAction } : {}),
    });
  });

  app.post('/retrieveAndGenerateStream', async (c) => {
    const b = validate(ragBody, parseJsonBody(await readBody(c, maxBodyBytes)), 'RetrieveAndGenerateStream request');
    await authorizeRag(c, region, b);
    const events = k.rag.stream(invocationContext(c, 'bedrock-agent.retrieve-and-generate-stream'), scopeOf(c), ragRequest(b));
    // The session comes first (its id is a response header); pulling one more event before answering makes a bad
    // knowledge base, model or filter an HTTP error rather than a broken stream.
    const session = await events.next();
    const sessionId = !session.done && session.value.type === 'session' ? session.value.sessionId : undefined;
    const first = await events.next();
    return streamResponse(c, frames(first, events), {
      'content-type': EVENT_STREAM_CONTENT_TYPE,
      ...(sessionId ? { 'x-amzn-bedrock-knowledge-base-session-id': sessionId } : {}),
    });
  });

  return app;
}

async function* frames(first: IteratorResult<import('../../knowledge/index.js').RagStreamEvent>, rest: AsyncGenerator<import('../../knowledge/index.js').RagStreamEvent>): AsyncGenerator<Uint8Array> {
  try {
    let e = first;
    while (!e.done) {
      const ev = e.value;
      if (ev.type === 'output') yield encodeEvent('output', { text: ev.text });
      else if (ev.type === 'citation') yield encodeEvent('citation', wireCitation(ev.citation));
      else if (ev.type === 'guardrail') yield encodeEvent('guardrail', { action: ev.action });
      e = await rest.next();
    }
  } catch (err) {
    const q = QuarryError.isInstance(err) ? err : new QuarryError('InternalServerException', 'The answer could not be completed.');
    yield encodeException(q.code, q.message);
  } finally {
    await rest.return(undefined);
  }
}
