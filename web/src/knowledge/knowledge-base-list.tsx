import type { KnowledgeApi } from '../api/knowledge';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { Link } from '../lib/router';
import { usePageList } from '../lib/use-page-list';
import { CreateKnowledgeBaseForm } from './create-knowledge-base-form';
import { StatusBadge } from './status-badge';

export function KnowledgeBaseList({ kb, active }: { kb: KnowledgeApi; active: boolean }) {
  const { list, error, load } = usePageList(kb, active);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Knowledge bases</h1>
          <p className="muted">Documents indexed for retrieval (RAG), through the Bedrock Agents APIs.</p>
        </div>
        <button type="button" className="button-secondary" onClick={load}>
          Reload
        </button>
      </header>
      <div className="kb-layout">
        <section aria-labelledby="kb-list-title">
          <h2 id="kb-list-title">All knowledge bases</h2>
          {error && (
            <ErrorNotice title="The knowledge bases could not be listed" onRetry={load}>
              {error}
            </ErrorNotice>
          )}
          {!list && !error && <Loading what="knowledge bases" />}
          {list && list.length === 0 && (
            <EmptyState title="No knowledge bases yet">Create one with the form: give it a name and pick the embedding model that indexes its documents. Then add a data source and sync it.</EmptyState>
          )}
          {list && list.length > 0 && (
            <div className="table-wrap">
              <table className="table" aria-label="Knowledge bases">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Id</th>
                    <th scope="col">Status</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => (
                    <tr key={k.knowledgeBaseId}>
                      <td>
                        <Link to={`knowledge-bases/${encodeURIComponent(k.knowledgeBaseId)}`}>{k.name}</Link>
                        {k.description && <div className="muted small">{k.description}</div>}
                      </td>
                      <td>
                        <code>{k.knowledgeBaseId}</code>
                      </td>
                      <td>
                        <StatusBadge status={k.status} />
                      </td>
                      <td className="small">{new Date(k.updatedAt).toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <CreateKnowledgeBaseForm kb={kb} />
      </div>
    </>
  );
}
