import type { AuditEvent } from '../api/audit';

/** One event: when, what, who, on what and how it ended; its (redacted) parameters behind a disclosure. */
export function AuditEventRow({ e }: { e: AuditEvent }) {
  const params = e.requestParameters === null || e.requestParameters === undefined ? undefined : JSON.stringify(e.requestParameters, null, 2);
  return (
    <tr data-event={e.eventId} data-action={e.action ?? e.eventName}>
      <td className="small nowrap">
        <time dateTime={e.eventTime}>{new Date(e.eventTime).toLocaleString()}</time>
      </td>
      <td>
        <strong>{e.eventName}</strong>
        {e.action && e.action !== e.eventName && (
          <div className="muted small">
            <code>{e.action}</code>
          </div>
        )}
        {params && params !== '{}' && (
          <details>
            <summary className="small">Parameters</summary>
            <pre className="code-block audit-params">{params}</pre>
          </details>
        )}
      </td>
      <td>
        {e.principal.name}
        <div className="muted small">{e.principal.authMethod}</div>
      </td>
      <td className="small break">
        {e.resources.length ? (
          e.resources.map((r) => (
            <div key={r}>
              <code>{r}</code>
            </div>
          ))
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        {e.outcome === 'success' ? <span className="badge badge-good">succeeded</span> : <span className="badge badge-bad">failed {e.httpStatus}</span>}
        {e.errorCode && <div className="muted small">{e.errorCode}</div>}
      </td>
    </tr>
  );
}
