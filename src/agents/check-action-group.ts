import { QuarryError } from '../core/index.js';
import type { AgentFunctionRegistry } from './agent-functions.js';
import type { ActionGroupBody } from './agent-records.js';
import { parseOpenApiPayload } from './openapi-document.js';
import type { ActionGroupInput } from './schemas.js';

const invalid = (message: string) => new QuarryError('ValidationException', message);

/**
 * Checks an action group as Create/UpdateAgentActionGroup receive it and returns what is stored. A group is either
 * Bedrock's built-in "ask the user" (`parentActionGroupSignature: AMAZON.UserInput`, nothing else), or functions —
 * exactly one of `functionSchema` and `apiSchema` (an inline OpenAPI 3 document) — with an executor: return of
 * control, or a function the operator registered (see agent-functions.ts).
 */
export function checkActionGroup(accountId: string, input: ActionGroupInput, functions: AgentFunctionRegistry): ActionGroupBody {
  const { actionGroupName: _name, actionGroupState: _state, ...body } = input;
  const sig = input.parentActionGroupSignature;
  if (sig && sig !== 'AMAZON.UserInput') {
    throw invalid(
      `parentActionGroupSignature ${sig} is not supported by Quarry (there is no sandbox for ${sig === 'AMAZON.CodeInterpreter' ? 'running model-written code' : "Anthropic's computer-use tools"}); AMAZON.UserInput is.`,
    );
  }
  if (sig === 'AMAZON.UserInput') {
    if (input.actionGroupExecutor || input.apiSchema || input.functionSchema) {
      throw invalid('An AMAZON.UserInput action group is built in: leave actionGroupExecutor, apiSchema and functionSchema out.');
    }
    return body;
  }
  if (input.parentActionGroupSignatureParams) throw invalid('parentActionGroupSignatureParams only go with a parentActionGroupSignature.');
  if (!input.apiSchema === !input.functionSchema) {
    throw invalid('An action group needs exactly one of functionSchema (functions with parameters) and apiSchema (an OpenAPI 3 document in "payload").');
  }
  if (!input.actionGroupExecutor) {
    throw invalid('An action group needs an actionGroupExecutor: {"customControl":"RETURN_CONTROL"} or {"lambda":"<registered function ARN or name>"}.');
  }
  if (input.apiSchema && 's3' in input.apiSchema) {
    throw invalid('apiSchema.s3 is not supported: Quarry has no S3; send the OpenAPI document itself in apiSchema.payload.');
  }
  if (input.apiSchema && 'payload' in input.apiSchema) parseOpenApiPayload(input.apiSchema.payload);
  if ('lambda' in input.actionGroupExecutor) functions.resolve(accountId, input.actionGroupExecutor.lambda);
  return body;
}
