import type { KnowledgeApi } from '../api/knowledge';
import { ResourceList } from '../components/resource-list';
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
        <ResourceList
          title="All knowledge bases"
          titleId="kb-list-title"
          list={list}
          error={error}
          reload={load}
          errorTitle="The knowledge bases could not be listed"
          what="knowledge bases"
          empty={{
            title: 'No knowledge bases yet',
            body: 'Create one with the form: give it a name and pick the embedding model that indexes its documents. Then add a data source and sync it.',
          }}
          label="Knowledge bases"
          columns={[{ label: 'Name' }, { label: 'Id' }, { label: 'Status' }, { label: 'Updated' }]}
          row={(k) => (
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
          )}
        />
        <CreateKnowledgeBaseForm kb={kb} />
      </div>
    </>
  );
}
