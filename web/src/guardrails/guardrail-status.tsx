/** A guardrail's status as a badge, toned like the other pages' statuses. */
const TONE: Record<string, string> = { READY: 'good', CREATING: 'busy', UPDATING: 'busy', VERSIONING: 'busy', DELETING: 'busy', FAILED: 'bad' };

export function GuardrailStatus({ status }: { status: string }) {
  return <span className={`badge badge-${TONE[status] ?? 'muted'}`}>{status.toLowerCase()}</span>;
}
