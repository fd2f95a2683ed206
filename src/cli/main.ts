import { agentCommand } from './agent-command.js';
import { auditCommand } from './audit-command.js';
import { budgetCommand } from './budget-command.js';
import { chatCommand, invokeCommand } from './chat-command.js';
import { guardrailCommand } from './guardrail-command.js';
import { iamCommand } from './iam-command.js';
import { kbCommand } from './kb-command.js';
import { modelsCommand } from './models-command.js';
import { pricingCommand } from './pricing-command.js';
import { provisionedCommand } from './provisioned-command.js';
import { quotaCommand } from './quota-command.js';
import { routingCommand } from './routing-command.js';
import { secretsCommand } from './secrets-command.js';
import { serveCommand } from './serve-command.js';
import { usageCommand } from './usage-command.js';

const USAGE = `quarry — one Bedrock- and OpenAI-compatible API over local and remote models

Usage:
  quarry serve [--host 127.0.0.1] [--port 4100] [--data-dir DIR] [--config quarry.yaml]
               [--tls-cert FILE --tls-key FILE] [--no-pull]
  quarry chat <model> [--system TEXT]          interactive streaming chat with a running server
  quarry invoke <model> "prompt"               one prompt, streamed to stdout
  quarry models list [--data-dir DIR] [--config FILE]
  quarry models pull <hf:owner/repo/file.gguf | https-url | ollama:name> [--sha256 HEX] [--data-dir DIR]
  quarry models rm <file.gguf> [--data-dir DIR]
  quarry kb ls | create | add-source | sync | query | rm     knowledge bases (quarry kb help)
  quarry agents ls | create | get | add-action-group | add-kb | prepare | alias | rm   agents (quarry agents help)
  quarry guardrail ls | create | update | version | get | rm | apply   guardrails (quarry guardrail help)
  quarry iam users | keys | policies | roles | simulate | accounts   access control (quarry iam help)
  quarry audit events | verify                  the audit trail and its hash-chain check (quarry audit help)
  quarry quotas ls | set | rm | show                 rate limits per key and model (quarry quotas help)
  quarry usage [--group-by model,key] [--granularity day] [--start D] [--end D] [--forecast]   cost explorer
  quarry budgets ls | get | create | update | alerts | rm   spend limits and alerts (quarry budgets help)
  quarry pricing ls | show | set | rm | break-even   the pricing catalog; on-demand vs provisioned (quarry pricing help)
  quarry provisioned ls | buy | show | rename | usage | rm   provisioned throughput (quarry provisioned help)
  quarry secrets status | rotate                the keyring sealing stored secrets (quarry secrets help)
  quarry routing ls | drain | restore | reset   deployments' health; drain or restore one at runtime (quarry routing help)

chat, invoke, kb and guardrail reach the server at --url (default $QUARRY_URL or http://127.0.0.1:4100) with --api-key
(default $QUARRY_API_KEY, else the admin key in <data-dir>/admin-credentials.json).`;

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<number | undefined>> = {
  serve: serveCommand,
  chat: chatCommand,
  invoke: invokeCommand,
  models: modelsCommand,
  kb: kbCommand,
  agents: agentCommand,
  guardrail: guardrailCommand,
  iam: iamCommand,
  pricing: pricingCommand,
  audit: auditCommand,
  quotas: quotaCommand,
  usage: usageCommand,
  budgets: budgetCommand,
  provisioned: provisionedCommand,
  secrets: secretsCommand,
  routing: routingCommand,
};

const run = command ? commands[command] : undefined;
if (!run) {
  console.log(USAGE);
  process.exitCode = command && command !== 'help' && command !== '--help' ? 2 : 0;
} else {
  try {
    const code = await run(rest);
    if (code !== undefined) process.exitCode = code;
  } catch (e) {
    console.error(`quarry ${command}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
