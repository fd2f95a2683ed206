const TONE: Record<string, string> = {
  ACTIVE: 'good',
  AVAILABLE: 'good',
  COMPLETE: 'good',
  CREATING: 'busy',
  STARTING: 'busy',
  IN_PROGRESS: 'busy',
  STOPPING: 'busy',
  UPDATING: 'busy',
  DELETING: 'busy',
  FAILED: 'bad',
  DELETE_UNSUCCESSFUL: 'bad',
  STOPPED: 'muted',
};

/** A resource or job status in words, coloured by what it means rather than by its name. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONE[status] ?? 'muted'}`}>{status.toLowerCase().replace(/_/g, ' ')}</span>;
}
