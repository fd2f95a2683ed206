import { useMemo, useState } from 'react';
import type { CatalogModel } from '../api/catalog';
import { ErrorNotice, EmptyState, Loading } from '../components/notice';
import { NoTextModel } from '../components/no-text-model';
import { textModels, useConsole } from '../console-context';
import { formatPrice, formatTokensShort } from '../lib/format';
import { Link, useTitle } from '../lib/router';

const KIND_LABEL: Record<CatalogModel['kind'], string> = { text: 'Text', embedding: 'Embedding', image: 'Image', other: 'Other' };

/** The catalog: every model the server offers, what it takes and gives, what it costs and where it runs. */
export function ModelsPage({ active }: { active: boolean }) {
  useTitle('Models', active);
  const { catalog } = useConsole();
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (catalog.models ?? []).filter((m) => !f || [m.id, m.name, m.provider, m.servedBy ?? ''].some((s) => s.toLowerCase().includes(f)));
  }, [catalog.models, filter]);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Models</h1>
          <p className="muted">Every model this server offers, from <code>GET /foundation-models</code> and <code>GET /v1/models</code>.</p>
        </div>
        <button type="button" className="button-secondary" onClick={catalog.reload}>
          Reload
        </button>
      </header>
      {catalog.error && (
        <ErrorNotice title="The catalog could not be loaded" onRetry={catalog.reload}>
          {catalog.error}
        </ErrorNotice>
      )}
      {!catalog.models && !catalog.error && <Loading what="the catalog" />}
      {catalog.models && (
        <>
          {textModels(catalog.models).length === 0 && <NoTextModel />}
          {catalog.models.length > 0 && (
            <div className="toolbar">
              <div className="field field-inline">
                <label htmlFor="model-filter">Filter</label>
                <input id="model-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="id, name or provider" />
              </div>
              <span className="muted" role="status">
                {shown.length} of {catalog.models.length} models
              </span>
            </div>
          )}
          {catalog.models.length > 0 && shown.length === 0 && <EmptyState title={`No model matches "${filter}"`}>Clear the filter to see them all.</EmptyState>}
          {shown.length > 0 && (
            <div className="table-wrap">
              <table className="table" aria-label="Models">
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Provider</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Input → output</th>
                    <th scope="col" className="num">
                      Context
                    </th>
                    <th scope="col" className="num">
                      Price per 1K tokens (in / out)
                    </th>
                    <th scope="col">Runs</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((m) => (
                    <tr key={m.id} data-model={m.id}>
                      <td>
                        {m.name !== m.id && <div className="model-name">{m.name}</div>}
                        <code className={m.name !== m.id ? 'model-id' : 'model-name'}>{m.id}</code>
                      </td>
                      <td>
                        {m.provider}
                        {m.servedBy && m.servedBy !== m.provider && <div className="muted small">via {m.servedBy}</div>}
                      </td>
                      <td>
                        <span className={`badge badge-${m.kind}`}>{KIND_LABEL[m.kind]}</span>
                        {m.kind === 'embedding' && m.embeddingDimensions && <div className="muted small">{m.embeddingDimensions} dimensions</div>}
                      </td>
                      <td className="small">
                        {m.inputModalities.join(', ').toLowerCase() || '—'} → {m.outputModalities.join(', ').toLowerCase() || '—'}
                        {m.supportsTools && <div className="muted">tools{m.streaming ? ', streaming' : ''}</div>}
                        {!m.supportsTools && m.streaming && <div className="muted">streaming</div>}
                      </td>
                      <td className="num">{m.contextWindow ? formatTokensShort(m.contextWindow) : <span className="muted">unknown</span>}</td>
                      <td className="num">
                        {m.pricing ? (
                          `${formatPrice(m.pricing.inputPer1k)} / ${formatPrice(m.pricing.outputPer1k)}`
                        ) : (
                          <span className="muted" title="No price is configured for this model; costs show as unknown.">
                            not set
                          </span>
                        )}
                      </td>
                      <td>{m.runsOn === 'local' ? 'On this server' : m.runsOn === 'remote' ? 'Remote provider' : <span className="muted">unknown</span>}</td>
                      <td>
                        {m.kind === 'text' && (
                          <Link to={`playground?model=${encodeURIComponent(m.id)}`} className="button-link" aria-label={`Try ${m.id} in the playground`}>
                            Try it
                          </Link>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {catalog.models.length === 0 && <EmptyState title="This server offers no models at all">Add a text model as shown above; an embedding model comes built in unless it was turned off.</EmptyState>}
        </>
      )}
    </>
  );
}
