import { z } from 'zod';

export const BUDGET_PERIODS = ['DAILY', 'MONTHLY', 'QUARTERLY'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const SCOPE_TYPES = ['account', 'key', 'user', 'model', 'tag'] as const;
export type BudgetScopeType = (typeof SCOPE_TYPES)[number];

/** AWS Budgets' notification types: on what was spent, or on what the period is forecast to cost. */
export const THRESHOLD_BASES = ['ACTUAL', 'FORECASTED'] as const;
export type ThresholdBasis = (typeof THRESHOLD_BASES)[number];

/** NONE only alerts; DENY refuses invocations in the scope once the amount is used; ROUTE sends them to another model. */
export const BUDGET_ACTIONS = ['NONE', 'DENY', 'ROUTE'] as const;
export type BudgetAction = (typeof BUDGET_ACTIONS)[number];

export interface BudgetThreshold {
  percent: number;
  basis: ThresholdBasis;
}

export interface BudgetScope {
  type: BudgetScopeType;
  /** '' for the account; a key id; a principal id; a model id; `key=value` for a tag. */
  value: string;
  /** As the caller wrote it (a user's name). */
  label: string;
}

export interface Budget {
  id: string;
  accountId: string;
  name: string;
  amountUsd: number;
  period: BudgetPeriod;
  scope: BudgetScope;
  thresholds: BudgetThreshold[];
  webhookUrl?: string;
  action: BudgetAction;
  routeModelId?: string;
  createdAt: string;
  updatedAt: string;
}

export const thresholdKey = (t: BudgetThreshold): string => `${t.basis}:${t.percent}`;

/** Alerts a budget sends when none are given: most of it used, all of it used, and all of it foreseen. */
export const DEFAULT_THRESHOLDS: BudgetThreshold[] = [
  { percent: 80, basis: 'ACTUAL' },
  { percent: 100, basis: 'ACTUAL' },
  { percent: 100, basis: 'FORECASTED' },
];

export const BUDGET_NAME = /^[A-Za-z0-9][\w.-]{0,99}$/;
const MAX_AMOUNT_USD = 1e9;

const threshold = z
  .object({
    percent: z.number().positive().max(1000),
    basis: z.enum(THRESHOLD_BASES).default('ACTUAL'),
  })
  .strict();

const scope = z.discriminatedUnion('type', [
  z.object({ type: z.literal('account') }).strict(),
  z.object({ type: z.literal('key'), keyId: z.string().min(1).max(128) }).strict(),
  z.object({ type: z.literal('user'), userName: z.string().min(1).max(128) }).strict(),
  z.object({ type: z.literal('model'), modelId: z.string().min(1).max(256) }).strict(),
  z
    .object({
      type: z.literal('tag'),
      key: z
        .string()
        .min(1)
        .max(128)
        .regex(/^[^\p{Cc}\p{Cf}=]+$/u, 'a tag key has no control characters and no ='),
      value: z
        .string()
        .max(512)
        .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'a tag value has no control characters'),
    })
    .strict(),
]);
export type BudgetScopeInput = z.infer<typeof scope>;

// http(s) only and no credentials in the URL: the URL is shown to whoever may read the budget.
const webhookUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without user name or password');

const fields = {
  amountUsd: z.number().positive().max(MAX_AMOUNT_USD),
  period: z.enum(BUDGET_PERIODS),
  scope,
  thresholds: z
    .array(threshold)
    .max(10)
    .refine((a) => new Set(a.map((t) => thresholdKey({ percent: t.percent, basis: t.basis ?? 'ACTUAL' }))).size === a.length, 'a threshold is given twice'),
  webhookUrl: webhookUrl.nullable(),
  action: z.enum(BUDGET_ACTIONS),
  routeModelId: z.string().min(1).max(256).nullable(),
};

/** What is wrong with an action and its model together, if anything. */
export function budgetActionProblem(action: BudgetAction, routeModelId: string | null | undefined): string | undefined {
  if (action === 'ROUTE' && !routeModelId) return 'action ROUTE needs the model to route to (routeModelId)';
  if (action !== 'ROUTE' && routeModelId) return 'routeModelId is only for action ROUTE';
  return undefined;
}

function checkAction(b: { action: BudgetAction; routeModelId?: string | null }, ctx: z.RefinementCtx): void {
  const problem = budgetActionProblem(b.action, b.routeModelId);
  if (problem) ctx.addIssue({ code: 'custom', path: ['routeModelId'], message: problem });
}

export const createBudgetBody = z
  .object({
    name: z.string().regex(BUDGET_NAME, 'letters, digits, _ . - (at most 100, starting with a letter or digit)'),
    amountUsd: fields.amountUsd,
    period: fields.period.default('MONTHLY'),
    scope: fields.scope.default({ type: 'account' }),
    thresholds: fields.thresholds.optional(),
    webhookUrl: fields.webhookUrl.optional(),
    action: fields.action.default('NONE'),
    routeModelId: fields.routeModelId.optional(),
  })
  .strict()
  .superRefine(checkAction);
export type CreateBudgetBody = z.infer<typeof createBudgetBody>;

/** Everything but the name may change; a changed scope or period starts counting afresh. */
export const updateBudgetBody = z
  .object({
    amountUsd: fields.amountUsd.optional(),
    period: fields.period.optional(),
    scope: fields.scope.optional(),
    thresholds: fields.thresholds.optional(),
    webhookUrl: fields.webhookUrl.optional(),
    action: fields.action.optional(),
    routeModelId: fields.routeModelId.optional(),
  })
  .strict();
export type UpdateBudgetBody = z.infer<typeof updateBudgetBody>;
