import type { SafeFetch } from '../../net/index.js';
import type { ActionCall, ActionOutcome, ActionRunner } from '../orchestration/index.js';
import { callHttpAction } from './http-executor.js';
import { handlerOutcome, lambdaEvent } from './lambda-event.js';
import { DEFAULT_MODULE_LIMITS, type ModuleRunLimits, runModule } from './module-executor.js';

export interface ServerActionRunnerOptions {
  /** The SSRF-guarded fetch for HTTP executors (net/createSafeFetch). */
  fetch: SafeFetch;
  /** Defaults for module executors; each executor may lower or raise the timeout and memory. */
  moduleLimits?: Partial<ModuleRunLimits>;
}

/**
 * The executors that run on the server: HTTP endpoints and registered JavaScript modules. Return of control never
 * reaches here (the loop hands those calls to the caller).
 */
export class ServerActionRunner implements ActionRunner {
  private readonly limits: ModuleRunLimits;

  constructor(private readonly opts: ServerActionRunnerOptions) {
    this.limits = { ...DEFAULT_MODULE_LIMITS, ...opts.moduleLimits };
  }

  async run(call: ActionCall, signal: AbortSignal): Promise<ActionOutcome> {
    const ex = call.group.executor;
    switch (ex.kind) {
      case 'http':
        return callHttpAction(this.opts.fetch, ex, call, signal);
      case 'module': {
        const limits = { ...this.limits, ...(ex.timeoutMs ? { timeoutMs: ex.timeoutMs } : {}), ...(ex.maxMemoryMb ? { maxMemoryMb: ex.maxMemoryMb } : {}) };
        const r = await runModule(ex.module, lambdaEvent(call), limits, signal);
        if (!r.ok) return { ok: false, text: `${ex.name}: ${r.error}` };
        // Megabytes were cut inside the worker; the loop cuts again to what the model is shown, noting the full size.
        if ('truncatedText' in r) return { ok: true, text: r.truncatedText, totalChars: r.size };
        return handlerOutcome(r.value);
      }
      case 'returnControl':
        return { ok: false, text: 'This action is carried out by the caller, not the server.' };
      default: {
        const never: never = ex;
        throw new Error(`unknown executor ${(never as { kind: string }).kind}`);
      }
    }
  }
}
