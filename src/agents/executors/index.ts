export { callHttpAction, DEFAULT_HTTP_MAX_BYTES, DEFAULT_HTTP_TIMEOUT_MS } from './http-executor.js';
export { handlerOutcome, lambdaEvent } from './lambda-event.js';
export { DEFAULT_MODULE_LIMITS, type ModuleResult, type ModuleRunLimits, runModule } from './module-executor.js';
export { ServerActionRunner, type ServerActionRunnerOptions } from './server-action-runner.js';
