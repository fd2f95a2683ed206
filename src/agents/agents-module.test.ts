import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { type ModelInfo, QuarryError } from '../core/index.js';
import type { GuardrailModule } from '../guardrails/index.js';
import { migrate, openStore, type Store } from '../store/index.js';
import { AgentFunctionRegistry, agentsConfigSchema } from './agent-functions.js';
import { AgentsModule } from './agents-module.js';
import { agentMigrations } from './tables.js';

/**
 * The agents module on both store dialects (PostgreSQL when QUARRY_TEST_PG_URL is set): the lifecycle, Prepare's
 * checks and its race with an edit, tenant isolation, and the definition InvokeAgent runs.
 */
const PG_URL = process.env.QUARRY_TEST_PG_URL;
const A = '000000000000';
const B = '111122223333';
const INSTRUCTION = 'You are a travel assistant who books hotels and answers questions about trips.';
const API = JSON.stringify({
  openapi: '3.0.0',
  info: { title: 'Trips', version: '1' },
  paths: { '/trips/{tripId}': { get: { operationId: 'getTrip', parameters: [{ name: 'tripId', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } } },
});

const model = (id: string, kind: 'text' | 'embedding' = 'text') => ({ id, kind }) as ModelInfo;
let duringResolve: (() => Promise<void>) | undefined;
const models = {
  async resolveModel(id: string) {
    await duringResolve?.();
    if (id === 'acme.chat-v1:0') return { model: model(id) };
    if (id === 'acme.embed-v1:0') return { model: model(id, 'embedding') };
    throw new QuarryError('ResourceNotFoundException', `Model ${id} was not found.`);
  },
};

/** Guardrail GR12345678 has versions DRAFT and 2 in account A. */
const guardrails = {
  service: {
    async get(scope: string, identifier: string, version: string) {
      if (scope === A && identifier.endsWith('GR12345678') && ['DRAFT', '2'].includes(version)) return {};
      throw new QuarryError('ResourceNotFoundException', `Guardrail ${identifier} was not found.`);
    },
  },
} as unknown as GuardrailModule;

async function open(dialect: 'sqlite' | 'postgres', dir: string): Promise<{ store: Store; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const store = await openStore({ dataDir: dir });
    return { store, drop: () => store.close() };
  }
  const name = `quarry_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  const store = await openStore({ dataDir: dir, url: url.toString() });
  return {
    store,
    async drop() {
      await store.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`agents on ${dialect}`, { skip: dialect === 'postgres' && !PG_URL ? 'set QUARRY_TEST_PG_URL to run against PostgreSQL' : false }, () => {
    const dir = mkdtempSync(join(tmpdir(), `quarry-agents-${dialect}-`));
    let db: Awaited<ReturnType<typeof open>> | undefined;
    const module = async () => {
      db ??= await open(dialect, dir);
      await migrate(db.store.db, agentMigrations);
      const functions = new AgentFunctionRegistry(agentsConfigSchema.parse({ functions: { 'book-hotel': { module: '/srv/book.js', timeoutMs: 3000 }, trips: { url: 'http://trips.internal/api' } } }));
      return new AgentsModule({ db: db.store.db, region: 'us-east-1', models, functions, guardrails });
    };
    after(async () => {
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a draft becomes the definition InvokeAgent runs, for the test alias and for a released version', async () => {
      const m = await module();
      const s = m.service;
      const agent = await s.createAgent(A, {
        agentName: 'travel',
        instruction: INSTRUCTION,
        foundationModel: 'acme.chat-v1:0',
        memoryConfiguration: { enabledMemoryTypes: ['SESSION_SUMMARY'], sessionSummaryConfiguration: { maxRecentSessions: 3 } },
        promptOverrideConfiguration: {
          promptConfigurations: [{ promptType: 'PRE_PROCESSING', promptState: 'ENABLED', promptCreationMode: 'OVERRIDDEN', basePromptTemplate: 'Classify: $question$', inferenceConfiguration: { maximumLength: 64, temperature: 0 } }],
        },
        guardrailConfiguration: { guardrailIdentifier: `arn:aws:bedrock:us-east-1:${A}:guardrail/GR12345678`, guardrailVersion: '2' },
        maxIterations: 4,
      });
      const id = agent.agentId;
      await assert.rejects(m.definition(A, id, 'TSTALIASID'), { code: 'ValidationException', message: /has not been prepared/ });
      await m.parts.createActionGroup(A, id, 'DRAFT', {
        actionGroupName: 'hotels',
        actionGroupExecutor: { lambda: `arn:aws:lambda:us-east-1:${A}:function:book-hotel` },
        functionSchema: { functions: [{ name: 'book', parameters: { city: { type: 'string', required: true }, nights: { type: 'integer' } }, requireConfirmation: 'ENABLED' }] },
      });
      await m.parts.createActionGroup(A, id, 'DRAFT', { actionGroupName: 'trips', actionGroupExecutor: { lambda: 'trips' }, apiSchema: { payload: API }, actionGroupState: 'DISABLED' });
      await m.parts.createActionGroup(A, id, 'DRAFT', { actionGroupName: 'ask', parentActionGroupSignature: 'AMAZON.UserInput' });
      await m.parts.createActionGroup(A, id, 'DRAFT', { actionGroupName: 'later', actionGroupExecutor: { customControl: 'RETURN_CONTROL' }, functionSchema: { functions: [{ name: 'pay' }] } });
      await s.prepareAgent(A, id);

      const def = await m.definition(A, id, 'TSTALIASID');
      assert.equal(def.agentVersion, 'DRAFT');
      assert.equal(def.instruction, INSTRUCTION);
      assert.equal(def.userInput, true);
      assert.equal(def.maxIterations, 4);
      assert.deepEqual(def.guardrail, { guardrailId: 'GR12345678', guardrailVersion: '2' });
      assert.deepEqual(def.memory, { enabled: true, storageDays: 30, maxRecentSessions: 3 });
      assert.deepEqual(def.promptOverrides, { preProcessing: { enabled: true, template: 'Classify: $question$', inference: { temperature: 0, maxTokens: 64 } } });
      const byName = Object.fromEntries(def.actionGroups.map((g) => [g.name, g]));
      assert.deepEqual(Object.keys(byName).sort(), ['hotels', 'later', 'trips']);
      assert.deepEqual(byName.hotels!.executor, { kind: 'module', name: 'book-hotel', module: '/srv/book.js', timeoutMs: 3000 });
      assert.deepEqual(byName.hotels!.functions[0], {
        name: 'book',
        inputSchema: { type: 'object', properties: { city: { type: 'string' }, nights: { type: 'integer' } }, required: ['city'] },
        requireConfirmation: true,
      });
      assert.deepEqual(byName.trips!.executor, { kind: 'http', name: 'trips', url: 'http://trips.internal/api', trusted: true });
      assert.equal(byName.trips!.enabled, false);
      assert.equal(byName.trips!.functions[0]!.name, 'getTrip');
      assert.deepEqual(byName.trips!.functions[0]!.api?.parameterIn, { tripId: 'path' });
      assert.deepEqual(byName.later!.executor, { kind: 'returnControl' });

      const alias = await s.createAlias(A, id, { agentAliasName: 'live' });
      assert.equal((await s.listAgents(A, 100)).find((a) => a.key === id)?.summary.latestAgentVersion, '1');
      // The draft moves on; the released version does not.
      await m.parts.createActionGroup(A, id, 'DRAFT', { actionGroupName: 'extra', actionGroupExecutor: { customControl: 'RETURN_CONTROL' }, functionSchema: { functions: [{ name: 'x' }] } });
      const released = await m.definition(A, id, alias.agentAliasId);
      assert.equal(released.agentVersion, '1');
      assert.equal(released.actionGroups.length, 3);
      // The test alias keeps running the draft as last prepared until it is prepared again.
      assert.equal((await m.definition(A, id, 'TSTALIASID')).actionGroups.length, 3);
      await s.prepareAgent(A, id);
      assert.equal((await m.definition(A, id, 'TSTALIASID')).actionGroups.length, 4);

      await s.updateAlias(A, id, alias.agentAliasId, { agentAliasName: 'live', aliasInvocationState: 'REJECT_INVOCATIONS' });
      await assert.rejects(m.definition(A, id, alias.agentAliasId), { message: /REJECT_INVOCATIONS/ });
    });

    test('Prepare names every problem, keeps them as failureReasons, and loses a race with an edit', async () => {
      const m = await module();
      const s = m.service;
      const { agentId } = await s.createAgent(A, {
        agentName: 'broken',
        foundationModel: 'acme.nope-v9:0',
        agentCollaboration: 'SUPERVISOR',
        guardrailConfiguration: { guardrailIdentifier: 'GR12345678', guardrailVersion: '3' },
      });
      await assert.rejects(s.prepareAgent(A, agentId), (e: QuarryError) => {
        assert.equal(e.code, 'ValidationException');
        assert.match(e.message, /no instruction/);
        assert.match(e.message, /foundationModel acme\.nope-v9:0 cannot be used: Model acme\.nope-v9:0 was not found/);
        assert.match(e.message, /SUPERVISOR agent needs at least one collaborator/);
        assert.match(e.message, /guardrail GR12345678 version 3 was not found/);
        return true;
      });
      const after = await s.getAgent(A, agentId);
      assert.equal(after.agentStatus, 'NOT_PREPARED');
      assert.equal(after.failureReasons?.length, 4);

      await s.updateAgent(A, agentId, { agentName: 'broken', instruction: INSTRUCTION, foundationModel: 'acme.embed-v1:0' });
      await assert.rejects(s.prepareAgent(A, agentId), { message: /is an embedding model, not a text model/ });

      await s.updateAgent(A, agentId, { agentName: 'broken', instruction: INSTRUCTION, foundationModel: 'acme.chat-v1:0' });
      duringResolve = async () => {
        duringResolve = undefined;
        await s.updateAgent(A, agentId, { agentName: 'broken', instruction: `${INSTRUCTION} Be brief.`, foundationModel: 'acme.chat-v1:0' });
      };
      await assert.rejects(s.prepareAgent(A, agentId), { code: 'ConflictException', message: /changed while it was being prepared/ });
      assert.equal((await s.getAgent(A, agentId)).agentStatus, 'NOT_PREPARED');
      assert.equal((await s.prepareAgent(A, agentId)).agentStatus, 'PREPARED');
      assert.equal((await s.getAgent(A, agentId)).failureReasons, undefined);
    });

    test("another account's agents are not found, whatever the call", async () => {
      const m = await module();
      const s = m.service;
      const { agentId } = await s.createAgent(A, { agentName: 'private', instruction: INSTRUCTION, foundationModel: 'acme.chat-v1:0' });
      await s.prepareAgent(A, agentId);
      const alias = await s.createAlias(A, agentId, { agentAliasName: 'a' });
      const nf = { code: 'ResourceNotFoundException' };
      await assert.rejects(s.getAgent(B, agentId), nf);
      await assert.rejects(s.prepareAgent(B, agentId), nf);
      await assert.rejects(s.deleteAgent(B, agentId, true), nf);
      await assert.rejects(s.getAlias(B, agentId, alias.agentAliasId), nf);
      await assert.rejects(m.definition(B, agentId, alias.agentAliasId), nf);
      await assert.rejects(m.parts.listActionGroups(B, agentId, 'DRAFT'), nf);
      await assert.rejects(m.parts.createActionGroup(B, agentId, 'DRAFT', { actionGroupName: 'x', parentActionGroupSignature: 'AMAZON.UserInput' }), nf);
      assert.equal((await s.listAgents(B, 100)).length, 0);
      // The same name is free in another account.
      await s.createAgent(B, { agentName: 'private' });
      // A function registered for one account only is not another's.
      await assert.rejects(
        m.parts.createActionGroup(A, agentId, 'DRAFT', { actionGroupName: 'y', actionGroupExecutor: { lambda: `arn:aws:lambda:us-east-1:${B}:function:trips` }, functionSchema: { functions: [{ name: 'f' }] } }),
        { message: /belongs to account 111122223333/ },
      );
    });
  });
}
