import type { AppsApi } from '../api/apps';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { Link, navigate } from '../lib/router';
import { usePageList } from '../lib/use-page-list';

export function AppList({ apps, active }: { apps: AppsApi; active: boolean }) {
  const { list, error, load } = usePageList(apps, active);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Apps</h1>
          <p className="muted">No-code apps: inputs and model prompts chained together, run by anyone with access to this account.</p>
        </div>
        <button type="button" onClick={() => navigate('apps/new')}>
          New app
        </button>
      </header>
      {error && (
        <ErrorNotice title="The apps could not be listed" onRetry={load}>
          {error}
        </ErrorNotice>
      )}
      {!list && !error && <Loading what="apps" />}
      {list && list.length === 0 && (
        <EmptyState title="No apps yet">
          Choose <Link to="apps/new">New app</Link>, add an input (what the user types) and a generation widget whose prompt uses it as <code>{'{{name}}'}</code>, then run it.
        </EmptyState>
      )}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Apps">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Widgets</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.map((a) => (
                <tr key={a.appId} data-app={a.appId}>
                  <td>
                    <Link to={`apps/${encodeURIComponent(a.appId)}`}>{a.name}</Link>
                    {a.description && <div className="muted small">{a.description}</div>}
                  </td>
                  <td>{a.widgetCount}</td>
                  <td className="small">{new Date(a.updatedAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
