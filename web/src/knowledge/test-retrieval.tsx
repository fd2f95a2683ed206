import { type FormEvent, Fragment, useEffect, useState } from 'react';
import { messageOf } from '../api/api-error';
import { type Citation, type KnowledgeApi, type RetrievalResult, type SearchType, sourceOf } from '../api/knowledge';
import { ModelSelect } from '../components/model-select';
import { EmptyState, FieldError } from '../components/notice';
import { textModels, useConsole } from '../console-context';
import { formatMs } from '../lib/format';

type Outcome =
  | { kind: 'retrieve'; results: RetrievalResult[]; ms: number }
  | { kind: 'generate'; text: string; citations: Citation[]; ms: number };

/** Splits the answer at the end of each cited span, so each citation's number follows the words it supports. */
function withMarkers(text: string, citations: Citation[]) {
  const cuts = citations
    .map((c, i) => ({ end: c.generatedResponsePart.textResponsePart.span.end + 1, n: i + 1 }))
    .filter((c) => c.end > 0 && c.end <= text.length)
    .sort((a, b) => a.end - b.end);
  const out: { text: string; marks: number[] }[] = [];
  let at = 0;
  for (const c of cuts) {
    if (c.end > at) {
      out.push({ text: text.slice(at, c.end), marks: [] });
      at = c.end;
    }
    const last = out.at(-1);
    if (last) last.marks.push(c.n);
    else out.push({ text: '', marks: [c.n] });
  }
  if (at < text.length) out.push({ text: text.slice(at), marks: [] });
  return out;
}

export function TestRetrieval({ kb, kbId }: { kb: KnowledgeApi; kbId: string }) {
  const { catalog } = useConsole();
  const models = textModels(catalog.models);
  const [query, setQuery] = useState('');
  const [count, setCount] = useState('5');
  const [searchType, setSearchType] = useState<SearchType>('HYBRID');
  const [generate, setGenerate] = useState(false);
  const [model, setModel] = useState('');
  const [outcome, setOutcome] = useState<Outcome>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!model && models[0]) setModel(models[0].id);
  }, [model, models]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(count);
    if (!query.trim()) return setError('Type a question or some words to search for.');
    if (!Number.isInteger(n) || n < 1 || n > 100) return setError('Number of results: a whole number from 1 to 100.');
    setBusy(true);
    setError(undefined);
    const started = performance.now();
    try {
      if (generate) {
        const m = models.find((x) => x.id === model);
        const r = await kb.retrieveAndGenerate(kbId, query, m ? (m.arn ?? m.id) : undefined, n, searchType);
        setOutcome({ kind: 'generate', text: r.output.text, citations: r.citations ?? [], ms: performance.now() - started });
      } else {
        setOutcome({ kind: 'retrieve', results: await kb.retrieve(kbId, query, n, searchType), ms: performance.now() - started });
      }
    } catch (err) {
      setError(messageOf(err));
      setOutcome(undefined);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby="test-title">
      <h2 id="test-title">Test retrieval</h2>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="test-query">Query</label>
          <input id="test-query" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="What does the handbook say about leave?" />
        </div>
        <div className="grid-3">
          <div className="field">
            <label htmlFor="test-count">Number of results</label>
            <input id="test-count" type="number" min={1} max={100} value={count} onChange={(e) => setCount(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="test-search-type">Search type</label>
            <select id="test-search-type" value={searchType} onChange={(e) => setSearchType(e.target.value as SearchType)}>
              <option value="HYBRID">Hybrid (vector + keyword)</option>
              <option value="SEMANTIC">Semantic (vector only)</option>
              <option value="KEYWORD">Keyword only</option>
            </select>
          </div>
          <div className="field field-check">
            <label className="check">
              <input type="checkbox" checked={generate} onChange={(e) => setGenerate(e.target.checked)} /> Generate an answer (RetrieveAndGenerate)
            </label>
          </div>
        </div>
        {generate &&
          (models.length ? (
            <ModelSelect id="test-model" label="Answering model" models={models} value={model} onChange={setModel} />
          ) : (
            <p className="hint">No text model: the server answers with the retrieved passages themselves (extractive) until one is added.</p>
          ))}
        <FieldError message={error} />
        <div className="form-actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Searching…' : generate ? 'Retrieve and generate' : 'Retrieve'}
          </button>
        </div>
      </form>
      {outcome?.kind === 'retrieve' &&
        (outcome.results.length === 0 ? (
          <EmptyState title="Nothing found">The knowledge base has no passage for this query. If it is new, add a data source and sync it (or add documents) first.</EmptyState>
        ) : (
          <>
            <p className="muted small" role="status">
              {outcome.results.length} result{outcome.results.length === 1 ? '' : 's'} in {formatMs(outcome.ms)}
            </p>
            <ol className="results" aria-label="Retrieval results">
              {outcome.results.map((r, i) => (
                <li key={i} className="result">
                  <div className="result-head">
                    <span className="badge" title="Relevance score: higher is closer">
                      score {r.score?.toFixed(3) ?? '—'}
                    </span>
                    <code className="break">{sourceOf(r.location)}</code>
                  </div>
                  <p className="result-text">{r.content.text}</p>
                  {r.metadata && Object.keys(r.metadata).length > 0 && (
                    <details>
                      <summary className="small">Metadata</summary>
                      <pre className="code-block">{JSON.stringify(r.metadata, null, 2)}</pre>
                    </details>
                  )}
                </li>
              ))}
            </ol>
          </>
        ))}
      {outcome?.kind === 'generate' && (
        <div className="rag-answer">
          <p className="muted small" role="status">
            Answered in {formatMs(outcome.ms)} with {outcome.citations.length} citation{outcome.citations.length === 1 ? '' : 's'}
          </p>
          <div className="turn-text" data-testid="rag-answer">
            {withMarkers(outcome.text, outcome.citations).map((p, i) => (
              <Fragment key={i}>
                {p.text}
                {p.marks.map((n) => (
                  <sup key={n}>
                    <a href={`#citation-${n}`} className="cite">
                      [{n}]
                    </a>
                  </sup>
                ))}
              </Fragment>
            ))}
          </div>
          {outcome.citations.length > 0 && (
            <ol className="citations" aria-label="Citations">
              {outcome.citations.map((c, i) => (
                <li key={i} id={`citation-${i + 1}`}>
                  {c.retrievedReferences.map((ref, j) => (
                    <div key={j} className="result">
                      <code className="break">{sourceOf(ref.location)}</code>
                      <p className="result-text">{ref.content.text}</p>
                    </div>
                  ))}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
