/**
 * The request context: condition keys and their values for one authorization. Keys compare without regard to case
 * (`aws:SourceIp` is `AWS:sourceip`). The route layer fills them from what the server knows — never by copying
 * client-chosen names wholesale, since a client that can set `aws:SourceIp` can satisfy any IpAddress condition.
 */
export type ContextValue = string | readonly string[] | number | boolean | Date;
export type RequestContext = Readonly<Record<string, ContextValue>>;

export interface ContextKeySpec {
  /** How conditions usually read the key; `strings` is a multivalued key for ForAnyValue/ForAllValues. */
  readonly type: 'string' | 'strings' | 'numeric' | 'date' | 'bool' | 'ip' | 'arn';
  /** principal: set by the evaluator from the principal (a context value cannot override it); default: set by the
   * evaluator unless the context has it; route: the route layer sets it. */
  readonly source: 'principal' | 'default' | 'route';
  readonly description: string;
}

const k = (type: ContextKeySpec['type'], source: ContextKeySpec['source'], description: string): ContextKeySpec => ({ type, source, description });

/** Well-known keys, for `quarry iam simulate`, the console's condition editor and simulation warnings. */
export const CONTEXT_KEYS = {
  'aws:SourceIp': k('ip', 'route', 'The client address (after trusted-proxy handling), IPv4 or IPv6.'),
  'aws:SecureTransport': k('bool', 'route', 'Whether the request came over TLS.'),
  'aws:UserAgent': k('string', 'route', 'The User-Agent header; chosen by the client, so never a security boundary.'),
  'aws:RequestedRegion': k('string', 'route', 'The region the request addresses.'),
  'aws:CurrentTime': k('date', 'default', 'The time of the decision.'),
  'aws:EpochTime': k('date', 'default', 'The time of the decision in seconds since 1970.'),
  'aws:PrincipalArn': k('arn', 'principal', "The caller's ARN."),
  'aws:PrincipalAccount': k('string', 'principal', "The caller's account id."),
  'aws:userid': k('string', 'principal', "The caller's unique id."),
  'aws:username': k('string', 'principal', "The caller's user name."),
  'aws:PrincipalTag/': k('string', 'route', 'A tag on the caller, e.g. aws:PrincipalTag/team.'),
  'aws:RequestTag/': k('string', 'route', 'A tag the request sets, e.g. aws:RequestTag/project.'),
  'aws:ResourceTag/': k('string', 'route', 'A tag on the resource acted on.'),
  'aws:TagKeys': k('strings', 'route', 'The tag keys the request sets.'),
  'bedrock:GuardrailIdentifier': k('arn', 'route', 'The guardrail an invocation names (ARN), to require one.'),
  'quarry:AuthMethod': k('string', 'route', 'How the caller authenticated: bearer or sigv4.'),
  'quarry:ApiKeyId': k('string', 'route', 'The id of the key the caller used.'),
  'quarry:ModelProvider': k('string', 'route', 'The provider serving the model (llama, ollama, openai, bedrock …).'),
  'quarry:MaxTokens': k('numeric', 'route', 'The output-token limit an invocation asks for.'),
} as const satisfies Record<string, ContextKeySpec>;

const LOWER = Object.keys(CONTEXT_KEYS).map((key) => key.toLowerCase());

/** Whether a key is one Quarry sets or documents (prefix keys such as aws:RequestTag/ match any tag). */
export function isWellKnownContextKey(key: string): boolean {
  const lower = key.toLowerCase();
  return LOWER.some((w) => (w.endsWith('/') ? lower.startsWith(w) && lower.length > w.length : lower === w));
}
