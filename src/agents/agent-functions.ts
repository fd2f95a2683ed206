import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { QuarryError } from '../core/index.js';

/**
 * Quarry's Lambda: functions the operator registers in the configuration, which action groups name in Bedrock's own
 * field, `actionGroupExecutor: { lambda: "arn:aws:lambda:<region>:<account>:function:<name>" }` (or just `<name>`), so
 * code written for Bedrock runs unchanged. A function is either a JavaScript module run in a worker, or an HTTP
 * endpoint the operator trusts:
 *
 * ```yaml
 * agents:
 *   functions:
 *     book-hotel: { module: ./functions/book-hotel.js, timeoutMs: 10000 }
 *     orders-api: { url: https://orders.internal/agent, headers: { authorization: "Bearer ${ORDERS_TOKEN}" } }
 *     team-a-only: { module: ./a.js, accounts: ["111122223333"] }
 * ```
 *
 * Users cannot point an agent at arbitrary URLs or files: only the operator decides what code runs and which hosts
 * are reached, which is also why registered URLs may be internal ones.
 */

const functionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'function names use 1-64 letters, digits, "_" or "-" (as Lambda)');
const accounts = z.array(z.string().regex(/^\d{12}$/)).min(1).optional();
const timeoutMs = z.number().int().min(1).max(900_000).optional();

const moduleFunction = z
  .object({
    /** A JavaScript (ESM) module exporting `handler(event)`; relative paths are resolved from the server's working directory. */
    module: z.string().min(1),
    timeoutMs,
    /** Heap limit of the worker the module runs in. */
    maxMemoryMb: z.number().int().min(16).max(8192).optional(),
    /** Accounts whose agents may use it; every account when absent. */
    accounts,
  })
  .strict();

const httpFunction = z
  .object({
    /** Receives the call as a POST (functionSchema) or at the operation's path (apiSchema). */
    url: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL'),
    headers: z.record(z.string(), z.string()).optional(),
    timeoutMs,
    maxResponseBytes: z.number().int().min(1).max(100 * 1024 * 1024).optional(),
    accounts,
  })
  .strict();

export const agentsConfigSchema = z
  .object({
    functions: z.record(functionName, z.union([moduleFunction, httpFunction], { error: 'a function is { module: PATH } or { url: URL }' })).default({}),
  })
  .strict()
  .default({ functions: {} });
export type AgentsConfig = z.infer<typeof agentsConfigSchema>;

export type RegisteredFunction =
  | { kind: 'module'; name: string; module: string; timeoutMs?: number; maxMemoryMb?: number }
  | { kind: 'http'; name: string; url: string; headers?: Record<string, string>; timeoutMs?: number; maxResponseBytes?: number };

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/** The function name an executor's `lambda` value names, or a ValidationException saying what is accepted. */
export function lambdaFunctionName(value: string): { name: string; accountId?: string } {
  const arn = LAMBDA_ARN.exec(value);
  if (arn) return { name: arn[3]!, accountId: arn[2]! };
  if (/^[A-Za-z0-9_-]{1,64}$/.test(value)) return { name: value };
  throw new QuarryError(
    'ValidationException',
    `actionGroupExecutor.lambda must be a function ARN (arn:aws:lambda:<region>:<account>:function:<name>) or a function name, got ${JSON.stringify(value.slice(0, 100))}.`,
  );
}

/** The functions this server's operator registered, looked up per account. */
export class AgentFunctionRegistry {
  private readonly functions: AgentsConfig['functions'];

  constructor(
    config: AgentsConfig = { functions: {} },
    /** Where relative module paths start (the server's working directory). */
    private readonly baseDir = process.cwd(),
  ) {
    this.functions = config.functions;
  }

  names(): string[] {
    return Object.keys(this.functions).sort();
  }

  /**
   * The registered function an executor value names for an agent of `accountId`. An ARN naming another account is
   * refused, as Lambda would refuse a function the caller cannot invoke.
   */
  resolve(accountId: string, lambda: string): RegisteredFunction {
    const { name, accountId: arnAccount } = lambdaFunctionName(lambda);
    if (arnAccount && arnAccount !== accountId) {
      throw new QuarryError('ValidationException', `Function ${lambda} belongs to account ${arnAccount}; an agent may only use functions of its own account (${accountId}).`);
    }
    const f = Object.hasOwn(this.functions, name) ? this.functions[name] : undefined;
    if (!f || (f.accounts && !f.accounts.includes(accountId))) {
      const known = this.names().filter((n) => !this.functions[n]!.accounts || this.functions[n]!.accounts!.includes(accountId));
      throw new QuarryError(
        'ValidationException',
        `No function named ${name} is registered on this server (agents.functions in its configuration)${known.length ? `; registered: ${known.join(', ')}` : '; none are registered'}.`,
      );
    }
    if ('module' in f) {
      const module = isAbsolute(f.module) ? f.module : resolve(this.baseDir, f.module);
      return { kind: 'module', name, module, ...(f.timeoutMs ? { timeoutMs: f.timeoutMs } : {}), ...(f.maxMemoryMb ? { maxMemoryMb: f.maxMemoryMb } : {}) };
    }
    return {
      kind: 'http',
      name,
      url: f.url,
      ...(f.headers ? { headers: f.headers } : {}),
      ...(f.timeoutMs ? { timeoutMs: f.timeoutMs } : {}),
      ...(f.maxResponseBytes ? { maxResponseBytes: f.maxResponseBytes } : {}),
    };
  }
}
