/** The audit page's filter form turned into LookupEvents' query string. Pure, so the tests run it in Node. */

export interface AuditFilters {
  /** An IAM action (`quarry:CreateApiKey`) or an event name (`Converse`), matched exactly by the server. */
  action: string;
  /** A principal's user name or id. */
  principal: string;
  outcome: '' | 'success' | 'error';
  /** `<input type="datetime-local">` values, in the browser's time zone; '' for no bound. */
  start: string;
  end: string;
}

export const NO_FILTERS: AuditFilters = { action: '', principal: '', outcome: '', start: '', end: '' };

/** Events per page: enough to fill a screen, few enough that the first page answers at once. */
export const AUDIT_PAGE_SIZE = 50;

export class FilterError extends Error {
  override name = 'FilterError';
}

/** A datetime-local value as the ISO 8601 UTC time the server expects; undefined for ''. */
export function isoOfLocal(local: string, field: string): string | undefined {
  if (!local.trim()) return undefined;
  const t = new Date(local);
  if (Number.isNaN(t.getTime())) throw new FilterError(`${field}: enter a date and time, such as 2027-01-31 09:00.`);
  return t.toISOString();
}

/**
 * The query for one page of events. Checked here what the server would refuse anyway (an unreadable time, a start
 * after the end), so the form can say which field is wrong before any call.
 */
export function auditQuery(f: AuditFilters, nextToken?: string, maxResults = AUDIT_PAGE_SIZE): URLSearchParams {
  const q = new URLSearchParams({ maxResults: String(maxResults) });
  const action = f.action.trim();
  const principal = f.principal.trim();
  if (action) q.set('action', action);
  if (principal) q.set('principal', principal);
  if (f.outcome) q.set('outcome', f.outcome);
  const start = isoOfLocal(f.start, 'From');
  const end = isoOfLocal(f.end, 'Until');
  if (start && end && start >= end) throw new FilterError('"From" must be before "Until".');
  if (start) q.set('startTime', start);
  if (end) q.set('endTime', end);
  if (nextToken) q.set('nextToken', nextToken);
  return q;
}
