import { useCallback, useEffect, useMemo, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import { type AuditEvent, auditApi } from '../api/audit';
import { AuditEventRow } from '../audit/audit-event-row';
import { AuditFilterForm } from '../audit/audit-filter-form';
import { VerifyChain } from '../audit/verify-chain';
import { ResourceList } from '../components/resource-list';
import { useConsole } from '../console-context';
import { type AuditFilters, auditQuery, NO_FILTERS } from '../lib/audit-query';
import { useTitle } from '../lib/router';
import '../dashboards.css';
import '../operator.css';

const filtered = (f: AuditFilters) => Object.values(f).some((v) => v !== '');

/**
 * /audit: the trail newest first, filtered as LookupEvents allows and paged with its nextToken ("Load more" appends
 * the next page), beside the chain check. Reloaded each time the page is shown, like the resource lists.
 */
export function AuditPage({ active }: { active: boolean }) {
  useTitle('Audit log', active);
  const { api } = useConsole();
  const audit = useMemo(() => auditApi(api), [api]);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [events, setEvents] = useState<AuditEvent[]>();
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<string>();
  const [more, setMore] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const [generation, setGeneration] = useState(0);
  const load = useCallback(() => setGeneration((g) => g + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` (Reload, Try again) asks for the first page again.
  useEffect(() => {
    if (!active) return;
    const ac = new AbortController();
    setError(undefined);
    setEvents(undefined);
    audit.events(auditQuery(filters), ac.signal).then(
      (page) => {
        setEvents(page.events);
        setNext(page.nextToken);
      },
      (e: unknown) => {
        if (!isAbort(e)) setError(messageOf(e));
      },
    );
    return () => ac.abort();
  }, [audit, active, filters, generation]);

  async function loadMore() {
    if (!next) return;
    setMore({ busy: true });
    try {
      const page = await audit.events(auditQuery(filters, next));
      setEvents((old) => [...(old ?? []), ...page.events]);
      setNext(page.nextToken);
      setMore({ busy: false });
    } catch (e) {
      setMore({ busy: false, error: messageOf(e) });
    }
  }

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className="muted">Who did what, when, to which resource, and whether it was allowed: every management call, hash-chained so tampering shows.</p>
        </div>
        <button type="button" className="button-secondary" onClick={load}>
          Reload
        </button>
      </header>
      <div className="kb-layout">
        <div>
          <AuditFilterForm onApply={setFilters} />
          <ResourceList
            title="Events"
            titleId="audit-events-title"
            list={events}
            error={error}
            reload={load}
            errorTitle="The audit trail could not be read"
            what="audit events"
            empty={{
              title: filtered(filters) ? 'No events match these filters' : 'No events yet',
              body: filtered(filters)
                ? 'Widen the time range or clear a filter; an action or principal must match exactly.'
                : 'Management calls (creating a key, a budget, a guardrail) are recorded here as they happen.',
            }}
            label="Audit events"
            columns={[{ label: 'Time' }, { label: 'Event' }, { label: 'Principal' }, { label: 'Resources' }, { label: 'Outcome' }]}
            row={(e) => <AuditEventRow key={e.eventId} e={e} />}
          />
          {more.error && (
            <p className="field-error" role="alert">
              More events could not be read: {more.error}
            </p>
          )}
          {events && next && (
            <div className="form-actions">
              <button type="button" className="button-secondary" onClick={() => void loadMore()} disabled={more.busy}>
                {more.busy ? 'Loading…' : 'Load more'}
              </button>
            </div>
          )}
        </div>
        <VerifyChain audit={audit} />
      </div>
    </>
  );
}
