/**
 * The action-group form's state and its translation to and from Create/UpdateAgentActionGroup's body (a function
 * schema). Blank parameter and function rows are dropped, so an unused row never reaches the server; everything else
 * is sent as typed, so the server's own rules (names, duplicate functions, a registered function) decide and its
 * words are what the user reads.
 */

export const PARAMETER_TYPES = ['string', 'number', 'integer', 'boolean', 'array'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export interface ParameterDraft {
  name: string;
  type: ParameterType;
  description: string;
  required: boolean;
}

export interface FunctionDraft {
  name: string;
  description: string;
  parameters: ParameterDraft[];
  requireConfirmation: boolean;
}

/** Who carries out the calls: the caller (return of control), or a function the operator registered on the server. */
export type ExecutorKind = 'RETURN_CONTROL' | 'REGISTERED_FUNCTION';

export interface ActionGroupDraft {
  name: string;
  description: string;
  executor: ExecutorKind;
  /** The registered function's name (`agents.functions` in the server's configuration). */
  functionName: string;
  enabled: boolean;
  functions: FunctionDraft[];
}

/** The body of CreateAgentActionGroup / UpdateAgentActionGroup as this form builds it. */
export interface ActionGroupInput {
  actionGroupName: string;
  description?: string;
  actionGroupExecutor: { customControl: 'RETURN_CONTROL' } | { lambda: string };
  functionSchema: {
    functions: {
      name: string;
      description?: string;
      parameters?: Record<string, { type: ParameterType; description?: string; required: boolean }>;
      requireConfirmation?: 'ENABLED';
    }[];
  };
  actionGroupState: 'ENABLED' | 'DISABLED';
}

/** An action group as GetAgentActionGroup answers it (the members the console reads). */
export interface ActionGroupView {
  actionGroupName: string;
  description?: string;
  actionGroupState?: string;
  actionGroupExecutor?: { customControl?: string; lambda?: string };
  functionSchema?: {
    functions?: { name: string; description?: string; parameters?: Record<string, { type: string; description?: string; required?: boolean }>; requireConfirmation?: string }[];
  };
  apiSchema?: unknown;
  parentActionSignature?: string;
}

export const emptyParameter = (): ParameterDraft => ({ name: '', type: 'string', description: '', required: false });
export const emptyFunction = (): FunctionDraft => ({ name: '', description: '', parameters: [emptyParameter()], requireConfirmation: false });
export const emptyActionGroupDraft = (): ActionGroupDraft => ({ name: '', description: '', executor: 'RETURN_CONTROL', functionName: '', enabled: true, functions: [emptyFunction()] });

const isParameterType = (t: string): t is ParameterType => (PARAMETER_TYPES as readonly string[]).includes(t);

export function actionGroupInputOf(d: ActionGroupDraft): ActionGroupInput {
  const functions = d.functions
    .filter((f) => f.name.trim() || f.description.trim() || f.parameters.some((p) => p.name.trim()))
    .map((f) => {
      const params = f.parameters.filter((p) => p.name.trim());
      return {
        name: f.name.trim(),
        ...(f.description.trim() ? { description: f.description.trim() } : {}),
        ...(params.length
          ? { parameters: Object.fromEntries(params.map((p) => [p.name.trim(), { type: p.type, ...(p.description.trim() ? { description: p.description.trim() } : {}), required: p.required }])) }
          : {}),
        ...(f.requireConfirmation ? { requireConfirmation: 'ENABLED' as const } : {}),
      };
    });
  return {
    actionGroupName: d.name.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    actionGroupExecutor: d.executor === 'RETURN_CONTROL' ? { customControl: 'RETURN_CONTROL' } : { lambda: d.functionName.trim() },
    functionSchema: { functions },
    actionGroupState: d.enabled ? 'ENABLED' : 'DISABLED',
  };
}

/**
 * Why a group cannot be edited with this form, if it cannot: an OpenAPI-defined group or a built-in one (ask the
 * user) has no function schema to show. Such groups can still be deleted here, and edited through the API or CLI.
 */
export function notEditable(g: ActionGroupView): string | undefined {
  if (g.parentActionSignature) return `built-in (${g.parentActionSignature})`;
  if (!g.functionSchema) return 'defined by an OpenAPI document';
  return undefined;
}

/** A registered function named by ARN (`arn:aws:lambda:…:function:orders`) or by name, as its name. */
export function functionNameOf(lambda: string): string {
  const at = lambda.lastIndexOf('function:');
  return at >= 0 ? lambda.slice(at + 'function:'.length) : lambda;
}

export function draftOfActionGroup(g: ActionGroupView): ActionGroupDraft {
  const lambda = g.actionGroupExecutor?.lambda;
  return {
    name: g.actionGroupName,
    description: g.description ?? '',
    executor: lambda ? 'REGISTERED_FUNCTION' : 'RETURN_CONTROL',
    functionName: lambda ? functionNameOf(lambda) : '',
    enabled: g.actionGroupState !== 'DISABLED',
    functions: (g.functionSchema?.functions ?? []).map((f) => ({
      name: f.name,
      description: f.description ?? '',
      parameters: Object.entries(f.parameters ?? {}).map(([name, p]) => ({ name, type: isParameterType(p.type) ? p.type : 'string', description: p.description ?? '', required: p.required === true })),
      requireConfirmation: f.requireConfirmation === 'ENABLED',
    })),
  };
}

/** One line about who runs a group's calls, for its row. */
export function executorLabel(g: ActionGroupView): string {
  if (g.parentActionSignature) return 'built-in';
  if (g.actionGroupExecutor?.lambda) return `function ${functionNameOf(g.actionGroupExecutor.lambda)}`;
  return 'return of control';
}
