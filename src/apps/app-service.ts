import type { Database } from '../store/index.js';
import type { AppCallContext } from './app-model-port.js';
import { type AppRecord, AppRepository } from './app-repository.js';
import { type AppRun, type AppRunEvent, AppRunner, type AppRunnerDeps } from './app-runner.js';
import type { AppDefinition } from './app-schemas.js';
import { planWidgets } from './widget-graph.js';

/**
 * Apps of one server: definitions checked at save time (a saved app always has a runnable widget graph) and runs
 * through the runtime. Every method takes the caller's account; nothing crosses accounts.
 */
export class AppService {
  readonly repo: AppRepository;
  private readonly runner: AppRunner;
  constructor(deps: AppRunnerDeps & { db: Database }) {
    this.repo = new AppRepository(deps.db);
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

  delete(scope: string, id: string): Promise<void> {
    return this.repo.delete(scope, id);
  }

  /** The run's events as they happen; the inputs are checked before the first event (a bad request throws). */
  events(ctx: AppCallContext, app: AppRecord, inputs: Record<string, string>, stream: boolean): AsyncGenerator<AppRunEvent> {
    const req = { appId: app.id, plan: planWidgets(app.widgets), inputs, stream, ...(app.guardrail ? { guardrail: app.guardrail } : {}) };
    this.runner.resolveInputs(req.plan, inputs);
    return this.runner.events(ctx, req);
  }

  run(ctx: AppCallContext, app: AppRecord, inputs: Record<string, string>): Promise<AppRun> {
    const req = { appId: app.id, plan: planWidgets(app.widgets), inputs, stream: false, ...(app.guardrail ? { guardrail: app.guardrail } : {}) };
    return this.runner.run(ctx, req);
  }
}
