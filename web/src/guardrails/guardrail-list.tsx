import type { GuardrailsApi } from '../api/guardrails';
import { EmptyState, ErrorNotice, Loading } from '../components/notice';
import { usePageList } from '../lib/use-page-list';
import { CreateGuardrailForm } from './create-guardrail-form';
import { GuardrailRow } from './guardrail-row';

export function GuardrailList({ g, active }: { g: GuardrailsApi; active: boolean }) {
  const { list, error, load } = usePageList(g, active);

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Guardrails</h1>
          <p className="muted">Content filters, denied topics, word filters, PII masking and grounding checks, applied to prompts and answers through Bedrock&apos;s guardrail APIs.</p>
        </div>
        <button type="button" className="button-secondary" onClick={load}>
          Reload
        </button>
      </header>
      <div className="kb-layout">
        <section aria-labelledby="gr-list-title">
          <h2 id="gr-list-title">Your guardrails</h2>
          {error && (
            <ErrorNotice title="Guardrails could not be listed" onRetry={load}>
              {error}
            </ErrorNotice>
          )}
          {!list && !error && <Loading what="guardrails" />}
          {list && list.length === 0 && (
            <EmptyState title="No guardrails yet">
              Create one with the form, test text against it here, then name it in a Converse or InvokeModel call (guardrailConfig) to check prompts and answers.
            </EmptyState>
          )}
          {list && list.length > 0 && (
            <div className="table-wrap">
              <table className="table" aria-label="Guardrails">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Id</th>
                    <th scope="col">Status</th>
                    <th scope="col">Version</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <GuardrailRow key={r.id} g={g} row={r} onChanged={load} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <CreateGuardrailForm g={g} onCreated={load} />
      </div>
    </>
  );
}
