import { QuarryError } from '../core/index.js';
import type { Database } from '../store/index.js';
import { type ChatReply, chatbotOf, chatTurn } from './app-chat.js';
import type { AppCallContext, AppExtractText, AppKnowledgeSearch } from './app-model-port.js';
import { type AppRecord, AppRepository } from './app-repository.js';
import { type AppRun, type AppRunEvent, AppRunner, type AppRunnerDeps } from './app-runner.js';
import { type AppDefinition, type ChatbotWidget, type ChatTurnInput, type DocumentFile, MAX_INPUT_CHARS } from './app-schemas.js';
import { AppShares } from './app-shares.js';
import { AppSnapshots } from './app-snapshots.js';
import { type DraftAppRequest, draftApp } from './draft-app.js';
import { planWidgets } from './widget-graph.js';

/**
 * Apps of one server: definitions checked at save time (a saved app always has a runnable widget graph) and runs
 * through the runtime. Every method takes the caller's account; nothing crosses accounts.
 */
export class AppService {
  readonly repo: AppRepository;
  readonly shares: AppShares;
  readonly snapshots: AppSnapshots;
  private readonly runner: AppRunner;
  private readonly extractText: AppExtractText | undefined;
  private readonly deps: AppRunnerDeps & { knowledge?: AppKnowledgeSearch };
  constructor(deps: AppRunnerDeps & { db: Database; extractText?: AppExtractText; knowledge?: AppKnowledgeSearch }) {
    this.deps = deps;
    this.extractText = deps.extractText;
    this.repo = new AppRepository(deps.db);
    this.shares = new AppShares(deps.db);
    this.snapshots = new AppSnapshots(deps.db);
    this.runner = new AppRunner(deps);
  }

  create(scope: string, app: AppDefinition): Promise<AppRecord> {
    planWidgets(app.widgets);
    return this.repo.insert(scope, app);
  }

  get(scope: string, id: string): Promise<AppRecord> {
    return this.repo.get(scope, id);
  }

  list(scope: string): Promise<AppRecord[]> {
    return this.repo.list(scope);
  }

  update(scope: string, id: string, app: AppDefinition): Promise<AppRecord> {
    planWidgets(app.widgets);
    return this.repo.update(scope, id, app);
  }

  async delete(scope: string, id: string): Promise<void> {
    await this.repo.delete(scope, id);
    // A link must not outlive its app, nor open a later app that happened to reuse the id.
    await this.shares.revokeAll(scope, id);
    await this.snapshots.deleteAll(scope, id);
  }

  /**
   * A copy of `source` as a new app of `scope`, named "Remix of …". The guardrail is kept only within the same account:
   * another account's guardrail id would name nothing (or something else) there.
   */
  remix(scope: string, source: AppRecord): Promise<AppRecord> {
    const name = `Remix of ${source.name}`.slice(0, 100);
    return this.repo.insert(scope, {
      name,
      description: source.description,
      widgets: source.widgets,
      ...(source.guardrail && source.accountId === scope ? { guardrail: source.guardrail } : {}),
    });
  }

  /** A definition drafted by a model from a one-line description; not saved (see draft-app.ts). */
  draft(ctx: AppCallContext, req: DraftAppRequest): Promise<AppDefinition> {
    return draftApp(this.deps.models, ctx, req);
  }

  /** The app's chatbot of that name, or ResourceNotFoundException. */
  chatbot(app: AppRecord, name: string): ChatbotWidget {
    return chatbotOf(app, name);
  }

  /** One turn of a chatbot widget, as the caller (see app-chat.ts). */
  chat(ctx: AppCallContext, app: AppRecord, w: ChatbotWidget, turn: ChatTurnInput): Promise<ChatReply> {
    return chatTurn(this.deps, ctx, app, w, turn);
  }

  /**
   * The inputs with each document widget's file replaced by its extracted text, checked against the app: a file for a
   * widget that is not a document widget, or given both as a file and as text, is refused.
   */
  async withDocuments(app: AppRecord, inputs: Record<string, string>, documents: Record<string, DocumentFile>, signal?: AbortSignal): Promise<Record<string, string>> {
    const names = Object.keys(documents);
    if (names.length === 0) return inputs;
    const docWidgets = new Set(app.widgets.filter((w) => w.type === 'document').map((w) => w.name));
    for (const n of names) {
      if (!docWidgets.has(n)) throw new QuarryError('ValidationException', `The app has no document widget named "${n.slice(0, 64)}" (its document widgets: ${[...docWidgets].join(', ') || 'none'}).`);
      if (Object.hasOwn(inputs, n)) throw new QuarryError('ValidationException', `Document "${n}" was given both as a file and as text; send one.`);
    }
    if (!this.extractText) throw new QuarryError('ValidationException', 'This server cannot read documents; send the text as an input instead.');
    const out = { ...inputs };
    for (const n of names) {
      const f = documents[n]!;
      const text = await this.extractText({ name: f.fileName, bytes: Buffer.from(f.base64, 'base64'), ...(f.contentType ? { contentType: f.contentType } : {}) }, { maxChars: MAX_INPUT_CHARS, ...(signal ? { signal } : {}) });
      if (!text.trim()) throw new QuarryError('ValidationException', `No text could be read from ${f.fileName} (document "${n}"): is it a scan or an image? Paste its text instead.`);
      out[n] = text;
    }
    return out;
  }

  /**
   * The run's events as they happen; the inputs are checked before the first event (a bad request throws). With
   * `record`, the finished run is kept (its id in runDone's run) so the owner can snapshot it; a share link's runs are not.
   */
  events(ctx: AppCallContext, app: AppRecord, inputs: Record<string, string>, stream: boolean, record = true, reuse?: Record<string, string>): AsyncGenerator<AppRunEvent> {
    const req = { appId: app.id, plan: planWidgets(app.widgets), inputs, stream, ...(reuse ? { reuse } : {}), ...(app.guardrail ? { guardrail: app.guardrail } : {}) };
    this.runner.resolveInputs(req.plan, inputs);
    this.runner.resolveReuse(req.plan, reuse);
    const events = this.runner.events(ctx, req);
    return record ? this.recorded(app, inputs, events) : events;
  }

  async run(ctx: AppCallContext, app: AppRecord, inputs: Record<string, string>, record = true, reuse?: Record<string, string>): Promise<AppRun> {
    let last: AppRun | undefined;
    for await (const e of this.events(ctx, app, inputs, false, record, reuse)) if (e.type === 'runDone') last = e.run;
    return last!;
  }

  private async *recorded(app: AppRecord, inputs: Record<string, string>, events: AsyncGenerator<AppRunEvent>): AsyncGenerator<AppRunEvent> {
    for await (const e of events) {
      if (e.type === 'runDone') {
        const runId = await this.snapshots.recordRun(app.accountId, app.id, inputs, e.run);
        yield { type: 'runDone', run: { ...e.run, runId } };
      } else yield e;
    }
  }
}
