import { useCallback, useEffect, useState } from 'react';
import { isAbort, messageOf } from '../api/api-error';
import type { DataSource, KnowledgeApi, KnowledgeBase } from '../api/knowledge';
import { ErrorNotice, EmptyState, Loading } from '../components/notice';
import { Link, useTitle } from '../lib/router';
import { AddDataSourceForm } from './add-data-source-form';
import { AddDocumentForm } from './add-document-form';
import { DataSourceRow } from './data-source-row';
import { StatusBadge } from './status-badge';
import { TestRetrieval } from './test-retrieval';

export function KnowledgeBaseDetail({ kb, id }: { kb: KnowledgeApi; id: string }) {
  const [base, setBase] = useState<KnowledgeBase>();
  const [sources, setSources] = useState<DataSource[]>();
  const [error, setError] = useState<string>();
  useTitle(base ? `${base.name} · Knowledge bases` : 'Knowledge base');

  const load = useCallback(() => {
    setError(undefined);
    Promise.all([kb.get(id), kb.dataSources(id)]).then(
      ([b, s]) => {
        setBase(b);
        setSources(s);
      },
      (e: unknown) => {
        if (!isAbort(e)) setError(messageOf(e));
      },
    );
  }, [kb, id]);
  useEffect(load, [load]);

  const custom = (sources ?? []).filter((s) => s.dataSourceConfiguration.type === 'CUSTOM');
  const embedder = base?.knowledgeBaseConfiguration.vectorKnowledgeBaseConfiguration?.embeddingModelArn;

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="knowledge-bases">Knowledge bases</Link> <span aria-hidden="true">/</span> <span aria-current="page">{base?.name ?? id}</span>
      </nav>
      {error && (
        <ErrorNotice title={`Knowledge base ${id} could not be loaded`} onRetry={load}>
          {error} <Link to="knowledge-bases">Back to the list</Link>
        </ErrorNotice>
      )}
      {!base && !error && <Loading what="the knowledge base" />}
      {base && (
        <>
          <header className="page-header">
            <div>
              <h1>
                {base.name} <StatusBadge status={base.status} />
              </h1>
              <p className="muted">
                <code>{base.knowledgeBaseId}</code> · embeddings by <code>{embedder?.split('/').pop() ?? 'unknown'}</code>
                {base.storageConfiguration?.type ? ` · stored in ${base.storageConfiguration.type.toLowerCase().replace(/_/g, ' ')}` : ''}
                {base.description ? ` · ${base.description}` : ''}
              </p>
            </div>
            <button type="button" className="button-secondary" onClick={load}>
              Reload
            </button>
          </header>
          {base.failureReasons?.length ? <ErrorNotice title="The knowledge base reports failures">{base.failureReasons.join(' ')}</ErrorNotice> : null}
          <section className="panel" aria-labelledby="ds-title">
            <h2 id="ds-title">Data sources</h2>
            {sources && sources.length === 0 && (
              <EmptyState title="No data sources yet">Add one below: a folder on the server, web pages to crawl, or a custom source that documents are pushed into.</EmptyState>
            )}
            {sources && sources.length > 0 && (
              <div className="table-wrap">
                <table className="table" aria-label="Data sources">
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Reads from</th>
                      <th scope="col">Last sync</th>
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sources.map((s) => (
                      <DataSourceRow key={s.dataSourceId} kb={kb} source={s} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <AddDataSourceForm kb={kb} kbId={id} onAdded={(s) => setSources((list) => [...(list ?? []), s])} />
          </section>
          {custom.length > 0 && <AddDocumentForm kb={kb} kbId={id} sources={custom} />}
          <TestRetrieval kb={kb} kbId={id} />
        </>
      )}
    </>
  );
}
