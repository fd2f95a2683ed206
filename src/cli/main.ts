const USAGE = `quarry — one Bedrock- and OpenAI-compatible API over local and remote models

Usage:
  quarry serve [--host 127.0.0.1] [--port 4100] [--data-dir DIR] [--config quarry.yaml]
               [--tls-cert FILE --tls-key FILE] [--no-pull]
  quarry chat <model> [--system TEXT] [--max-tokens N]   interactive streaming chat with a running server
                                               (a conversation past the model's context drops its oldest turns)
  quarry invoke <model> "prompt" [--max-tokens N]        one prompt, streamed to stdout
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
// Each command's module is loaded only when it runs: the client commands are thin HTTP clients, and importing the
// server's whole module graph (what `serve` needs) for them cost seconds of start-up on every `quarry kb …` or
// `quarry usage`.
type Command = (args: string[]) => Promise<number | undefined>;
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve-command.js')).serveCommand,
  chat: async () => (await import('./chat-command.js')).chatCommand,
  invoke: async () => (await import('./chat-command.js')).invokeCommand,
  models: async () => (await import('./models-command.js')).modelsCommand,
  kb: async () => (await import('./kb-command.js')).kbCommand,
  agents: async () => (await import('./agent-command.js')).agentCommand,
  guardrail: async () => (await import('./guardrail-command.js')).guardrailCommand,
  iam: async () => (await import('./iam-command.js')).iamCommand,
  pricing: async () => (await import('./pricing-command.js')).pricingCommand,
  audit: async () => (await import('./audit-command.js')).auditCommand,
  quotas: async () => (await import('./quota-command.js')).quotaCommand,
  usage: async () => (await import('./usage-command.js')).usageCommand,
  budgets: async () => (await import('./budget-command.js')).budgetCommand,
  provisioned: async () => (await import('./provisioned-command.js')).provisionedCommand,
  secrets: async () => (await import('./secrets-command.js')).secretsCommand,
  routing: async () => (await import('./routing-command.js')).routingCommand,
};

const load = command && Object.hasOwn(commands, command) ? commands[command] : undefined;
if (!load) {
  console.log(USAGE);
  process.exitCode = command && command !== 'help' && command !== '--help' ? 2 : 0;
} else {
  try {
    const code = await (await load())(rest);
    if (code !== undefined) process.exitCode = code;
  } catch (e) {
    console.error(`quarry ${command}: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
